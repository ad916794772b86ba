import type { MemberDimension, RaterKind, ReviewStatus, Score } from './constants'
import { MEMBER_DIMENSIONS, REVIEW_TRANSITIONS, SCORES } from './constants'

/*
 * The 讲评 rules both sides apply (the "one truth" pattern of issue 11): the phone checks a ballot
 * before queueing it and shows the same words the server would answer; the server checks it again
 * and computes the results with reviewResults, which the phone never recomputes — it shows what
 * the server sends. tests/shared/review-rules.test.ts covers both.
 */

export type Scores = Record<MemberDimension, Score>

/** One member rated on a ballot. */
export interface BallotRating {
  rateeId: string
  scores: Record<string, number>
  comment?: string
}

/** Why a ballot is refused: a code of src/shared/reviews/errors.ts with its parameters. */
export interface BallotProblem {
  code: 'REVIEW_NOT_RATING' | 'REVIEW_CLOSED' | 'REVIEW_SELF_RATING' | 'REVIEW_NOT_IN_GROUP' | 'REVIEW_SCORE_RANGE' | 'REVIEW_DUPLICATE_RATEE' | 'REVIEW_EMPTY_BALLOT'
  params?: Record<string, string | number>
}

export function isScore(value: unknown): value is Score {
  return typeof value === 'number' && (SCORES as readonly number[]).includes(value)
}

/** Whether a session in `from` may move to `to`. */
export function mayMoveTo(from: ReviewStatus, to: ReviewStatus): boolean {
  return REVIEW_TRANSITIONS[from].includes(to)
}

/** 陈述 may be written until the session closes. */
export function mayWriteStatement(status: ReviewStatus): boolean {
  return status !== 'closed'
}

/**
 * Checks one rater's ballot. `raterId` is the member rating (null for a guest, who is never in the
 * group); `ratees` are the members who may be rated (the session's group), by id with their names
 * for the words of a refusal. The first problem found is answered; none → null.
 */
export function checkBallot(
  status: ReviewStatus,
  raterId: string | null,
  ratees: ReadonlyMap<string, string>,
  ratings: readonly BallotRating[],
): BallotProblem | null {
  if (status === 'closed')
    return { code: 'REVIEW_CLOSED' }
  if (status !== 'rating')
    return { code: 'REVIEW_NOT_RATING' }
  if (ratings.length === 0)
    return { code: 'REVIEW_EMPTY_BALLOT' }
  const seen = new Set<string>()
  for (const r of ratings) {
    if (raterId !== null && r.rateeId === raterId)
      return { code: 'REVIEW_SELF_RATING' }
    if (!ratees.has(r.rateeId))
      return { code: 'REVIEW_NOT_IN_GROUP' }
    if (seen.has(r.rateeId))
      return { code: 'REVIEW_DUPLICATE_RATEE', params: { name: ratees.get(r.rateeId)! } }
    seen.add(r.rateeId)
    const keys = Object.keys(r.scores)
    if (keys.length !== MEMBER_DIMENSIONS.length || MEMBER_DIMENSIONS.some(d => !isScore(r.scores[d])))
      return { code: 'REVIEW_SCORE_RANGE', params: { name: ratees.get(r.rateeId)! } }
  }
  return null
}

/** A stored rating, as the results read it. */
export interface RatingRow {
  rateeId: string
  raterKind: RaterKind
  scores: Scores
  comment: string
  commentStatus: 'approved' | 'pending' | 'rejected'
}

/** What one member's ratings add up to. Averages are null where nobody rated. */
export interface MemberResult {
  rateeId: string
  averages: Record<MemberDimension, number | null>
  /** The mean of the five averages. */
  overall: number | null
  raters: { member: number, guest: number }
  /** Only comments let through (members' are; guests' once the organizer approves them). Who wrote them is never kept here. */
  comments: { text: string, raterKind: RaterKind }[]
}

/** Two decimals, halves away from zero, computed on integers so both sides print the same digits. */
export function roundAverage(sum: number, count: number): number | null {
  if (count === 0)
    return null
  return Math.round((sum * 100) / count) / 100
}

/**
 * The results of a session (or several sessions' ratings together, for a year's record): per
 * member rated, the average on each dimension, the overall average, how many members and guests
 * rated, and the comments let through. Members with no rating are not in the map.
 */
export function reviewResults(rows: readonly RatingRow[]): Map<string, MemberResult> {
  const acc = new Map<string, { sums: Record<MemberDimension, number>, n: number, member: number, guest: number, comments: MemberResult['comments'] }>()
  for (const row of rows) {
    let a = acc.get(row.rateeId)
    if (!a) {
      a = { sums: Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, 0])) as Record<MemberDimension, number>, n: 0, member: 0, guest: 0, comments: [] }
      acc.set(row.rateeId, a)
    }
    for (const d of MEMBER_DIMENSIONS)
      a.sums[d] += row.scores[d]
    a.n++
    a[row.raterKind]++
    if (row.comment.trim() && row.commentStatus === 'approved')
      a.comments.push({ text: row.comment, raterKind: row.raterKind })
  }
  const out = new Map<string, MemberResult>()
  for (const [rateeId, a] of acc) {
    const averages = Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, roundAverage(a.sums[d], a.n)])) as Record<MemberDimension, number | null>
    const total = MEMBER_DIMENSIONS.reduce((s, d) => s + a.sums[d], 0)
    out.set(rateeId, { rateeId, averages, overall: roundAverage(total, a.n * MEMBER_DIMENSIONS.length), raters: { member: a.member, guest: a.guest }, comments: a.comments })
  }
  return out
}

/** Who looks at a session, and the session's scope: the session's or the member's, never the client's word. */
export interface ReviewViewer { id: string, branchId: string, groupId: string | null, role: string }
export interface ReviewScope { branchId: string, groupId: string | null }

/**
 * Who runs a session: a branch admin (any group's, and the branch-wide ones), and the leader of
 * the session's group. Only they create it, move its status and read everybody's results.
 */
export function mayOrganizeReview(viewer: ReviewViewer, s: ReviewScope): boolean {
  if (viewer.branchId !== s.branchId)
    return false
  if (viewer.role === 'branch_admin')
    return true
  return viewer.role === 'group_leader' && s.groupId !== null && s.groupId === viewer.groupId
}

/** Who sees a session and its 陈述: its group (the branch, for a branch-wide one) and its organizers. The pull scope agrees. */
export function reviewVisibleTo(viewer: ReviewViewer, s: ReviewScope): boolean {
  if (viewer.branchId !== s.branchId)
    return false
  return s.groupId === null || s.groupId === viewer.groupId || mayOrganizeReview(viewer, s)
}
