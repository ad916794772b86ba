import type { BallotRating, MemberResult } from '#shared/reviews/rules'
import type { ReviewCreateBody, ReviewDetail, ReviewMember, ReviewResult, ReviewResults, ReviewSession, ReviewStatement } from '#shared/reviews/schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { SessionRow } from './repository'
import { MEMBER_DIMENSIONS, REVIEW_STATUS_ZH, reviewPeriodBounds } from '#shared/reviews/constants'
import { checkBallot, mayMoveTo, mayOrganizeReview, mayWriteStatement, reviewResults, reviewVisibleTo } from '#shared/reviews/rules'
import { writeAudit } from '../audit/writer'
import { failure, forbidden, notFound, refusal } from '../errors'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import {
  countMemberBallots,
  groupOfBranch,
  insertSession,
  listSessionRows,
  loadMemberBallot,
  loadSession,
  loadStatements,
  meetingAttendance,
  meetingOfBranch,
  moveSession,
  periodRecord,
  periodTaken,
  publishBallot,
  publishResult,
  publishSession,
  publishStatement,
  replaceMemberBallot,
  saveStatement,
  sessionIdTaken,
  sessionMembers,
  sessionRatingRows,
  toSession,
} from './repository'

/*
 * The 讲评 sessions (issue 12), one function per write, shared by the ops (the phone's write path)
 * and read by the routes: the same checks and change-log rows either way. A conflict — a step not
 * allowed, closing what another organizer closed, a ballot after closing — is refused by name and
 * nothing is overwritten.
 */

type Conn = Db | Transaction<Database>

const scopeOf = (s: Pick<SessionRow, 'branch_id' | 'group_id'>) => ({ branchId: s.branch_id, groupId: s.group_id })

/** The session, if the actor may see it: 404 outside the branch and for another group's member. */
export async function requireVisible(db: Conn, actor: Actor, id: string): Promise<SessionRow> {
  const row = await loadSession(db, actor.branchId, id)
  if (!row || !reviewVisibleTo(actor, scopeOf(row)))
    throw notFound('review')
  return row
}

/** The session, if the actor organizes it: 404 when they may not see it, 403 for a member of the group. */
export async function requireOrganized(db: Conn, actor: Actor, id: string): Promise<SessionRow> {
  const row = await requireVisible(db, actor, id)
  if (!mayOrganizeReview(actor, scopeOf(row)))
    throw forbidden('REVIEW_ORGANIZERS_ONLY')
  return row
}

/** Refuses a change to a closed session, naming who closed it. */
function refuseClosed(row: Pick<SessionRow, 'closed_by_name'>): never {
  throw row.closed_by_name ? refusal(409, 'REVIEW_CLOSED', 'REVIEW_CLOSED_BY', { name: row.closed_by_name }) : failure(409, 'REVIEW_CLOSED')
}

export async function createReview(trx: Transaction<Database>, actor: Actor, id: string, body: ReviewCreateBody): Promise<ReviewSession> {
  const bounds = reviewPeriodBounds(body.period)
  if (!bounds)
    throw failure(400, 'REVIEW_PERIOD_INVALID')
  if (body.groupId === null) {
    if (actor.role !== 'branch_admin')
      throw forbidden('REVIEW_OWN_GROUP_ONLY')
  }
  else {
    if (!await groupOfBranch(trx, actor.branchId, body.groupId))
      throw failure(400, 'REVIEW_GROUP')
    if (!mayOrganizeReview(actor, { branchId: actor.branchId, groupId: body.groupId }))
      throw forbidden('REVIEW_OWN_GROUP_ONLY')
  }
  if (body.meetingId !== null) {
    // Its QR check-in is the session's attendance: it must be this group's 专题组织生活会.
    const meeting = await meetingOfBranch(trx, actor.branchId, body.meetingId)
    if (!meeting || meeting.type !== 'life_meeting' || meeting.group_id !== body.groupId || meeting.status === 'cancelled')
      throw failure(400, 'REVIEW_MEETING')
  }
  if (await sessionIdTaken(trx, id))
    throw failure(409, 'REVIEW_ID_TAKEN')
  if (await periodTaken(trx, actor.branchId, body.groupId, body.period))
    throw failure(409, 'REVIEW_PERIOD_TAKEN')
  const now = nowIso()
  const title = body.title.trim()
  await insertSession(trx, {
    id,
    branch_id: actor.branchId,
    group_id: body.groupId,
    meeting_id: body.meetingId,
    title,
    period: body.period,
    period_from: bounds.from,
    period_to: bounds.to,
    status: 'draft',
    guest_cap: 0,
    guest_code: null,
    created_by: actor.id,
    opened_at: null,
    rating_opened_at: null,
    closed_at: null,
    closed_by: null,
    created_at: now,
    updated_at: now,
  })
  await writeAudit(trx, actor, { action: 'review.create', entity: 'review_session', entityId: id, data: { ...body, title } })
  return publishSession(trx, id)
}

