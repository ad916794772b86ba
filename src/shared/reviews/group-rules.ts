import type { GroupDimension, Score } from './constants'
import { GROUP_DIMENSIONS } from './constants'
import { isScore, roundAverage } from './rules'

/*
 * The branch's 五个好 review of its groups (issue 12 item 8), the rules both sides apply: the
 * phone checks a ballot before queueing it and shows the words the server would answer; the
 * server checks it again and computes the results, which the phone shows as sent. The scale and
 * the rounding are the 讲评 ones (rules.ts), so a group's 3.5 and a member's 3.5 mean the same.
 */

/** A review is open (ballots taken and changed) until the branch admin closes it, for good. */
export const GROUP_REVIEW_STATUSES = ['open', 'closed'] as const
export type GroupReviewStatus = (typeof GROUP_REVIEW_STATUSES)[number]

export type GroupScores = Record<GroupDimension, Score>

/** One group rated on a ballot. */
export interface GroupRating {
  groupId: string
  scores: Record<string, number>
  comment?: string
}

/** Why a group ballot is refused: a code of group-errors.ts with its parameters. */
export interface GroupBallotProblem {
  code: 'GROUP_REVIEW_CLOSED' | 'GROUP_REVIEW_NOT_RATER' | 'GROUP_REVIEW_UNKNOWN_GROUP' | 'GROUP_REVIEW_SCORE_RANGE' | 'GROUP_REVIEW_DUPLICATE_GROUP' | 'GROUP_REVIEW_EMPTY_BALLOT'
  params?: Record<string, string | number>
}

/**
 * Checks one rater's ballot: the review still open, the rater one of its raters (the branch's
 * admins and the members they named), each group of the branch at most once, a score of the
 * scale on every one of the five dimensions. `groups` maps the branch's group ids to their names,
 * for the words of a refusal. The first problem found is answered; none → null.
 */
export function checkGroupBallot(status: GroupReviewStatus, isRater: boolean, groups: ReadonlyMap<string, string>, ratings: readonly GroupRating[]): GroupBallotProblem | null {
  if (status === 'closed')
    return { code: 'GROUP_REVIEW_CLOSED' }
  if (!isRater)
    return { code: 'GROUP_REVIEW_NOT_RATER' }
  if (ratings.length === 0)
    return { code: 'GROUP_REVIEW_EMPTY_BALLOT' }
  const seen = new Set<string>()
  for (const r of ratings) {
    const name = groups.get(r.groupId)
    if (name === undefined)
      return { code: 'GROUP_REVIEW_UNKNOWN_GROUP' }
    if (seen.has(r.groupId))
      return { code: 'GROUP_REVIEW_DUPLICATE_GROUP', params: { name } }
    seen.add(r.groupId)
    const keys = Object.keys(r.scores)
    if (keys.length !== GROUP_DIMENSIONS.length || GROUP_DIMENSIONS.some(d => !isScore(r.scores[d])))
      return { code: 'GROUP_REVIEW_SCORE_RANGE', params: { name } }
  }
  return null
}

/** A stored rating, as the results read it (never who gave it). */
export interface GroupRatingRow {
  groupId: string
  scores: GroupScores
  comment: string
}

export interface GroupResult {
  groupId: string
  averages: Record<GroupDimension, number | null>
  /** The mean over the five dimensions and every rater. */
  overall: number | null
  raters: number
  comments: string[]
}

/** Per group rated: the average on each dimension, the overall one, how many rated, the comments. */
export function groupReviewResults(rows: readonly GroupRatingRow[]): Map<string, GroupResult> {
  const acc = new Map<string, { sums: Record<GroupDimension, number>, n: number, comments: string[] }>()
  for (const row of rows) {
    let a = acc.get(row.groupId)
    if (!a) {
      a = { sums: Object.fromEntries(GROUP_DIMENSIONS.map(d => [d, 0])) as Record<GroupDimension, number>, n: 0, comments: [] }
      acc.set(row.groupId, a)
    }
    for (const d of GROUP_DIMENSIONS)
      a.sums[d] += row.scores[d]
    a.n++
    if (row.comment.trim())
      a.comments.push(row.comment.trim())
  }
  const out = new Map<string, GroupResult>()
  for (const [groupId, a] of acc) {
    const averages = Object.fromEntries(GROUP_DIMENSIONS.map(d => [d, roundAverage(a.sums[d], a.n)])) as Record<GroupDimension, number | null>
    const total = GROUP_DIMENSIONS.reduce((s, d) => s + a.sums[d], 0)
    out.set(groupId, { groupId, averages, overall: roundAverage(total, a.n * GROUP_DIMENSIONS.length), raters: a.n, comments: a.comments })
  }
  return out
}

/** The share present, as a whole percent (null with nobody expected): 17 of 20 → 85. */
export function attendanceRate(present: number, expected: number): number | null {
  return expected === 0 ? null : Math.round((present * 100) / expected)
}
