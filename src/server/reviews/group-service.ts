import type { GroupFigures, GroupReviewDetail, GroupReviewSummary } from '#shared/reviews/group-schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { CATEGORIES } from '#shared/points/categories'
import { reviewPeriodBounds, reviewPeriodZh } from '#shared/reviews/constants'
import { attendanceRate, groupReviewResults } from '#shared/reviews/group-rules'
import { roundAverage } from '#shared/reviews/rules'
import { writeAudit } from '../audit/writer'
import { failure, forbidden, notFound, refusal } from '../errors'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { activeMember, addRater, attendanceOf, branchGroups, branchName, closedMeetings, closeGroupReviewRow, groupMembers, insertGroupReview, isInvited, listGroupReviews, loadGroupReview, pledgeItems, pointsByCategory, ratingsOf, reviewRaters } from './group-repository'
import { memberReviewResults } from './results-repository'

type Conn = Db | Transaction<Database>
type ReviewRow = NonNullable<Awaited<ReturnType<typeof loadGroupReview>>>

const isAdmin = (actor: Actor) => actor.role === 'branch_admin'

/** The review, if it is the actor's branch's; another branch's is as good as missing. */
export async function requireGroupReview(db: Conn, actor: Actor, id: string): Promise<ReviewRow> {
  const review = await loadGroupReview(db, actor.branchId, id)
  if (!review)
    throw notFound('review')
  return review
}

/** Who rates: every branch admin, and whoever an admin named for this review. */
export async function mayRate(db: Conn, actor: Actor, reviewId: string): Promise<boolean> {
  return isAdmin(actor) || isInvited(db, reviewId, actor.id)
}

function summary(r: Omit<ReviewRow, 'closed_by_name'>, ballots: number): GroupReviewSummary {
  return { id: r.id, period: r.period, periodFrom: r.period_from, periodTo: r.period_to, status: r.status, closedAt: r.closed_at, ballots, createdAt: r.created_at }
}

/** The branch's reviews: for its admins and the raters named (others see only the ones they rate). */
export async function listReviews(db: Db, actor: Actor): Promise<GroupReviewSummary[]> {
  const rows = await listGroupReviews(db, actor.branchId)
  const out: GroupReviewSummary[] = []
  for (const r of rows) {
    if (await mayRate(db, actor, r.id))
      out.push(summary(r, Number(r.ballots ?? 0)))
  }
  return out
}

export async function createReview(trx: Transaction<Database>, actor: Actor, period: string): Promise<string> {
  if (!isAdmin(actor))
    throw forbidden()
  const bounds = reviewPeriodBounds(period)
  if (!bounds)
    throw failure(400, 'REVIEW_PERIOD_INVALID')
  const now = nowIso()
  const id = newId()
  const created = await insertGroupReview(trx, { id, branch_id: actor.branchId, period, period_from: bounds.from, period_to: bounds.to, status: 'open', created_by: actor.id, closed_at: null, closed_by: null, created_at: now, updated_at: now })
  if (!created)
    throw failure(409, 'GROUP_REVIEW_EXISTS', { period: reviewPeriodZh(period) })
  await writeAudit(trx, actor, { action: 'group_review.create', entity: 'group_review', entityId: id, data: { period } })
  return id
}

export async function inviteRater(trx: Transaction<Database>, actor: Actor, id: string, memberId: string): Promise<void> {
  if (!isAdmin(actor))
    throw forbidden()
  const review = await requireGroupReview(trx, actor, id)
  if (review.status === 'closed')
    throw failure(409, 'GROUP_REVIEW_CLOSED')
  const member = await activeMember(trx, actor.branchId, memberId)
  if (!member)
    throw failure(400, 'GROUP_REVIEW_RATER_UNKNOWN')
  await addRater(trx, id, memberId, actor.id, nowIso())
  await writeAudit(trx, actor, { action: 'group_review.invite', entity: 'group_review', entityId: id, data: { memberId } })
}

export async function closeReview(trx: Transaction<Database>, actor: Actor, id: string): Promise<void> {
  if (!isAdmin(actor))
    throw forbidden()
  const review = await requireGroupReview(trx, actor, id)
  if (review.status === 'closed' || !(await closeGroupReviewRow(trx, id, actor.id, nowIso()))) {
    const again = await loadGroupReview(trx, actor.branchId, id)
    throw again?.closed_by_name ? refusal(409, 'GROUP_REVIEW_CLOSED', 'GROUP_REVIEW_ALREADY_CLOSED', { name: again.closed_by_name }) : failure(409, 'GROUP_REVIEW_CLOSED')
  }
  await writeAudit(trx, actor, { action: 'group_review.close', entity: 'group_review', entityId: id, data: {} })
}

