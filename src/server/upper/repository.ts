import type { Insertable, Transaction } from 'kysely'
import type { UpperSessionTable } from '../db/auth.table'
import type { Database, Db } from '../db/database'
import type { UpperOrgAdminTable } from '../db/org.table'
import { sql } from 'kysely'

/* 上级党组织 in SQL: its admins and their sessions, its branches, and the figures of the overview.
   Every figure query takes the branch ids already narrowed to one upper organization. */

type Conn = Db | Transaction<Database>

/** The upper admin as every upper route sees it; never an id from a body. */
export interface UpperActor {
  id: string
  upperOrgId: string
  name: string
  login: string
  upperOrgName: string
}

// ── Admins and sessions ─────────────────────────────────────────────────────────────────────

export async function findUpperCredentials(db: Db, login: string) {
  return db.selectFrom('upper_org_admin').select(['id', 'upper_org_id', 'password_hash', 'active']).where(eb => eb.fn('lower', ['login']), '=', login.toLowerCase()).executeTakeFirst()
}

export async function insertUpperSession(db: Db, row: Insertable<UpperSessionTable>): Promise<void> {
  await db.insertInto('upper_session').values(row).execute()
}

export async function findUpperSessionActor(db: Db, tokenHash: string, now: string): Promise<UpperActor | undefined> {
  return db.selectFrom('upper_session')
    .innerJoin('upper_org_admin as a', 'a.id', 'upper_session.admin_id')
    .innerJoin('upper_org as o', 'o.id', 'a.upper_org_id')
    .select(['a.id', 'a.upper_org_id as upperOrgId', 'a.name', 'a.login', 'o.name as upperOrgName'])
    .where('upper_session.token_hash', '=', tokenHash)
    .where('upper_session.revoked_at', 'is', null)
    .where('upper_session.expires_at', '>', now)
    .where('a.active', '=', 1)
    .executeTakeFirst()
}

export async function findUpperActor(db: Db, adminId: string): Promise<UpperActor | undefined> {
  return db.selectFrom('upper_org_admin as a')
    .innerJoin('upper_org as o', 'o.id', 'a.upper_org_id')
    .select(['a.id', 'a.upper_org_id as upperOrgId', 'a.name', 'a.login', 'o.name as upperOrgName'])
    .where('a.id', '=', adminId)
    .executeTakeFirst()
}

export async function revokeUpperSession(db: Db, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('upper_session').set({ revoked_at: at }).where('token_hash', '=', tokenHash).execute()
}

export async function upperPasswordHashOf(db: Db, adminId: string): Promise<string | null> {
  const row = await db.selectFrom('upper_org_admin').select('password_hash').where('id', '=', adminId).executeTakeFirst()
  return row?.password_hash ?? null
}

export async function setUpperPasswordHash(db: Db, adminId: string, hash: string): Promise<void> {
  await db.updateTable('upper_org_admin').set({ password_hash: hash }).where('id', '=', adminId).execute()
}

/** Every session of the admin but the one still in use (after a password change). */
export async function revokeOtherUpperSessions(db: Db, adminId: string, at: string, exceptHash: string): Promise<void> {
  await db.updateTable('upper_session').set({ revoked_at: at }).where('admin_id', '=', adminId).where('revoked_at', 'is', null).where('token_hash', '!=', exceptHash).execute()
}

export async function anyUpperAdmin(db: Conn): Promise<boolean> {
  return Boolean(await db.selectFrom('upper_org_admin').select('id').limit(1).executeTakeFirst())
}

export async function insertUpperOrg(db: Conn, row: { id: string, name: string, created_at: string }): Promise<void> {
  await db.insertInto('upper_org').values(row).execute()
}

export async function findUpperOrgByName(db: Conn, name: string) {
  return db.selectFrom('upper_org').selectAll().where('name', '=', name).executeTakeFirst()
}