/** Open, open rating, close: one step of REVIEW_TRANSITIONS at a time, each once. Closing publishes each member's result to them. */
export async function advanceReview(trx: Transaction<Database>, actor: Actor, id: string, to: 'open' | 'rating' | 'closed'): Promise<ReviewSession> {
  const row = await requireOrganized(trx, actor, id)
  if (row.status === 'closed')
    refuseClosed(row)
  if (!mayMoveTo(row.status, to))
    throw failure(409, 'REVIEW_STATUS_STEP', { status: REVIEW_STATUS_ZH[row.status] })
  const now = nowIso()
  const columns = to === 'open'
    ? { status: to, opened_at: now }
    : to === 'rating'
      ? { status: to, rating_opened_at: now, opened_at: row.opened_at ?? now }
      : { status: to, closed_at: now, closed_by: actor.id }
  if (!await moveSession(trx, id, row.status, columns, now)) {
    // Another organizer moved it between our read and our write: answer with what it is now.
    const now2 = (await loadSession(trx, actor.branchId, id))!
    if (now2.status === 'closed')
      refuseClosed(now2)
    throw failure(409, 'REVIEW_STATUS_STEP', { status: REVIEW_STATUS_ZH[now2.status] })
  }
  await writeAudit(trx, actor, { action: `review.${to}`, entity: 'review_session', entityId: id, data: { from: row.status, to } })
  const session = await publishSession(trx, id)
  if (to === 'closed') {
    const results = await resultRows(trx, row, session.members)
    for (const r of results)
      await publishResult(trx, row.branch_id, id, r.memberId, { sessionId: id, result: r })
  }
  return session
}

/** The member must be one of the session's members (the group's, or the branch's). */
async function requireMemberOf(db: Conn, actor: Actor, row: SessionRow): Promise<ReviewMember[]> {
  const members = await sessionMembers(db, row.branch_id, row.group_id)
  if (!members.some(m => m.id === actor.id))
    throw forbidden('REVIEW_NOT_MEMBER')
  return members
}

export async function writeStatement(trx: Transaction<Database>, actor: Actor, sessionId: string, parts: { participation: string, pledges: string, improvement: string }): Promise<ReviewStatement> {
  const row = await requireVisible(trx, actor, sessionId)
  await requireMemberOf(trx, actor, row)
  if (!mayWriteStatement(row.status))
    refuseClosed(row)
  await saveStatement(trx, { id: newId(), sessionId, branchId: row.branch_id, memberId: actor.id, participation: parts.participation.trim(), pledges: parts.pledges.trim(), improvement: parts.improvement.trim() }, nowIso())
  return publishStatement(trx, row, actor.id)
}

/** A member's whole ballot, checked by the shared rule, replacing their earlier one until rating closes. */
export async function castBallot(trx: Transaction<Database>, actor: Actor, sessionId: string, ratings: readonly BallotRating[]) {
  const row = await requireVisible(trx, actor, sessionId)
  const members = await requireMemberOf(trx, actor, row)
  const problem = checkBallot(row.status, actor.id, new Map(members.map(m => [m.id, m.name])), ratings)
  if (problem) {
    if (problem.code === 'REVIEW_CLOSED')
      refuseClosed(row)
    throw failure(problem.code === 'REVIEW_NOT_RATING' ? 409 : 400, problem.code, problem.params)
  }
  await replaceMemberBallot(trx, row, actor.id, ratings, nowIso(), newId())
  return publishBallot(trx, row, actor.id)
}

