import type { SetupBody as SetupBodyT } from '#shared/schemas/auth'
import type { FastifyInstance } from 'fastify'
import { Me, SetupBody, SetupLinkStatus, SetupStatus, TokenParams } from '#shared/schemas/auth'
import { ErrorBody } from '#shared/schemas/common'
import { writeAudit } from '../../audit/writer'
import { failure } from '../../errors'
import { findBranchName, insertBranch, insertMember, loginTaken, renameBranch } from '../../org/repository'
import { loadMe } from '../../org/service'
import { seedDefaultRules } from '../../points/rules'
import { nowIso } from '../../util/clock'
import { hashToken, newId } from '../../util/ids'
import { hashPassword } from '../password'
import { checkLinkToken } from '../rate-limit'
import { claimSetupToken, findSetupToken, releaseSetupToken, spendSetupTokens } from '../repository'
import { startSession } from '../sessions'
import { setupClosed } from '../setup'

const alreadySetUp = () => failure(409, 'ALREADY_SET_UP')
const tokenUsed = () => failure(410, 'SETUP_TOKEN_USED')
const loginTakenError = () => failure(409, 'LOGIN_TAKEN')

export default async function setupRoutes(app: FastifyInstance) {
  app.get('/', { schema: { response: { 200: SetupStatus } } }, async () => {
    return { needsSetup: !(await setupClosed(app.db, null)) }
  })

  // A branch's link (made by its upper organization) is open while that branch has no admin, which
  // the first-start question above cannot tell: the form asks with its token. Unknown token: 404.
  app.get<{ Params: { token: string } }>('/:token', {
    schema: { params: TokenParams, response: { 200: SetupLinkStatus, 404: ErrorBody, 429: ErrorBody } },
  }, async (request) => {
    return checkLinkToken(app.db, request.ip, async () => {
      const token = await findSetupToken(app.db, hashToken(request.params.token))
      if (!token)
        throw failure(404, 'SETUP_TOKEN_INVALID')
      const branchName = token.branch_id ? (await findBranchName(app.db, token.branch_id)) ?? null : null
      return { needsSetup: !(await setupClosed(app.db, token.branch_id)), branchName }
    })
  })

  app.post<{ Body: SetupBodyT }>('/', {
    schema: { body: SetupBody, response: { 200: Me, 400: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
  }, async (request, reply) => {
    const body = request.body
    const tokenHash = hashToken(body.token)
    // The token is checked and claimed before the password is hashed: without it a request costs a
    // database read, and of many requests carrying it only one pays for a hash.
    const { claimedAt, branchId: targetBranch } = await checkLinkToken(app.db, request.ip, async () => {
      const token = await findSetupToken(app.db, tokenHash)
      // A first-start link is closed once any admin exists; a branch's link once that branch has one.
      if (await setupClosed(app.db, token?.branch_id ?? null))
        throw alreadySetUp()
      if (!token)
        throw failure(400, 'SETUP_TOKEN_INVALID')
      if (token.used_at)
        throw tokenUsed()
      if (token.expires_at <= nowIso())
        throw failure(410, 'SETUP_TOKEN_EXPIRED')
      if (await loginTaken(app.db, body.login))
        throw loginTakenError()
      const now = nowIso()
      if (!(await claimSetupToken(app.db, tokenHash, now)))
        throw tokenUsed()
      return { claimedAt: now, branchId: token.branch_id }
    })
    const memberId = newId()
    try {
      const passwordHash = await hashPassword(body.password, app.passwordParams)
      await app.db.transaction().execute(async (trx) => {
        if (await setupClosed(trx, targetBranch))
          throw alreadySetUp()
        if (await loginTaken(trx, body.login))
          throw loginTakenError()
        const now = nowIso()
        const branchId = targetBranch ?? newId()
        // Any other link printed meanwhile (for this branch, or the first-start ones) is spent too: setup happens once.
        await spendSetupTokens(trx, now, targetBranch)
        if (targetBranch)
          await renameBranch(trx, branchId, body.branchName.trim())
        else
          await insertBranch(trx, { id: branchId, name: body.branchName.trim(), upper_org_id: null, settings: '{}', created_at: now })
        await insertMember(trx, {
          id: memberId,
          branch_id: branchId,
          group_id: null,
          name: body.adminName.trim(),
          login: body.login,
          phone: null,
          role: 'branch_admin',
          titles: '[]',
          password_hash: passwordHash,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        await writeAudit(trx, { id: memberId, branchId }, { action: 'setup', entity: 'branch', entityId: branchId, data: { branchName: body.branchName } })
        // A new branch starts with the default points rules (RULES.md) and settings.
        await seedDefaultRules(trx, branchId, memberId)
      })
    }
    catch (err) {
      // Hashing was refused (busy) or setup failed: the link works again for a retry.
      await releaseSetupToken(app.db, tokenHash, claimedAt)
      throw err
    }
    await startSession(app.db, reply, memberId)
    return loadMe(app.db, memberId)
  })
}