export async function insertUpperAdmin(db: Conn, row: Insertable<UpperOrgAdminTable>): Promise<void> {
  await db.insertInto('upper_org_admin').values(row).execute()
}

/** Branches under no upper organization (a single-branch install). */
export async function orphanBranches(db: Conn) {
  return db.selectFrom('branch').select('id').where('upper_org_id', 'is', null).execute()
}

/** Puts an existing branch (e.g. a single-branch install joining an upper organization) under it. */
export async function attachBranch(db: Conn, branchId: string, upperOrgId: string): Promise<void> {
  await db.updateTable('branch').set({ upper_org_id: upperOrgId }).where('id', '=', branchId).execute()
}

// ── Branches ───────────────────────────────────────────────────────────────────────────────

export async function branchesOf(db: Db, upperOrgId: string) {
  return db.selectFrom('branch').select(['id', 'name']).where('upper_org_id', '=', upperOrgId).orderBy('created_at').orderBy('id').execute()
}

/** The branch if it is this upper organization's; another's is as absent as a missing one. */
export async function branchOf(db: Conn, upperOrgId: string, branchId: string) {
  return db.selectFrom('branch').select(['id', 'name']).where('upper_org_id', '=', upperOrgId).where('id', '=', branchId).executeTakeFirst()
}

export async function branchNameTaken(db: Conn, upperOrgId: string, name: string): Promise<boolean> {
  return Boolean(await db.selectFrom('branch').select('id').where('upper_org_id', '=', upperOrgId).where('name', '=', name).executeTakeFirst())
}

