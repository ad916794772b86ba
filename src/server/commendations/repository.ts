import type { NomineeStatus, RoundKind, RoundLevel, RoundStatus, TitleTarget } from '#shared/commendations/constants'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import { PRESENT_STATUSES } from '#shared/meetings/constants'

/* All of 评选表彰's SQL (issue 13 items 4–6). */

type Conn = Db | Transaction<Database>

export interface RoundRow {
  id: string
  branch_id: string
  kind: RoundKind
  year: number
  title: string
  level: RoundLevel
  status: RoundStatus
  weights: string
  publicity_days: number
  published_at: string | null
  decided_at: string | null
}

const ROUND_COLUMNS = ['id', 'branch_id', 'kind', 'year', 'title', 'level', 'status', 'weights', 'publicity_days', 'published_at', 'decided_at'] as const

export async function roundRow(db: Conn, branchId: string, id: string): Promise<RoundRow | undefined> {
  return db.selectFrom('commendation_round').select(ROUND_COLUMNS).where('id', '=', id).where('branch_id', '=', branchId).executeTakeFirst()
}

export async function listRoundRows(db: Conn, branchId: string): Promise<RoundRow[]> {
  return db.selectFrom('commendation_round').select(ROUND_COLUMNS).where('branch_id', '=', branchId).orderBy('year', 'desc').orderBy('created_at', 'desc').limit(200).execute()
}

export async function roundExists(db: Conn, branchId: string, kind: RoundKind, year: number): Promise<boolean> {
  return !!await db.selectFrom('commendation_round').select('id').where('branch_id', '=', branchId).where('kind', '=', kind).where('year', '=', year).executeTakeFirst()
}

export async function insertRound(trx: Transaction<Database>, r: RoundRow & { created_by: string, created_at: string }): Promise<void> {
  await trx.insertInto('commendation_round').values({ ...r, updated_at: r.created_at }).execute()
}

export async function updateRound(trx: Transaction<Database>, id: string, set: Partial<Pick<RoundRow, 'title' | 'level' | 'status' | 'weights' | 'publicity_days' | 'published_at' | 'decided_at'>> & { updated_at: string }): Promise<void> {
  await trx.updateTable('commendation_round').set(set).where('id', '=', id).execute()
}

export interface TitleRow { id: string, name: string, target: TitleTarget, quota: number, sort: number }

export async function titleRows(db: Conn, roundId: string): Promise<TitleRow[]> {
  return db.selectFrom('commendation_title').select(['id', 'name', 'target', 'quota', 'sort']).where('round_id', '=', roundId).orderBy('sort').execute()
}

export async function replaceTitles(trx: Transaction<Database>, roundId: string, branchId: string, titles: readonly TitleRow[]): Promise<void> {
  await trx.deleteFrom('commendation_title').where('round_id', '=', roundId).execute()
  if (titles.length > 0)
    await trx.insertInto('commendation_title').values(titles.map(t => ({ ...t, round_id: roundId, branch_id: branchId }))).execute()
}

export interface NomineeRow {
  id: string
  round_id: string
  title_id: string
  member_id: string | null
  group_id: string | null
  citation: string
  status: NomineeStatus
  decided_at: string | null
  decided_by: string | null
  name: string
  group_name: string | null
}

function nomineeQuery(db: Conn) {
  return db.selectFrom('commendation_nominee as n')
    .leftJoin('member', 'member.id', 'n.member_id')
    .leftJoin('party_group as g', join => join.on(eb => eb.or([eb('g.id', '=', eb.ref('n.group_id')), eb('g.id', '=', eb.ref('member.group_id'))])))
    .select(['n.id', 'n.round_id', 'n.title_id', 'n.member_id', 'n.group_id', 'n.citation', 'n.status', 'n.decided_at', 'n.decided_by', 'member.name as member_name', 'g.name as group_name'])
}

function toNominee(r: { member_name: string | null, group_name: string | null, member_id: string | null } & Omit<NomineeRow, 'name' | 'group_name'>): NomineeRow {
  const { member_name, ...rest } = r
  return { ...rest, name: r.member_id ? member_name ?? '' : r.group_name ?? '', group_name: r.group_name }
}

