import type { Me } from '#shared/schemas/auth'
import type { Group, Member } from '#shared/schemas/org'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { conflict, gone, HttpError, notFound } from '../errors'
import { nowIso } from '../util/clock'
import { hashToken } from '../util/ids'
import { findInvite, findMe, findMember, groupNameTaken, listGroups, loginTaken } from './repository'

/* Rules over the organisation's records. Every lookup is scoped to the actor's branch: an id from
   another branch is "not found", exactly like an id that does not exist, so nobody learns what
   other branches hold. */

export const GROUP_NOT_FOUND = () => notFound('党小组 Group')
export const MEMBER_NOT_FOUND = () => notFound('成员 Member')

/** A group of the actor's branch that has not been removed, or 404. */
export async function requireGroup(db: Db, actor: Actor, groupId: string): Promise<Group> {
  const [group] = await listGroups(db, actor.branchId, groupId)
  if (!group)
    throw GROUP_NOT_FOUND()
  return group
}

export async function assertGroupNameFree(db: Db, branchId: string, name: string, exceptId?: string): Promise<void> {
  if (await groupNameTaken(db, branchId, name, exceptId))
    throw conflict('GROUP_NAME_TAKEN', `已有名为「${name}」的党小组 A group named "${name}" already exists`)
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
    throw conflict('LOGIN_TAKEN', `登录名「${login}」已被使用，请换一个 The login name "${login}" is taken; choose another`)
}

/** The logged-in member as the app shows them, or 404 (a member removed meanwhile). */
export async function loadMe(db: Db, memberId: string): Promise<Me> {
  const me = await findMe(db, memberId)
  if (!me)
    throw notFound('成员 Member')
  return me
}

/** Finds a usable invite or says plainly why it cannot be used. */
export async function usableInvite(db: Db, token: string) {
  const row = await findInvite(db, hashToken(token))
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
