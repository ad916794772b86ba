import type { GroupDimension, Score } from '../reviews/constants'
import { GROUP_DIMENSIONS } from '../reviews/constants'
import { isScore, roundAverage } from '../reviews/rules'

/*
 * 支部争先 (issue 14 point 4): the upper organization's periodic assessment of each of its branches
 * on the five 五个好 dimensions, on the 讲评 scale (4 满意 … 1 不满意), so a branch's 3.5 means what
 * a group's 3.5 means in the branch's own 五个好 review. The upper organization speaks with one
 * voice: each branch gets ONE rating per assessment (any of its admins may give or replace it while
 * the assessment is open), not a ballot per admin to average.
 */

export const ASSESSMENT_STATUSES = ['open', 'closed'] as const
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number]

export const ASSESSMENT_LIMITS = { titleMax: 60, commentMax: 500 } as const

export type BranchScores = Record<GroupDimension, Score>

/** Why a rating is refused: a code of upper/errors.ts with its parameters. */
export interface AssessmentProblem {
  code: 'ASSESSMENT_CLOSED' | 'ASSESSMENT_UNKNOWN_BRANCH' | 'ASSESSMENT_SCORE_RANGE'
  params?: Record<string, string | number>
}

/**
 * Checks one branch's rating: the assessment still open, the branch one of the organization's
 * (`branches` maps ids to names for the words of a refusal), a score of the scale on each of the
 * five dimensions and nothing else. The first problem found is answered; none → null.
 */
export function checkBranchRating(status: AssessmentStatus, branches: ReadonlyMap<string, string>, branchId: string, scores: Record<string, unknown>): AssessmentProblem | null {
  if (status === 'closed')
    return { code: 'ASSESSMENT_CLOSED' }
  const name = branches.get(branchId)
  if (name === undefined)
    return { code: 'ASSESSMENT_UNKNOWN_BRANCH' }
  const keys = Object.keys(scores)
  if (keys.length !== GROUP_DIMENSIONS.length || GROUP_DIMENSIONS.some(d => !isScore(scores[d])))
    return { code: 'ASSESSMENT_SCORE_RANGE', params: { name } }
  return null
}

/** The mean of the five dimensions (two decimals, computed on integers), null before rating. */
export function overallScore(scores: BranchScores | null): number | null {
  if (!scores)
    return null
  return roundAverage(GROUP_DIMENSIONS.reduce((s, d) => s + scores[d], 0), GROUP_DIMENSIONS.length)
}
