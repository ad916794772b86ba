import type { BallotRating, RatingRow } from '#shared/reviews/rules'
import type { PeriodRecord, ReviewBallot, ReviewMember, ReviewSession, ReviewStatement } from '#shared/reviews/schemas'
import type { Selectable, Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { ReviewSessionTable } from '../db/reviews.table'
import { PRESENT_STATUSES } from '#shared/meetings/constants'
import { CATEGORIES } from '#shared/points/categories'
import { MEMBER_DIMENSIONS } from '#shared/reviews/constants'
import { REVIEW_ENTITY, statementId } from '#shared/reviews/ops'
import { recordChange } from '../sync/changes'

/*
 * All SQL of the 讲评 sessions (issue 12): sessions, 陈述, members' ballots, the period's record
 * and the change-log rows the phones pull. Scopes of the change log: a session and its 陈述 go to
 * the session's group and the branch admins (branch-wide for a branch session); a ballot and a
 * result only to the member they belong to, so nobody pulls another's ballot.
 */

type Conn = Db | Transaction<Database>
export type SessionRow = Selectable<ReviewSessionTable> & { group_name: string | null, meeting_topic: string | null, closed_by_name: string | null }

const collator = new Intl.Collator('zh-CN')

function sessionSelect(db: Conn) {
  return db.selectFrom('review_session')
    .leftJoin('party_group', 'party_group.id', 'review_session.group_id')
    .leftJoin('meeting', 'meeting.id', 'review_session.meeting_id')
    .leftJoin('member as closer', 'closer.id', 'review_session.closed_by')
    .selectAll('review_session')
    .select(['party_group.name as group_name', 'meeting.topic as meeting_topic', 'closer.name as closed_by_name'])
}

/** A session of the branch, or undefined (another branch's is as good as missing). */
export async function loadSession(db: Conn, branchId: string, id: string): Promise<SessionRow | undefined> {
  return sessionSelect(db).where('review_session.id', '=', id).where('review_session.branch_id', '=', branchId).executeTakeFirst()
}

export async function sessionIdTaken(db: Conn, id: string): Promise<boolean> {
  return (await db.selectFrom('review_session').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Sessions of the branch, newest period first; the caller filters by who may see them. */
export async function listSessionRows(db: Conn, branchId: string, period?: string): Promise<SessionRow[]> {
  let q = sessionSelect(db).where('review_session.branch_id', '=', branchId)
  if (period)
    q = q.where('review_session.period', '=', period)
  return q.orderBy('review_session.period', 'desc').orderBy('review_session.created_at', 'desc').limit(200).execute()
}

/** Whether the group (null: the branch) already has a session for the period. */
export async function periodTaken(db: Conn, branchId: string, groupId: string | null, period: string): Promise<boolean> {
  let q = db.selectFrom('review_session').select('id').where('branch_id', '=', branchId).where('period', '=', period)
  q = groupId === null ? q.where('group_id', 'is', null) : q.where('group_id', '=', groupId)
  return (await q.executeTakeFirst()) !== undefined
}

export async function groupOfBranch(db: Conn, branchId: string, groupId: string) {
  return db.selectFrom('party_group').select(['id', 'name']).where('id', '=', groupId).where('branch_id', '=', branchId).where('removed_at', 'is', null).executeTakeFirst()
}

export async function meetingOfBranch(db: Conn, branchId: string, meetingId: string) {
  return db.selectFrom('meeting').select(['id', 'group_id', 'type', 'status']).where('id', '=', meetingId).where('branch_id', '=', branchId).executeTakeFirst()
}

/** The members a session concerns: the group's active members (the branch's for a branch session), in 拼音 order. */
export async function sessionMembers(db: Conn, branchId: string, groupId: string | null): Promise<ReviewMember[]> {
  let q = db.selectFrom('member').select(['id', 'name']).where('branch_id', '=', branchId).where('active', '=', 1)
  if (groupId !== null)
    q = q.where('group_id', '=', groupId)
  const rows = await q.execute()
  return rows.sort((a, b) => collator.compare(a.name, b.name))
}

export async function insertSession(trx: Transaction<Database>, row: Selectable<ReviewSessionTable>): Promise<void> {
  await trx.insertInto('review_session').values(row).execute()
}

/**
 * Moves a session from one status to the next; the status guard makes each step happen once even
 * when two organizers press at the same time. False when another got there first.
 */
export async function moveSession(trx: Transaction<Database>, id: string, from: ReviewSessionTable['status'], columns: Partial<Pick<ReviewSessionTable, 'status' | 'opened_at' | 'rating_opened_at' | 'closed_at' | 'closed_by'>>, now: string): Promise<boolean> {
  const row = await trx.updateTable('review_session').set({ ...columns, updated_at: now }).where('id', '=', id).where('status', '=', from).returning('id').executeTakeFirst()
  return row !== undefined
}

export function toSession(r: SessionRow, members: ReviewMember[]): ReviewSession {
  return {
    id: r.id,
    groupId: r.group_id,
    groupName: r.group_name,
    meetingId: r.meeting_id,
    meetingTopic: r.meeting_topic,
    title: r.title,
    period: r.period,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: r.status,
    createdBy: r.created_by,
    openedAt: r.opened_at,
    ratingOpenedAt: r.rating_opened_at,
    closedAt: r.closed_at,
    closedByName: r.closed_by_name,
    members,
    updatedAt: r.updated_at,
  }
}

/** The change-log scope of what the whole session may read: its group and the branch admins, or the branch. */
function groupScope(r: Pick<SessionRow, 'group_id'>) {
  return r.group_id === null ? { memberId: null } : { memberId: null, groupId: r.group_id }
}

/** Re-reads the session and puts it in the change log for its group (members listed as they are now). */
export async function publishSession(trx: Transaction<Database>, id: string): Promise<ReviewSession> {
  const row = await sessionSelect(trx).where('review_session.id', '=', id).executeTakeFirstOrThrow()
  const session = toSession(row, await sessionMembers(trx, row.branch_id, row.group_id))
  await recordChange(trx, { entity: REVIEW_ENTITY.session, entityId: id, branchId: row.branch_id, ...groupScope(row), op: 'upsert', data: session })
  return session
}

export async function saveStatement(trx: Transaction<Database>, s: { id: string, sessionId: string, branchId: string, memberId: string, participation: string, pledges: string, improvement: string }, now: string): Promise<void> {
  await trx.insertInto('review_statement').values({ id: s.id, session_id: s.sessionId, branch_id: s.branchId, member_id: s.memberId, participation: s.participation, pledges: s.pledges, improvement: s.improvement, created_at: now, updated_at: now }).onConflict(oc => oc.columns(['session_id', 'member_id']).doUpdateSet({ participation: s.participation, pledges: s.pledges, improvement: s.improvement, updated_at: now })).execute()
}

/** The 陈述 of a session, each with its member's record for the period (computed now, never stored). */
export async function loadStatements(db: Conn, session: Pick<SessionRow, 'id' | 'branch_id' | 'period_from' | 'period_to'>, memberId?: string): Promise<ReviewStatement[]> {
  let q = db.selectFrom('review_statement')
    .innerJoin('member', 'member.id', 'review_statement.member_id')
    .selectAll('review_statement')
    .select(['member.name', 'member.group_id'])
    .where('review_statement.session_id', '=', session.id)
  if (memberId)
    q = q.where('review_statement.member_id', '=', memberId)
  const rows = await q.execute()
  const out: ReviewStatement[] = []
  for (const r of rows.sort((a, b) => collator.compare(a.name, b.name))) {
    out.push({
      sessionId: r.session_id,
      memberId: r.member_id,
      memberName: r.name,
      participation: r.participation,
      pledges: r.pledges,
      improvement: r.improvement,
      record: await periodRecord(db, { id: r.member_id, branchId: session.branch_id, groupId: r.group_id }, session.period_from, session.period_to),
      updatedAt: r.updated_at,
    })
  }
  return out
}

export async function publishStatement(trx: Transaction<Database>, session: SessionRow, memberId: string): Promise<ReviewStatement> {
  const [statement] = await loadStatements(trx, session, memberId)
  await recordChange(trx, { entity: REVIEW_ENTITY.statement, entityId: statementId(session.id, memberId), branchId: session.branch_id, ...groupScope(session), op: 'upsert', data: statement })
  return statement!
}

/** The day after an ISO date, for a half-open range over timestamps. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/**
 * A member's own record for the period, as the 陈述 shows it: points granted by 五带头 category
 * (the ledger, net of deductions and reversals), their pledge items due in the period and how each
 * was kept, and the closed meetings they were expected at with how many they attended.
 */
export async function periodRecord(db: Conn, member: { id: string, branchId: string, groupId: string | null }, from: string, to: string): Promise<PeriodRecord> {
  const sums = await db.selectFrom('point_ledger')
    .select(['category', eb => eb.fn.sum<number | string>('amount').as('total')])
    .where('member_id', '=', member.id)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .groupBy('category')
    .execute()
  const points = Object.fromEntries(CATEGORIES.map(c => [c, 0])) as PeriodRecord['points']
  for (const s of sums) {
    if ((CATEGORIES as readonly string[]).includes(s.category))
      points[s.category as keyof PeriodRecord['points']] = Number(s.total ?? 0)
  }
  const items = await db.selectFrom('pledge_item')
    .innerJoin('pledge', 'pledge.id', 'pledge_item.pledge_id')
    .select(['pledge_item.result'])
    .where('pledge.member_id', '=', member.id)
    .where('pledge.owner_kind', '=', 'member')
    .where('pledge.status', 'in', ['approved', 'published'])
    .where('pledge_item.due_date', '>=', from)
    .where('pledge_item.due_date', '<=', to)
    .execute()
  const count = (result: string | null) => items.filter(i => i.result === result).length
  // Meetings' times are UTC instants; the period's days are compared as UTC dates, close enough for a half year.
  let meetings = db.selectFrom('meeting')
    .leftJoin('meeting_attendance', join => join.onRef('meeting_attendance.meeting_id', '=', 'meeting.id').on('meeting_attendance.member_id', '=', member.id))
    .select(['meeting.id', 'meeting_attendance.status'])
    .where('meeting.branch_id', '=', member.branchId)
    .where('meeting.status', '=', 'closed')
    .where('meeting.starts_at', '>=', from)
    .where('meeting.starts_at', '<', dayAfter(to))
  meetings = member.groupId === null
    ? meetings.where('meeting.group_id', 'is', null)
    : meetings.where(eb => eb.or([eb('meeting.group_id', 'is', null), eb('meeting.group_id', '=', member.groupId)]))
  const attended = await meetings.execute()
  return {
    from,
    to,
    points,
    pointsTotal: CATEGORIES.reduce((s, c) => s + points[c], 0),
    pledges: { items: items.length, kept: count('kept'), partial: count('partial'), broken: count('broken'), open: count(null) },
    attendance: {
      expected: attended.length,
      present: attended.filter(a => a.status !== null && (PRESENT_STATUSES as readonly string[]).includes(a.status)).length,
      leave: attended.filter(a => a.status === 'leave').length,
    },
  }
}

/** The attendance status of each member at the session's meeting (its QR check-in). */
export async function meetingAttendance(db: Conn, meetingId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('meeting_attendance').select(['member_id', 'status']).where('meeting_id', '=', meetingId).execute()
  return new Map(rows.map(r => [r.member_id, r.status]))
}

/** Replaces the member's ballot for the session: the ratings go, the new ones come, one ballot row kept. */
export async function replaceMemberBallot(trx: Transaction<Database>, session: Pick<SessionRow, 'id' | 'branch_id'>, raterId: string, ratings: readonly BallotRating[], now: string, newBallotId: string): Promise<void> {
  const existing = await trx.selectFrom('review_ballot').select('id').where('session_id', '=', session.id).where('rater_member_id', '=', raterId).executeTakeFirst()
  const ballotId = existing?.id ?? newBallotId
  if (existing) {
    await trx.deleteFrom('review_rating').where('ballot_id', '=', ballotId).execute()
    await trx.updateTable('review_ballot').set({ updated_at: now }).where('id', '=', ballotId).execute()
  }
  else {
    await trx.insertInto('review_ballot').values({ id: ballotId, session_id: session.id, branch_id: session.branch_id, rater_kind: 'member', rater_member_id: raterId, guest_id: null, created_at: now, updated_at: now }).execute()
  }
  await trx.insertInto('review_rating').values(ratings.map(r => ({
    ballot_id: ballotId,
    session_id: session.id,
    branch_id: session.branch_id,
    ratee_id: r.rateeId,
    rater_kind: 'member' as const,
    ...Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, r.scores[d]!])) as Record<(typeof MEMBER_DIMENSIONS)[number], number>,
    comment: r.comment?.trim() ?? '',
    comment_status: 'approved' as const,
  }))).execute()
}

