import type { AcceptInviteBody as AcceptInviteBodyT } from '#shared/schemas/auth'
import type { FastifyInstance } from 'fastify'
import { AcceptInviteBody, InviteInfo, Me, TokenParams } from '#shared/schemas/auth'
import { ErrorBody } from '#shared/schemas/common'
import { writeAudit } from '../../audit/writer'
import { hashPassword } from '../../auth/password'
import { checkLinkToken } from '../../auth/rate-limit'
import { setPasswordHash } from '../../auth/repository'
import { revokeSessions, startSession } from '../../auth/sessions'
import { failure } from '../../errors'
import { nowIso } from '../../util/clock'
import { claimInvite, isMemberActive, releaseInvite } from '../repository'
import { loadMe, usableInvite } from '../service'

export default async function inviteRoutes(app: FastifyInstance) {
  app.get<{ Params: { token: string } }>('/:token', {
    schema: { params: TokenParams, response: { 200: InviteInfo, 404: ErrorBody, 410: ErrorBody, 429: ErrorBody } },
  }, async (request) => {
    const row = await checkLinkToken(app.db, request.ip, () => usableInvite(app.db, request.params.token))
    return { memberName: row.name, login: row.login, branchName: row.branch_name, expiresAt: row.expires_at }
  })

  app.post<{ Params: { token: string }, Body: AcceptInviteBodyT }>('/:token/accept', {
    schema: { params: TokenParams, body: AcceptInviteBody, response: { 200: Me, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
  }, async (request, reply) => {
    // The invite is checked and claimed before the password is hashed: without a good link a request
    // costs a database read, and of many requests carrying one only one pays for a hash.
    const { row, claimedAt } = await checkLinkToken(app.db, request.ip, async () => {
      const row = await usableInvite(app.db, request.params.token)
      const claimedAt = nowIso()
      if (!(await claimInvite(app.db, row.token_hash, claimedAt)))
        throw failure(410, 'INVITE_USED')
      return { row, claimedAt }
    })
    try {
      const hash = await hashPassword(request.body.password, app.passwordParams)
      await app.db.transaction().execute(async (trx) => {
        // Deactivated while the password was being hashed: no password for them.
        if (!(await isMemberActive(trx, row.member_id)))
          throw failure(410, 'MEMBER_INACTIVE')
        await setPasswordHash(trx, row.member_id, hash, nowIso())
        // The member is the actor: they set their own password through the link (never recorded).
        await writeAudit(trx, { id: row.member_id, branchId: row.branch_id }, { action: 'invite.accept', entity: 'member', entityId: row.member_id, data: { login: row.login } })
      })
    }
    catch (err) {
      // Hashing was refused (busy) or the write failed: the link works again for a retry, unless a
      // newer invite for the member was issued meanwhile (that one replaced it).
      await releaseInvite(app.db, row, claimedAt)
      throw err
    }
    // A new password set through an invite (e.g. a lost password) logs out every old device.
    await revokeSessions(app.db, row.member_id)
    await startSession(app.db, reply, row.member_id)
    return loadMe(app.db, row.member_id)
  })
}