/**
 * Each group's figures for the period: meetings it held (closed, its own), its members' share
 * present over every closed meeting they were expected at, points per member by 五带头 category,
 * pledges approved for the period's years (the members' and the group's own) with items kept of
 * those judged, and its members' 讲评 results of the period averaged over those rated.
 */
export async function groupFigures(db: Conn, branchId: string, from: string, to: string): Promise<Map<string, GroupFigures>> {
  const [groups, members, meetings, points, items] = await Promise.all([
    branchGroups(db, branchId),
    groupMembers(db, branchId),
    closedMeetings(db, branchId, from, to),
    pointsByCategory(db, branchId, from, to),
    pledgeItems(db, branchId, Number(from.slice(0, 4)), Number(to.slice(0, 4))),
  ])
  const attendance = await attendanceOf(db, meetings.map(m => m.id))
  const reviews = await memberReviewResults(db, branchId, from, to)
  const out = new Map<string, GroupFigures>()
  for (const g of groups) {
    const ids = new Set(members.filter(m => m.group_id === g.id).map(m => m.id))
    const rows = attendance.filter(a => ids.has(a.memberId))
    const perMember: Record<string, number> = {}
    for (const c of CATEGORIES) {
      const sum = points.filter(p => ids.has(p.memberId) && p.category === c).reduce((s, p) => s + p.points, 0)
      perMember[c] = roundAverage(sum, ids.size) ?? 0
    }
    const pledgeRows = items.filter(i => i.group_id === g.id)
    const judged = pledgeRows.filter(i => i.result !== null)
    const rated = [...ids].map(id => reviews.get(id)?.overall).filter((n): n is number => typeof n === 'number')
    out.set(g.id, {
      members: ids.size,
      meetingsHeld: meetings.filter(m => m.group_id === g.id).length,
      attendanceRate: attendanceRate(rows.filter(r => r.present).length, rows.length),
      pointsPerMember: perMember,
      pledgesMade: new Set(pledgeRows.map(i => i.pledge_id)).size,
      itemsKept: judged.filter(i => i.result === 'kept').length,
      itemsEvaluated: judged.length,
      // Averaged on hundredths, as integers, so both sides print the same digits.
      memberReview: { overall: roundAverage(rated.reduce((s, n) => s + Math.round(n * 100), 0), rated.length * 100), rated: rated.length },
    })
  }
  return out
}

/** The review as a rater (or, after closing, anyone who rated) sees it: the groups with their figures, my ballot, the results once closed. */
export async function reviewDetail(db: Db, actor: Actor, id: string): Promise<GroupReviewDetail> {
  const review = await requireGroupReview(db, actor, id)
  const rater = await mayRate(db, actor, id)
  if (!rater)
    throw forbidden('GROUP_REVIEW_NOT_RATER')
  const [groups, figures, mine, raters, branch] = await Promise.all([
    branchGroups(db, actor.branchId),
    groupFigures(db, actor.branchId, review.period_from, review.period_to),
    ratingsOf(db, id, actor.id),
    reviewRaters(db, actor.branchId, id),
    branchName(db, actor.branchId),
  ])
  const results = review.status === 'closed' ? groupReviewResults(await ratingsOf(db, id)) : null
  return {
    ...summary(review, raters.filter(r => r.voted).length),
    branchName: branch,
    raters,
    mayRate: review.status === 'open',
    mayManage: isAdmin(actor),
    groups: groups.map((g) => {
      const own = mine.find(m => m.groupId === g.id)
      const result = results?.get(g.id)
      return {
        id: g.id,
        name: g.name,
        figures: figures.get(g.id)!,
        mine: own ? { scores: own.scores, comment: own.comment } : null,
        result: results ? (result ? { averages: result.averages, overall: result.overall, raters: result.raters, comments: result.comments } : { averages: { leadership: null, members: null, mechanism: null, results: null, masses: null }, overall: null, raters: 0, comments: [] }) : null,
      }
    }),
  }
}
