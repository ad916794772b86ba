import type { Me } from '#shared/schemas/auth'
import type { Group, Member } from '#shared/schemas/org'
import type { Insertable, Transaction } from 'kysely'
import type { InviteTable } from '../db/auth.table'
import type { Database, Db } from '../db/database'
import type { BranchTable, MemberTable, PartyGroupTable } from '../db/org.table'
import { compareGroups, comparePeople } from '#shared/org/order'

/* The branch's organisation in SQL: branches, 党小组, members and their invite links. Rules
   (what may change, who may see it, which errors) are in org/service.ts. Lookups take the
   branch: an id from another branch is not there, exactly like an id that does not exist. */

type Trx = Transaction<Database>

/** True when the database holds no branch and no member (a fresh install; the demo may fill it). */
export async function isOrgEmpty(db: Db): Promise<boolean> {
  const branch = await db.selectFrom('branch').select('id').limit(1).executeTakeFirst()
  const member = await db.selectFrom('member').select('id').limit(1).executeTakeFirst()
  return !branch && !member
}

export async function insertBranch(trx: Trx, row: Insertable<BranchTable>): Promise<void> {
  await trx.insertInto('branch').values(row).execute()
}

/** The branch's upper organization (上级党组织), or null for a branch on its own (a plain install). */
export async function upperOrgOfBranch(db: Db | Trx, branchId: string): Promise<string | null> {
  const row = await db.selectFrom('branch').select('upper_org_id').where('id', '=', branchId).executeTakeFirst()
  return row?.upper_org_id ?? null
}

/** A branch its upper organization made is named again by its first admin at setup. */
export async function renameBranch(trx: Trx, branchId: string, name: string): Promise<void> {
  await trx.updateTable('branch').set({ name }).where('id', '=', branchId).execute()
}

export async function findBranchName(db: Db, branchId: string): Promise<string | undefined> {
  return (await db.selectFrom('branch').select('name').where('id', '=', branchId).executeTakeFirst())?.name
}

// ── 党小组 ───────────────────────────────────────────────────────────────────────────────────

/** Active groups of the branch with their active member counts: by their 第N numeral, else in the order they were created. */
export async function listGroups(db: Db, branchId: string, groupId?: string): Promise<Group[]> {
  let q = db.selectFrom('party_group')
    .leftJoin('member', join => join.onRef('member.group_id', '=', 'party_group.id').on('member.active', '=', 1))
    .select(eb => ['party_group.id', 'party_group.name', 'party_group.created_at', eb.fn.count<number>('member.id').as('member_count')])
    .where('party_group.branch_id', '=', branchId)
    .where('party_group.removed_at', 'is', null)
    .groupBy(['party_group.id', 'party_group.name', 'party_group.created_at'])
    // Creation order: 第一、第二、第三 stay in that order, which sorting the names by code point would not keep.
    .orderBy('party_group.created_at')
    .orderBy('party_group.name')
  if (groupId)
    q = q.where('party_group.id', '=', groupId)
  const rows = await q.execute()
  return rows
    .sort((a, b) => compareGroups({ name: a.name, order: a.created_at }, { name: b.name, order: b.created_at }))
    .map(r => ({ id: r.id, name: r.name, memberCount: Number(r.member_count) }))
}

/** Whether an active group of the branch other than `exceptId` already has this name. */
export async function groupNameTaken(db: Db, branchId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('party_group').select('id').where('branch_id', '=', branchId).where('removed_at', 'is', null).where('name', '=', name)
  if (exceptId)
    q = q.where('id', '!=', exceptId)
  return Boolean(await q.executeTakeFirst())
}

export async function insertGroup(trx: Trx, row: Insertable<PartyGroupTable>): Promise<void> {
  await trx.insertInto('party_group').values(row).execute()
}

export async function renameGroup(trx: Trx, groupId: string, name: string): Promise<void> {
  await trx.updateTable('party_group').set({ name }).where('id', '=', groupId).execute()
}

/** Kept, not deleted: past entries, meetings and deactivated members still name the group. */
export async function markGroupRemoved(trx: Trx, groupId: string, at: string): Promise<void> {
  await trx.updateTable('party_group').set({ removed_at: at }).where('id', '=', groupId).execute()
}

// ── Members ──────────────────────────────────────────────────────────────────────────────────

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
      'party_group.created_at as group_created',
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
  const rows = await q.orderBy('member.id').execute()
  // Groups in their order, people by pinyin: the databases' own ORDER BY does neither.
  return rows
    .sort((a, b) => comparePeople({ name: a.name, groupName: a.group_name, groupOrder: a.group_created }, { name: b.name, groupName: b.group_name, groupOrder: b.group_created }))
    .map(toMember)
}

export async function findMember(db: Db, branchId: string, memberId: string): Promise<Member | undefined> {
  const row = await memberQuery(db).where('member.id', '=', memberId).where('member.branch_id', '=', branchId).executeTakeFirst()
  return row && toMember(row)
}

/** Logins are unique across the whole server and compared without case, as the login route does. */
export async function loginTaken(db: Db, login: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('member').select('id').where(eb => eb.fn('lower', ['login']), '=', login.toLowerCase())
  if (exceptId)
    q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst())
    return true
  // One login page for both kinds of account: a member may not take an upper admin's login name.
  return Boolean(await db.selectFrom('upper_org_admin').select('id').where(eb => eb.fn('lower', ['login']), '=', login.toLowerCase()).executeTakeFirst())
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

