import type { Me } from '#shared/schemas/auth'
import type { Group, Invite, Member } from '#shared/schemas/org'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { INVITE_DAYS } from '#shared/constants'
import { writeAudit } from '../audit/writer'
import { failure, notFound, refusal } from '../errors'
import { addMs, DAY, nowIso } from '../util/clock'
import { hashToken, newToken } from '../util/ids'
import { expireOpenInvites, findInvite, findMe, findMember, groupNameTaken, insertInvite, listGroups, loginTaken } from './repository'

/* Rules over the organisation's records. Every lookup is scoped to the actor's branch: an id from
   another branch is "not found", exactly like an id that does not exist, so nobody learns what
   other branches hold. */

export const GROUP_NOT_FOUND = () => notFound('group')
export const MEMBER_NOT_FOUND = () => notFound('member')

/** A group of the actor's branch that has not been removed, or 404. */
export async function requireGroup(db: Db, actor: Actor, groupId: string): Promise<Group> {
  const [group] = await listGroups(db, actor.branchId, groupId)
  if (!group)
    throw GROUP_NOT_FOUND()
  return group
}

export async function assertGroupNameFree(db: Db, branchId: string, name: string, exceptId?: string): Promise<void> {
  if (await groupNameTaken(db, branchId, name, exceptId))
    throw failure(409, 'GROUP_NAME_TAKEN', { name })
}

/** A member of the actor's branch, or 404. */
export async function requireMember(db: Db, actor: Actor, memberId: string): Promise<Member> {
  const member = await findMember(db, actor.branchId, memberId)
  if (!member)
    throw MEMBER_NOT_FOUND()
  return member
}

/** Logins are unique across the whole server and compared without case, as the login route does. */
export async function assertLoginFree(db: Db, login: string, exceptId?: string): Promise<void> {
  if (await loginTaken(db, login, exceptId))
    throw refusal(409, 'LOGIN_TAKEN', 'LOGIN_NAME_TAKEN', { login })
}

/** The logged-in member as the app shows them, or 404 (a member removed meanwhile). */
export async function loadMe(db: Db, memberId: string): Promise<Me> {
  const me = await findMe(db, memberId)
  if (!me)
    throw notFound('member')
  return me
}

/** Finds a usable invite or says plainly why it cannot be used. */
export async function usableInvite(db: Db, token: string) {
  const row = await findInvite(db, hashToken(token))
  if (!row)
    throw failure(404, 'INVITE_INVALID')
  if (row.used_at)
    throw failure(410, 'INVITE_USED')
  if (row.expires_at <= nowIso())
    throw failure(410, 'INVITE_EXPIRED')
  if (row.active !== 1)
    throw failure(410, 'MEMBER_INACTIVE')
  return row
}

/**
 * A fresh one-time invite link for an active member of the actor's branch (发送邀请, one or many):
 * only the newest link works, so an older one forwarded to the wrong person is dead. `origin` is
 * the checked link origin (auth/origin.ts linkOrigin).
 */
export async function issueInvite(trx: Transaction<Database>, actor: Actor, memberId: string, origin: string): Promise<Invite & { member: Member }> {
  const member = await requireMember(trx, actor, memberId)
  if (!member.active)
    throw refusal(409, 'MEMBER_INACTIVE', 'MEMBER_INACTIVE_INVITE')
  const token = newToken()
  const expiresAt = addMs(INVITE_DAYS * DAY)
  const now = nowIso()
  await expireOpenInvites(trx, member.id, now)
  await insertInvite(trx, { token_hash: hashToken(token), member_id: member.id, created_by: actor.id, created_at: now, expires_at: expiresAt, used_at: null })
  await writeAudit(trx, actor, { action: 'member.invite', entity: 'member', entityId: member.id, data: { expiresAt, resetsPassword: member.hasPassword } })
  // The token travels in the fragment, which browsers never send to a server or write to its logs.
  return { url: `${origin}/invite#${token}`, expiresAt, member }
}
