import type { MemberResult, RatingRow } from '#shared/reviews/rules'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import { reviewResults } from '#shared/reviews/rules'

type Conn = Db | Transaction<Database>

/*
 * The reads other features take 讲评 results from (the member's year record, 民主评议, the
 * commendation shortlist, the branch's review of groups): only CLOSED sessions count, since a
 * session's ratings may change until it closes. Rater identities are never selected.
 */

/** The ratings of closed sessions of a branch whose period lies within [from, to], optionally for some members only. */
export async function closedRatingRows(db: Conn, branchId: string, from: string, to: string, memberIds?: readonly string[]): Promise<RatingRow[]> {
  if (memberIds && memberIds.length === 0)
    return []
  let q = db.selectFrom('review_rating')
    .innerJoin('review_session', 'review_session.id', 'review_rating.session_id')
    .select(['review_rating.ratee_id', 'review_rating.rater_kind', 'review_rating.study', 'review_rating.excel', 'review_rating.serve', 'review_rating.discipline', 'review_rating.uphold', 'review_rating.comment', 'review_rating.comment_status'])
    .where('review_rating.branch_id', '=', branchId)
    .where('review_session.status', '=', 'closed')
    .where('review_session.period_from', '>=', from)
    .where('review_session.period_to', '<=', to)
  if (memberIds)
    q = q.where('review_rating.ratee_id', 'in', memberIds)
  const rows = await q.execute()
  return rows.map(r => ({
    rateeId: r.ratee_id,
    raterKind: r.rater_kind,
    scores: { study: r.study, excel: r.excel, serve: r.serve, discipline: r.discipline, uphold: r.uphold } as RatingRow['scores'],
    comment: r.comment,
    commentStatus: r.comment_status,
  }))
}

/** Each member's 讲评 result over the closed sessions of a period (e.g. a year): averages, rater counts, comments let through. */
export async function memberReviewResults(db: Conn, branchId: string, from: string, to: string, memberIds?: readonly string[]): Promise<Map<string, MemberResult>> {
  return reviewResults(await closedRatingRows(db, branchId, from, to, memberIds))
}
