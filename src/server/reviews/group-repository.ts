import type { GroupScores } from '#shared/reviews/group-rules'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { GroupReviewTable } from '../db/group-review.table'
import { PRESENT_STATUSES } from '#shared/meetings/constants'
import { GROUP_DIMENSIONS } from '#shared/reviews/constants'

type Conn = Db | Transaction<Database>

/* All SQL of the branch's 五个好 review of groups: the review, its raters, its ratings, and the group figures. */

export async function insertGroupReview(trx: Conn, row: GroupReviewTable): Promise<boolean> {
  const inserted = await trx.insertInto('group_review').values(row).onConflict(oc => oc.columns(['branch_id', 'period']).doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
}

export async function loadGroupReview(db: Conn, branchId: string, id: string) {
  return db.selectFrom('group_review')
    .leftJoin('member', 'member.id', 'group_review.closed_by')
    .selectAll('group_review')
    .select('member.name as closed_by_name')
    .where('group_review.id', '=', id)
    .where('group_review.branch_id', '=', branchId)
    .executeTakeFirst()
}

export async function listGroupReviews(db: Conn, branchId: string) {
  return db.selectFrom('group_review')
    .selectAll()
    .select(eb => eb.selectFrom('group_review_rating').select(e => e.fn.count<number>('rater_id').distinct().as('n')).whereRef('group_review_rating.review_id', '=', 'group_review.id').as('ballots'))
    .where('branch_id', '=', branchId)
    .orderBy('period', 'desc')
    .execute()
}

export async function closeGroupReviewRow(trx: Conn, id: string, by: string, now: string): Promise<boolean> {
  const r = await trx.updateTable('group_review').set({ status: 'closed', closed_at: now, closed_by: by, updated_at: now }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The active groups of the branch, in the order the branch made them. */
export async function branchGroups(db: Conn, branchId: string) {
  return db.selectFrom('party_group').select(['id', 'name']).where('branch_id', '=', branchId).where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute()
}

export async function activeMember(db: Conn, branchId: string, memberId: string) {
  return db.selectFrom('member').select(['id', 'name', 'role']).where('id', '=', memberId).where('branch_id', '=', branchId).where('active', '=', 1).executeTakeFirst()
}

/** The raters: the branch's active admins, and the members named for this review. */
export async function reviewRaters(db: Conn, branchId: string, reviewId: string) {
  const invited = await db.selectFrom('group_review_rater').innerJoin('member', 'member.id', 'group_review_rater.member_id').select(['member.id', 'member.name']).where('group_review_rater.review_id', '=', reviewId).where('member.active', '=', 1).execute()
  const admins = await db.selectFrom('member').select(['id', 'name']).where('branch_id', '=', branchId).where('role', '=', 'branch_admin').where('active', '=', 1).execute()
  const voted = new Set((await db.selectFrom('group_review_rating').select('rater_id').distinct().where('review_id', '=', reviewId).execute()).map(r => r.rater_id))
  const invitedIds = new Set(invited.map(m => m.id))
  const all = new Map([...admins, ...invited].map(m => [m.id, m]))
  return [...all.values()].map(m => ({ id: m.id, name: m.name, invited: invitedIds.has(m.id), voted: voted.has(m.id) }))
}

export async function addRater(trx: Conn, reviewId: string, memberId: string, by: string, now: string): Promise<void> {
  await trx.insertInto('group_review_rater').values({ review_id: reviewId, member_id: memberId, invited_by: by, created_at: now }).onConflict(oc => oc.columns(['review_id', 'member_id']).doNothing()).execute()
}

export async function isInvited(db: Conn, reviewId: string, memberId: string): Promise<boolean> {
  return (await db.selectFrom('group_review_rater').select('member_id').where('review_id', '=', reviewId).where('member_id', '=', memberId).executeTakeFirst()) !== undefined
}

/** Replaces the rater's ballot: their earlier ratings go, the new ones stand. */
export async function replaceBallot(trx: Conn, review: { id: string, branchId: string }, raterId: string, ratings: { groupId: string, scores: GroupScores, comment: string }[], now: string): Promise<void> {
  await trx.deleteFrom('group_review_rating').where('review_id', '=', review.id).where('rater_id', '=', raterId).execute()
  await trx.insertInto('group_review_rating').values(ratings.map(r => ({ review_id: review.id, branch_id: review.branchId, rater_id: raterId, group_id: r.groupId, ...r.scores, comment: r.comment, updated_at: now }))).execute()
}

export async function ratingsOf(db: Conn, reviewId: string, raterId?: string) {
  let q = db.selectFrom('group_review_rating').select(['group_id', 'rater_id', ...GROUP_DIMENSIONS, 'comment']).where('review_id', '=', reviewId)
  if (raterId)
    q = q.where('rater_id', '=', raterId)
  const rows = await q.execute()
  return rows.map(r => ({ groupId: r.group_id, raterId: r.rater_id, scores: Object.fromEntries(GROUP_DIMENSIONS.map(d => [d, r[d]])) as GroupScores, comment: r.comment }))
}

/** The active members of each group (their ids), for the figures. */
export async function groupMembers(db: Conn, branchId: string) {
  return db.selectFrom('member').select(['id', 'group_id']).where('branch_id', '=', branchId).where('active', '=', 1).where('group_id', 'is not', null).execute()
}

/** Closed meetings of the period (start date within [from, to] in UTC days is close enough for whole periods). */
export async function closedMeetings(db: Conn, branchId: string, from: string, to: string) {
  return db.selectFrom('meeting').select(['id', 'group_id']).where('branch_id', '=', branchId).where('status', '=', 'closed').where('starts_at', '>=', `${from}T00:00:00.000Z`).where('starts_at', '<=', `${to}T23:59:59.999Z`).execute()
}

/** Attendance rows of those meetings: present or not, per member. */
export async function attendanceOf(db: Conn, meetingIds: string[]) {
  if (meetingIds.length === 0)
    return []
  const rows = await db.selectFrom('meeting_attendance').select(['meeting_id', 'member_id', 'status']).where('meeting_id', 'in', meetingIds).execute()
  return rows.map(r => ({ meetingId: r.meeting_id, memberId: r.member_id, present: PRESENT_STATUSES.includes(r.status) }))
}

/** The ledger's net points per member and category for dates within [from, to]. */
export async function pointsByCategory(db: Conn, branchId: string, from: string, to: string) {
  const rows = await db.selectFrom('point_ledger').select(['member_id', 'category', eb => eb.fn.sum<number>('amount').as('points')]).where('branch_id', '=', branchId).where('date', '>=', from).where('date', '<=', to).groupBy(['member_id', 'category']).execute()
  return rows.map(r => ({ memberId: r.member_id, category: r.category, points: Number(r.points) }))
}

/** Pledges the branch approved (or published) for the period's years, with their items' results. */
export async function pledgeItems(db: Conn, branchId: string, fromYear: number, toYear: number) {
  return db.selectFrom('pledge').leftJoin('pledge_item', 'pledge_item.pledge_id', 'pledge.id').select(['pledge.id as pledge_id', 'pledge.owner_kind', 'pledge.member_id', 'pledge.group_id', 'pledge_item.id as item_id', 'pledge_item.result']).where('pledge.branch_id', '=', branchId).where('pledge.status', 'in', ['approved', 'published']).where('pledge.year', '>=', fromYear).where('pledge.year', '<=', toYear).execute()
}

export async function branchName(db: Conn, branchId: string): Promise<string> {
  return (await db.selectFrom('branch').select('name').where('id', '=', branchId).executeTakeFirstOrThrow()).name
}