/** The member's own ballot of a session, or null. */
export async function loadMemberBallot(db: Conn, sessionId: string, raterId: string): Promise<ReviewBallot | null> {
  const ballot = await db.selectFrom('review_ballot').select(['id', 'updated_at']).where('session_id', '=', sessionId).where('rater_member_id', '=', raterId).executeTakeFirst()
  if (!ballot)
    return null
  const rows = await db.selectFrom('review_rating').selectAll().where('ballot_id', '=', ballot.id).execute()
  return {
    sessionId,
    ratings: rows.map(r => ({ rateeId: r.ratee_id, scores: { study: r.study, excel: r.excel, serve: r.serve, discipline: r.discipline, uphold: r.uphold }, ...(r.comment ? { comment: r.comment } : {}) })),
    updatedAt: ballot.updated_at,
  }
}

/** Puts the rater's ballot in the change log for the rater alone (group_id null: nobody else pulls it). */
export async function publishBallot(trx: Transaction<Database>, session: Pick<SessionRow, 'id' | 'branch_id'>, raterId: string): Promise<ReviewBallot> {
  const ballot = (await loadMemberBallot(trx, session.id, raterId))!
  await recordChange(trx, { entity: REVIEW_ENTITY.ballot, entityId: session.id, branchId: session.branch_id, memberId: raterId, groupId: null, op: 'upsert', data: ballot })
  return ballot
}

