import type { AcceptInviteBody as AcceptInviteBodyT } from '#shared/schemas/auth'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/database'
import { AcceptInviteBody, InviteInfo, Me, TokenParams } from '#shared/schemas/auth'
import { ErrorBody } from '#shared/schemas/common'
import { writeAudit } from '../../audit/writer'
import { hashPassword } from '../../auth/password'
import { checkLinkToken } from '../../auth/rate-limit'
import { revokeSessions, startSession } from '../../auth/sessions'
import { gone, HttpError } from '../../errors'
import { loadMe } from '../../services/me'
import { nowIso } from '../../util/clock'
import { hashToken } from '../../util/ids'

/** Finds a usable invite or says plainly why it cannot be used. */
async function usableInvite(db: Db, token: string) {
  const row = await db.selectFrom('invite')
    .innerJoin('member', 'member.id', 'invite.member_id')
    .innerJoin('branch', 'branch.id', 'member.branch_id')
    .select(['invite.token_hash', 'invite.created_at', 'invite.expires_at', 'invite.used_at', 'member.id as member_id', 'member.branch_id', 'member.name', 'member.login', 'member.active', 'branch.name as branch_name'])
    .where('invite.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row)
    throw new HttpError(404, 'INVITE_INVALID', '邀请链接无效，请向支部管理员索取新链接 This invite link is not valid; ask your branch admin for a new one')
  if (row.used_at)
    throw gone('INVITE_USED', '该邀请链接已使用过，请直接登录或索取新链接 This invite was already used; log in, or ask for a new one')
  if (row.expires_at <= nowIso())
    throw gone('INVITE_EXPIRED', '邀请链接已过期，请向支部管理员索取新链接 This invite has expired; ask your branch admin for a new one')
  if (row.active !== 1)
    throw gone('MEMBER_INACTIVE', '该账号已停用 This account is deactivated')
  return row
}

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
      const claimed = await app.db.updateTable('invite').set({ used_at: claimedAt }).where('token_hash', '=', row.token_hash).where('used_at', 'is', null).executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1)
        throw gone('INVITE_USED', '该邀请链接已使用过 This invite was already used')
      return { row, claimedAt }
    })
    try {
      const hash = await hashPassword(request.body.password, app.passwordParams)
      await app.db.transaction().execute(async (trx) => {
        // Deactivated while the password was being hashed: no password for them.
        const member = await trx.selectFrom('member').select('active').where('id', '=', row.member_id).executeTakeFirstOrThrow()
        if (member.active !== 1)
          throw gone('MEMBER_INACTIVE', '该账号已停用 This account is deactivated')
        await trx.updateTable('member').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', row.member_id).execute()
        // The member is the actor: they set their own password through the link (never recorded).
        await writeAudit(trx, { id: row.member_id, branchId: row.branch_id }, { action: 'invite.accept', entity: 'member', entityId: row.member_id, data: { login: row.login } })
      })
    }
    catch (err) {
      // Hashing was refused (busy) or the write failed: the link works again for a retry, unless a
      // newer invite for the member was issued meanwhile (that one replaced it).
      await app.db.updateTable('invite').set({ used_at: null }).where('token_hash', '=', row.token_hash).where('used_at', '=', claimedAt).where(({ not, exists, selectFrom }) => not(exists(selectFrom('invite as newer').select('newer.token_hash').where('newer.member_id', '=', row.member_id).where('newer.created_at', '>', row.created_at)))).execute()
      throw err
    }
    // A new password set through an invite (e.g. a lost password) logs out every old device.
    await revokeSessions(app.db, row.member_id)
    await startSession(app.db, reply, row.member_id)
    return loadMe(app.db, row.member_id)
  })
}