export async function nomineeRows(db: Conn, roundIds: readonly string[]): Promise<NomineeRow[]> {
  if (roundIds.length === 0)
    return []
  const rows = await nomineeQuery(db).where('n.round_id', 'in', roundIds).orderBy('n.created_at').orderBy('n.id').execute()
  return rows.map(toNominee)
}

export async function nomineeRow(db: Conn, branchId: string, id: string): Promise<NomineeRow | undefined> {
  const row = await nomineeQuery(db).where('n.id', '=', id).where('n.branch_id', '=', branchId).executeTakeFirst()
  return row && toNominee(row)
}

export async function nomineeIdTaken(db: Conn, id: string): Promise<boolean> {
  return !!await db.selectFrom('commendation_nominee').select('id').where('id', '=', id).executeTakeFirst()
}

export async function insertNominee(trx: Transaction<Database>, n: { id: string, round_id: string, title_id: string, branch_id: string, member_id: string | null, group_id: string | null, citation: string, nominated_by: string, created_at: string }): Promise<void> {
  await trx.insertInto('commendation_nominee').values({ ...n, status: 'nominated', points_entry_id: null, decided_by: null, decided_at: null, updated_at: n.created_at }).execute()
}

export async function decideNominee(trx: Transaction<Database>, id: string, set: { status: NomineeStatus, decided_by: string, decided_at: string, points_entry_id: string | null }): Promise<void> {
  await trx.updateTable('commendation_nominee').set({ ...set, updated_at: set.decided_at }).where('id', '=', id).execute()
}