export async function countMemberBallots(db: Conn, sessionId: string): Promise<number> {
  const row = await db.selectFrom('review_ballot').select(eb => eb.fn.countAll<number | string>().as('n')).where('session_id', '=', sessionId).where('rater_kind', '=', 'member').executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Every rating of one session (members' and guests'), without who gave it. */
export async function sessionRatingRows(db: Conn, sessionId: string): Promise<RatingRow[]> {
  const rows = await db.selectFrom('review_rating')
    .select(['ratee_id', 'rater_kind', 'study', 'excel', 'serve', 'discipline', 'uphold', 'comment', 'comment_status'])
    .where('session_id', '=', sessionId)
    .execute()
  return rows.map(r => ({
    rateeId: r.ratee_id,
    raterKind: r.rater_kind,
    scores: { study: r.study, excel: r.excel, serve: r.serve, discipline: r.discipline, uphold: r.uphold } as RatingRow['scores'],
    comment: r.comment,
    commentStatus: r.comment_status,
  }))
}

/** Puts a member's own result in the change log for that member alone. */
export async function publishResult(trx: Transaction<Database>, branchId: string, sessionId: string, memberId: string, data: unknown): Promise<void> {
  await recordChange(trx, { entity: REVIEW_ENTITY.result, entityId: sessionId, branchId, memberId, groupId: null, op: 'upsert', data })
}