/** Active branch admins per branch (0 absent): a branch without one still waits for its setup link. */
export async function adminCounts(db: Conn, branchIds: string[]): Promise<Map<string, number>> {
  if (branchIds.length === 0)
    return new Map()
  const rows = await db.selectFrom('member').select(['branch_id', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', 'in', branchIds).where('role', '=', 'branch_admin').where('active', '=', 1).groupBy('branch_id').execute()
  return new Map(rows.map(r => [r.branch_id, Number(r.n)]))
}

// ── Figures ─────────────────────────────────────────────────────────────────────────────────

/**
 * `key` is the branch id (overview) or the group id (drill-down, null for members in no group);
 * members and points go by each member's group now, pledges by the group the pledge was written in.
 */
type Key = string | null
export interface UnitRows {
  members: { key: Key, n: number }[]
  groups: { key: Key, n: number }[]
  points: { key: Key, category: string, sum: number }[]
  pledges: { key: Key, made: number, kept: number, overdue: number }[]
  reviews: { key: Key, n: number }[]
}

const num = (v: unknown) => Number(v ?? 0)

/**
 * The figures of many branches at once, a handful of grouped queries however many branches.
 * Points come from point_total (a member's year per category, kept from the ledger by the
 * database): 50 branches × 200 members read 50 000 rows there instead of 600 000 ledger rows.
 */
export async function branchFigures(db: Db, branchIds: string[], year: number, today: string): Promise<UnitRows & { appraisals: { key: string }[] }> {
  if (branchIds.length === 0)
    return { members: [], groups: [], points: [], pledges: [], reviews: [], appraisals: [] }
  const [members, groups, points, pledges, reviews, appraisals] = await Promise.all([
    db.selectFrom('member').select(['branch_id as key', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', 'in', branchIds).where('active', '=', 1).groupBy('branch_id').execute(),
    db.selectFrom('party_group').select(['branch_id as key', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', 'in', branchIds).where('removed_at', 'is', null).groupBy('branch_id').execute(),
    db.selectFrom('point_total').select(['branch_id as key', 'category', eb => eb.fn.sum<number>('amount').as('sum')]).where('branch_id', 'in', branchIds).where('year', '=', year).groupBy(['branch_id', 'category']).execute(),
    pledgeQuery(db, year, today, branchIds).select('p.branch_id as key').groupBy('p.branch_id').execute(),
    db.selectFrom('review_session').select(['branch_id as key', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', 'in', branchIds).where('status', '=', 'closed').where('period_from', '>=', `${year}-01-01`).where('period_from', '<=', `${year}-12-31`).groupBy('branch_id').execute(),
    db.selectFrom('appraisal').select('branch_id as key').where('branch_id', 'in', branchIds).where('year', '=', year).where('status', 'in', ['counted', 'decided']).execute(),
  ])
  return {
    members: members.map(r => ({ key: r.key, n: num(r.n) })),
    groups: groups.map(r => ({ key: r.key, n: num(r.n) })),
    points: points.map(r => ({ key: r.key, category: r.category, sum: num(r.sum) })),
    pledges: pledges.map(r => ({ key: r.key, made: num(r.made), kept: num(r.kept), overdue: num(r.overdue) })),
    reviews: reviews.map(r => ({ key: r.key, n: num(r.n) })),
    appraisals,
  }
}

/** One branch's figures per group. */
export async function groupFigures(db: Db, branchId: string, year: number, today: string): Promise<UnitRows & { names: { id: string, name: string }[] }> {
  const [names, members, points, pledges, reviews] = await Promise.all([
    db.selectFrom('party_group').select(['id', 'name']).where('branch_id', '=', branchId).where('removed_at', 'is', null).execute(),
    db.selectFrom('member').select(['group_id as key', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', '=', branchId).where('active', '=', 1).groupBy('group_id').execute(),
    // A member never changes branch, so naming it on both sides changes no sum; it lets the join read the branch's 200 members by index instead of every member.
    db.selectFrom('point_total as l').innerJoin('member as m', 'm.id', 'l.member_id').select(['m.group_id as key', 'l.category', eb => eb.fn.sum<number>('l.amount').as('sum')]).where('l.branch_id', '=', branchId).where('m.branch_id', '=', branchId).where('l.year', '=', year).groupBy(['m.group_id', 'l.category']).execute(),
    pledgeQuery(db, year, today, [branchId]).select('p.group_id as key').groupBy('p.group_id').execute(),
    db.selectFrom('review_session').select(['group_id as key', eb => eb.fn.countAll<number>().as('n')]).where('branch_id', '=', branchId).where('status', '=', 'closed').where('period_from', '>=', `${year}-01-01`).where('period_from', '<=', `${year}-12-31`).groupBy('group_id').execute(),
  ])
  return {
    names,
    members: members.map(r => ({ key: r.key, n: num(r.n) })),
    groups: [],
    points: points.map(r => ({ key: r.key, category: r.category, sum: num(r.sum) })),
    pledges: pledges.map(r => ({ key: r.key, made: num(r.made), kept: num(r.kept), overdue: num(r.overdue) })),
    reviews: reviews.map(r => ({ key: r.key, n: num(r.n) })),
  }
}

/**
 * Items of the year's approved or published pledges of the branches: made, kept, overdue (due
 * before today, not done, not assessed, not excused). Items carry their pledge's branch, and
 * narrowing them by it too lets one branch read its own items by index (600 rows for 200 members)
 * rather than hashing every branch's (30 000).
 */
function pledgeQuery(db: Db, year: number, today: string, branchIds: string[]) {
  return db.selectFrom('pledge_item as i').innerJoin('pledge as p', 'p.id', 'i.pledge_id').select([
    eb => eb.fn.countAll<number>().as('made'),
    sql<number>`sum(case when i.result = 'kept' then 1 else 0 end)`.as('kept'),
    sql<number>`sum(case when i.result is null and i.excused = 0 and i.progress_status <> 'done' and i.due_date < ${today} then 1 else 0 end)`.as('overdue'),
  ]).where('p.year', '=', year).where('p.status', 'in', ['approved', 'published']).where('p.branch_id', 'in', branchIds).where('i.branch_id', 'in', branchIds)
}
