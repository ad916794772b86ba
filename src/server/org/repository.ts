import type { Group, Member } from '#shared/schemas/org'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { conflict, notFound } from '../errors'

/* Every lookup here is scoped to the actor's branch: an id from another branch is "not found",
   exactly like an id that does not exist, so nobody learns what other branches hold. */

export const GROUP_NOT_FOUND = () => notFound('党小组 Group')
export const MEMBER_NOT_FOUND = () => notFound('成员 Member')

/** Active groups of the branch with their active member counts, in the order they were created. */
export async function listGroups(db: Db, branchId: string, groupId?: string): Promise<Group[]> {
  let q = db.selectFrom('party_group')
    .leftJoin('member', join => join.onRef('member.group_id', '=', 'party_group.id').on('member.active', '=', 1))
    .select(eb => ['party_group.id', 'party_group.name', eb.fn.count<number>('member.id').as('member_count')])
    .where('party_group.branch_id', '=', branchId)
    .where('party_group.removed_at', 'is', null)
    .groupBy(['party_group.id', 'party_group.name', 'party_group.created_at'])
    // Creation order: 第一、第二、第三 stay in that order, which sorting the names by code point would not keep.
    .orderBy('party_group.created_at')
    .orderBy('party_group.name')
  if (groupId)
    q = q.where('party_group.id', '=', groupId)
  const rows = await q.execute()
  return rows.map(r => ({ id: r.id, name: r.name, memberCount: Number(r.member_count) }))
}

/** A group of the actor's branch that has not been removed, or 404. */
export async function requireGroup(db: Db, actor: Actor, groupId: string): Promise<Group> {
  const [group] = await listGroups(db, actor.branchId, groupId)
  if (!group)
    throw GROUP_NOT_FOUND()
  return group
}

export async function assertGroupNameFree(db: Db, branchId: string, name: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('party_group').select('id').where('branch_id', '=', branchId).where('removed_at', 'is', null).where('name', '=', name)
  if (exceptId)
    q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst())
    throw conflict('GROUP_NAME_TAKEN', `已有名为「${name}」的党小组 A group named "${name}" already exists`)
}

function memberQuery(db: Db) {
  return db.selectFrom('member')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .select([
      'member.id',
      'member.branch_id',
      'member.name',
      'member.login',
      'member.phone',
      'member.role',
      'member.titles',
      'member.group_id',
      'member.active',
      'member.password_hash',
      'member.created_at',
      'member.updated_at',
      'party_group.name as group_name',
    ])
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['executeTakeFirstOrThrow']>>

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    name: row.name,
    login: row.login,
    phone: row.phone,
    role: row.role,
    titles: JSON.parse(row.titles) as string[],
    groupId: row.group_id,
    groupName: row.group_name ?? null,
    active: row.active === 1,
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function listMembers(db: Db, branchId: string, filter: { groupId?: string, active?: boolean }): Promise<Member[]> {
  let q = memberQuery(db).where('member.branch_id', '=', branchId)
  if (filter.groupId !== undefined)
    q = q.where('member.group_id', '=', filter.groupId)
  if (filter.active !== undefined)
    q = q.where('member.active', '=', filter.active ? 1 : 0)
  const rows = await q.orderBy('party_group.created_at').orderBy('member.name').orderBy('member.id').execute()
  return rows.map(toMember)
}

/** A member of the actor's branch, or 404. */
export async function requireMember(db: Db, actor: Actor, memberId: string): Promise<Member> {
  const row = await memberQuery(db).where('member.id', '=', memberId).where('member.branch_id', '=', actor.branchId).executeTakeFirst()
  if (!row)
    throw MEMBER_NOT_FOUND()
  return toMember(row)
}

/** Logins are unique across the whole server and compared without case, as the login route does. */
export async function assertLoginFree(db: Db, login: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('member').select('id').where(eb => eb.fn('lower', ['login']), '=', login.toLowerCase())
  if (exceptId)
    q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst())
    throw conflict('LOGIN_TAKEN', `登录名「${login}」已被使用，请换一个 The login name "${login}" is taken; choose another`)
}

/** Active branch admins of the branch other than `exceptId`. */
export async function otherActiveAdmins(db: Db, branchId: string, exceptId: string): Promise<number> {
  const row = await db.selectFrom('member')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('branch_id', '=', branchId)
    .where('role', '=', 'branch_admin')
    .where('active', '=', 1)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * A concurrent insert can still hit the unique index (or the primary key) after our check;
 * answer it the same way.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string }
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