export async function undecidedCount(db: Conn, roundId: string): Promise<number> {
  const row = await db.selectFrom('commendation_nominee').select(eb => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).where('status', '=', 'nominated').executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Serialises nominations of one round (the quota check and the insert) on PostgreSQL; SQLite writes one at a time anyway. */
export async function lockRound(trx: Transaction<Database>, roundId: string): Promise<void> {
  await trx.updateTable('commendation_round').set(eb => ({ updated_at: eb.ref('updated_at') })).where('id', '=', roundId).execute()
}

export interface MemberRow { id: string, name: string, group_id: string | null, active: number }

export async function branchMembers(db: Conn, branchId: string): Promise<MemberRow[]> {
  return db.selectFrom('member').select(['id', 'name', 'group_id', 'active']).where('branch_id', '=', branchId).execute()
}

export async function memberRow(db: Conn, branchId: string, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('member').select(['id', 'name', 'group_id', 'active']).where('id', '=', id).where('branch_id', '=', branchId).executeTakeFirst()
}

export async function branchGroups(db: Conn, branchId: string): Promise<{ id: string, name: string }[]> {
  return db.selectFrom('party_group').select(['id', 'name']).where('branch_id', '=', branchId).where('removed_at', 'is', null).execute()
}

export async function groupRow(db: Conn, branchId: string, id: string): Promise<{ id: string, name: string, removed_at: string | null } | undefined> {
  return db.selectFrom('party_group').select(['id', 'name', 'removed_at']).where('id', '=', id).where('branch_id', '=', branchId).executeTakeFirst()
}

/** Members with a standing (not revoked) 一票否决 in the year. */
export async function vetoedMembers(db: Conn, branchId: string, year: number): Promise<Set<string>> {
  const rows = await db.selectFrom('point_veto').select('member_id').where('branch_id', '=', branchId).where('year', '=', year).where('revoked_at', 'is', null).execute()
  return new Set(rows.map(r => r.member_id))
}

/** Pledge items evaluated 已兑现 in the year, by owning member (member pledges) and by owning group (group pledges). */
export async function pledgesKept(db: Conn, branchId: string, year: number): Promise<{ byMember: Map<string, number>, byGroup: Map<string, number> }> {
  const rows = await db.selectFrom('pledge_item')
    .innerJoin('pledge', 'pledge.id', 'pledge_item.pledge_id')
    .select(['pledge.owner_kind', 'pledge.member_id', 'pledge.group_id', eb => eb.fn.countAll<number>().as('n')])
    .where('pledge.branch_id', '=', branchId)
    .where('pledge.year', '=', year)
    .where('pledge_item.result', '=', 'kept')
    .where('pledge.owner_kind', 'in', ['member', 'group'])
    .groupBy(['pledge.owner_kind', 'pledge.member_id', 'pledge.group_id'])
    .execute()
  const byMember = new Map<string, number>()
  const byGroup = new Map<string, number>()
  for (const r of rows) {
    if (r.owner_kind === 'member' && r.member_id)
      byMember.set(r.member_id, (byMember.get(r.member_id) ?? 0) + Number(r.n))
    else if (r.owner_kind === 'group' && r.group_id)
      byGroup.set(r.group_id, (byGroup.get(r.group_id) ?? 0) + Number(r.n))
  }
  return { byMember, byGroup }
}

/** Attendance of closed meetings in the year, by member: present (checked in, approved or entered) out of expected. */
export async function attendanceCounts(db: Conn, branchId: string, year: number): Promise<Map<string, { present: number, expected: number }>> {
  const rows = await db.selectFrom('meeting_attendance as a')
    .innerJoin('meeting', 'meeting.id', 'a.meeting_id')
    .select(['a.member_id', eb => eb.fn.countAll<number>().as('expected'), eb => eb.fn.sum<number>(eb.case().when('a.status', 'in', [...PRESENT_STATUSES]).then(1).else(0).end()).as('present')])
    .where('meeting.branch_id', '=', branchId)
    .where('meeting.status', '=', 'closed')
    .where('meeting.starts_at', '>=', `${year}-01-01`)
    .where('meeting.starts_at', '<', `${year + 1}-01-01`)
    .groupBy('a.member_id')
    .execute()
  return new Map(rows.map(r => [r.member_id, { present: Number(r.present), expected: Number(r.expected) }]))
}

export interface FeedbackRow { id: string, nominee_id: string, name: string, text: string, status: string, created_at: string }

export async function feedbackRows(db: Conn, roundIds: readonly string[], statuses: readonly ('pending' | 'approved' | 'rejected')[]): Promise<FeedbackRow[]> {
  if (roundIds.length === 0)
    return []
  return db.selectFrom('commendation_feedback').select(['id', 'nominee_id', 'name', 'text', 'status', 'created_at']).where('round_id', 'in', roundIds).where('status', 'in', statuses).orderBy('created_at').limit(2000).execute()
}

export async function insertFeedback(db: Conn, f: { id: string, nominee_id: string, round_id: string, branch_id: string, name: string, text: string, created_at: string }): Promise<void> {
  await db.insertInto('commendation_feedback').values({ ...f, status: 'pending', moderated_by: null, moderated_at: null }).execute()
}

export async function feedbackRow(db: Conn, branchId: string, id: string): Promise<{ id: string, status: string } | undefined> {
  return db.selectFrom('commendation_feedback').select(['id', 'status']).where('id', '=', id).where('branch_id', '=', branchId).executeTakeFirst()
}

export async function moderateFeedbackRow(trx: Transaction<Database>, id: string, status: 'approved' | 'rejected', by: string, at: string): Promise<void> {
  await trx.updateTable('commendation_feedback').set({ status, moderated_by: by, moderated_at: at }).where('id', '=', id).execute()
}

/** The rounds of a branch in 公示 (for the public board). */
export async function publicityRounds(db: Conn, branchId: string): Promise<RoundRow[]> {
  return db.selectFrom('commendation_round').select(ROUND_COLUMNS).where('branch_id', '=', branchId).where('status', '=', 'publicity').orderBy('published_at').execute()
}

/** The round of a nominee that the public may comment on: in 公示, of this branch. */
export async function publicNominee(db: Conn, branchId: string, nomineeId: string): Promise<{ id: string, round_id: string } | undefined> {
  return db.selectFrom('commendation_nominee as n')
    .innerJoin('commendation_round as r', 'r.id', 'n.round_id')
    .select(['n.id', 'n.round_id'])
    .where('n.id', '=', nomineeId)
    .where('n.branch_id', '=', branchId)
    .where('r.status', '=', 'publicity')
    .executeTakeFirst()
}