function emptyResult(m: ReviewMember): ReviewResult {
  return {
    memberId: m.id,
    name: m.name,
    averages: Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, null])) as ReviewResult['averages'],
    overall: null,
    raters: { member: 0, guest: 0 },
    comments: [],
  }
}

function toResult(m: ReviewMember, r: MemberResult | undefined): ReviewResult {
  return r ? { memberId: m.id, name: m.name, averages: r.averages, overall: r.overall, raters: r.raters, comments: r.comments } : emptyResult(m)
}

/** Each member's result of the session, in name order (never ranked). */
async function resultRows(db: Conn, row: SessionRow, members: ReviewMember[]): Promise<ReviewResult[]> {
  const results = reviewResults(await sessionRatingRows(db, row.id))
  return members.map(m => toResult(m, results.get(m.id)))
}

/** The organizer's results of a closed session. */
export async function sessionResults(db: Db, actor: Actor, id: string): Promise<ReviewResults> {
  const row = await requireOrganized(db, actor, id)
  if (row.status !== 'closed')
    throw failure(409, 'REVIEW_NOT_CLOSED')
  const members = await sessionMembers(db, row.branch_id, row.group_id)
  return { session: toSession(row, members), rows: await resultRows(db, row, members) }
}

/** The member's own result, after the session closed: averages and comments, never who gave them. */
async function ownResult(db: Conn, row: SessionRow, member: ReviewMember): Promise<ReviewResult> {
  return toResult(member, reviewResults((await sessionRatingRows(db, row.id)).filter(r => r.rateeId === member.id)).get(member.id))
}

export async function listReviews(db: Db, actor: Actor, period?: string): Promise<ReviewSession[]> {
  const rows = (await listSessionRows(db, actor.branchId, period)).filter(r => reviewVisibleTo(actor, scopeOf(r)))
  const out: ReviewSession[] = []
  for (const r of rows)
    out.push(toSession(r, await sessionMembers(db, r.branch_id, r.group_id)))
  return out
}

/** One session as its page shows it: 陈述, who attended its meeting, the viewer's own record, ballot and result. */
export async function reviewDetail(db: Db, actor: Actor, id: string): Promise<ReviewDetail> {
  const row = await requireVisible(db, actor, id)
  const members = await sessionMembers(db, row.branch_id, row.group_id)
  const me = members.find(m => m.id === actor.id)
  const attended = row.meeting_id ? await meetingAttendance(db, row.meeting_id) : new Map<string, string>()
  return {
    session: toSession(row, members),
    canOrganize: mayOrganizeReview(actor, scopeOf(row)),
    statements: await loadStatements(db, row),
    attendance: members.map(m => ({ memberId: m.id, name: m.name, status: attended.get(m.id) ?? null })),
    myRecord: me ? await periodRecord(db, actor, row.period_from, row.period_to) : null,
    myBallot: me ? await loadMemberBallot(db, row.id, actor.id) : null,
    myResult: me && row.status === 'closed' ? await ownResult(db, row, me) : null,
    ballots: await countMemberBallots(db, row.id),
    serverTime: nowIso(),
  }
}

/** The member's own result of one session: 409 until it closes, 403 for someone not rated in it. */
export async function myResult(db: Db, actor: Actor, id: string): Promise<ReviewResult> {
  const row = await requireVisible(db, actor, id)
  const members = await sessionMembers(db, row.branch_id, row.group_id)
  const me = members.find(m => m.id === actor.id)
  if (!me)
    throw forbidden('REVIEW_NOT_MEMBER')
  if (row.status !== 'closed')
    throw failure(409, 'REVIEW_NOT_CLOSED')
  return ownResult(db, row, me)
}