export async function isMemberActive(db: Db, memberId: string): Promise<boolean> {
  const row = await db.selectFrom('member').select('active').where('id', '=', memberId).executeTakeFirst()
  return row?.active === 1
}

export async function insertMember(trx: Trx, row: Insertable<MemberTable>): Promise<void> {
  await trx.insertInto('member').values(row).execute()
}

/** What a branch admin may change about a member (members PATCH). */
export interface MemberFields {
  name: string
  login: string
  phone: string | null
  role: MemberTable['role']
  titles: string[]
  groupId: string | null
  active: boolean
}

export async function updateMember(trx: Trx, memberId: string, f: MemberFields, at: string): Promise<void> {
  await trx.updateTable('member').set({
    name: f.name,
    login: f.login,
    phone: f.phone,
    role: f.role,
    titles: JSON.stringify(f.titles),
    group_id: f.groupId,
    active: f.active ? 1 : 0,
    updated_at: at,
  }).where('id', '=', memberId).execute()
}

/** The member's own phone number (profile.update). */
export async function updatePhone(trx: Trx, memberId: string, phone: string | null, at: string): Promise<void> {
  await trx.updateTable('member').set({ phone, updated_at: at }).where('id', '=', memberId).execute()
}

/** From change `seq` on the member may pull other records (another group or role): their phone starts over. */
export async function setScopeSeq(trx: Trx, memberId: string, seq: number): Promise<void> {
  await trx.updateTable('member').set({ scope_seq: seq }).where('id', '=', memberId).execute()
}

/** The logged-in member as the app shows them (GET /api/auth/me and every login). */
export async function findMe(db: Db, memberId: string): Promise<Me | undefined> {
  const row = await db.selectFrom('member')
    .innerJoin('branch', 'branch.id', 'member.branch_id')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .select([
      'member.id',
      'member.name',
      'member.login',
      'member.role',
      'member.titles',
      'member.branch_id',
      'member.group_id',
      'branch.name as branch_name',
      'party_group.name as group_name',
      'party_group.created_at as group_created',
    ])
    .where('member.id', '=', memberId)
    .executeTakeFirst()
  return row && {
    id: row.id,
    name: row.name,
    login: row.login,
    role: row.role,
    titles: JSON.parse(row.titles) as string[],
    branchId: row.branch_id,
    branchName: row.branch_name,
    groupId: row.group_id,
    groupName: row.group_name ?? null,
  }
}

// ── Invite links ─────────────────────────────────────────────────────────────────────────────

/** An invite by its token's hash, with the member and branch it is for. */
export async function findInvite(db: Db, tokenHash: string) {
  return db.selectFrom('invite')
    .innerJoin('member', 'member.id', 'invite.member_id')
    .innerJoin('branch', 'branch.id', 'member.branch_id')
    .select(['invite.token_hash', 'invite.created_at', 'invite.expires_at', 'invite.used_at', 'member.id as member_id', 'member.branch_id', 'member.name', 'member.login', 'member.active', 'branch.name as branch_name'])
    .where('invite.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function insertInvite(trx: Trx, row: Insertable<InviteTable>): Promise<void> {
  await trx.insertInto('invite').values(row).execute()
}

/** Ends the member's unused links that still work (a newer link replaces them, or the member was deactivated). */
export async function expireOpenInvites(trx: Trx, memberId: string, at: string): Promise<void> {
  await trx.updateTable('invite').set({ expires_at: at }).where('member_id', '=', memberId).where('used_at', 'is', null).where('expires_at', '>', at).execute()
}

/** Marks the invite used unless someone else did first: true when this call claimed it. */
export async function claimInvite(db: Db, tokenHash: string, at: string): Promise<boolean> {
  const claimed = await db.updateTable('invite').set({ used_at: at }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}

/** Gives back an invite claimed at `claimedAt`, unless a newer invite for the member was issued meanwhile (that one replaced it). */
export async function releaseInvite(db: Db, invite: { token_hash: string, member_id: string, created_at: string }, claimedAt: string): Promise<void> {
  await db.updateTable('invite').set({ used_at: null }).where('token_hash', '=', invite.token_hash).where('used_at', '=', claimedAt).where(({ not, exists, selectFrom }) => not(exists(selectFrom('invite as newer').select('newer.token_hash').where('newer.member_id', '=', invite.member_id).where('newer.created_at', '>', invite.created_at)))).execute()
}

// ── 名册导入 ─────────────────────────────────────────────────────────────────────────────────

/** Members anywhere on the server whose login (without case) is one of `logins`: login names are unique server-wide. */
export async function membersWithLogins(db: Db, logins: readonly string[]): Promise<{ login: string, name: string, branch_id: string }[]> {
  const lower = [...new Set(logins.map(l => l.toLowerCase()))]
  if (lower.length === 0)
    return []
  return db.selectFrom('member').select(['login', 'name', 'branch_id']).where(eb => eb.fn('lower', ['login']), 'in', lower).execute()
}

/** Active members of the branch among `ids`, with their group's name (the bulk invite's sheet). */
export async function activeMembersAmong(db: Db, branchId: string, ids: readonly string[]): Promise<{ id: string, name: string, group_name: string | null }[]> {
  return db.selectFrom('member')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .select(['member.id', 'member.name', 'party_group.name as group_name'])
    .where('member.branch_id', '=', branchId)
    .where('member.active', '=', 1)
    .where('member.id', 'in', ids)
    .execute()
}
