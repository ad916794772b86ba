import type { AppraisalStatus, Grade } from './constants'
import { excellentQuota, GRADE_ZH, GRADES } from './constants'

/*
 * The 民主评议 rules both sides apply (the "one truth" pattern of issue 11): the phone checks a
 * ballot before queueing it and shows the words the server would answer; the server checks it
 * again. tests/shared/appraisal-rules.test.ts covers them.
 */

/** The step after each step; 'decided' is the last. */
export const APPRAISAL_NEXT: Record<AppraisalStatus, AppraisalStatus | null> = {
  summaries: 'ballot',
  ballot: 'counted',
  counted: 'decided',
  decided: null,
}

export const STATUS_ZH: Record<AppraisalStatus, string> = { summaries: '个人总结', ballot: '投票中', counted: '已计票', decided: '已确定等次' }

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'string' && (GRADES as readonly string[]).includes(value)
}

/** A 个人总结 may be written (and rewritten) until the ballot closes. */
export function mayWriteSummary(status: AppraisalStatus): boolean {
  return status === 'summaries' || status === 'ballot'
}

/**
 * The most 优秀 one ballot may give: ⌊n × share⌋ where n is the number of members in the voter's
 * scope (the branch, or their 党小组) — RULES.md: 优秀 at most 1/3 of members.
 */
export function ballotQuota(scopeSize: number, num: number, den: number): number {
  return excellentQuota(scopeSize, num, den)
}

/** Why a ballot is refused: a code of ./errors.ts with its parameters. */
export interface AppraisalBallotProblem {
  code: 'APPRAISAL_BALLOT_CLOSED' | 'APPRAISAL_BALLOT_NOT_OPEN' | 'APPRAISAL_SELF' | 'APPRAISAL_NOT_IN_SCOPE' | 'APPRAISAL_INCOMPLETE' | 'APPRAISAL_QUOTA' | 'APPRAISAL_VETOED'
  params?: Record<string, string | number>
}

export interface BallotContext {
  status: AppraisalStatus
  voterId: string
  /** The members of the voter's scope, the voter included, by id with their names. */
  scope: ReadonlyMap<string, string>
  /** Members with a standing 一票否决 in the appraisal's year. */
  vetoed: ReadonlySet<string>
  num: number
  den: number
}

/**
 * Checks one ballot: every other member of the scope graded once (a ballot is complete, so the
 * count of 优秀 is against the whole scope), oneself never, no more 优秀 than the quota, no 优秀
 * for a vetoed member. The first problem found is answered; none → null.
 */
export function checkAppraisalBallot(ctx: BallotContext, grades: Readonly<Record<string, string>>): AppraisalBallotProblem | null {
  if (ctx.status === 'summaries')
    return { code: 'APPRAISAL_BALLOT_NOT_OPEN' }
  if (ctx.status !== 'ballot')
    return { code: 'APPRAISAL_BALLOT_CLOSED' }
  const ids = Object.keys(grades)
  if (ids.includes(ctx.voterId))
    return { code: 'APPRAISAL_SELF' }
  if (ids.some(id => !ctx.scope.has(id) || !isGrade(grades[id])))
    return { code: 'APPRAISAL_NOT_IN_SCOPE' }
  const missing = [...ctx.scope.keys()].filter(id => id !== ctx.voterId && !(id in grades)).length
  if (missing > 0)
    return { code: 'APPRAISAL_INCOMPLETE', params: { missing } }
  const vetoed = ids.find(id => grades[id] === 'excellent' && ctx.vetoed.has(id))
  if (vetoed)
    return { code: 'APPRAISAL_VETOED', params: { name: ctx.scope.get(vetoed)! } }
  const quota = ballotQuota(ctx.scope.size, ctx.num, ctx.den)
  const given = ids.filter(id => grades[id] === 'excellent').length
  if (given > quota)
    return { code: 'APPRAISAL_QUOTA', params: { quota, given } }
  return null
}

export interface GradeCounts {
  excellent: number
  qualified: number
  basic: number
  unqualified: number
}

/**
 * "The ballot's grade" of a member: the grade given most often; a tie goes to the lower grade (the
 * stricter reading, so a member is never raised by a split vote). No votes at all → null.
 */
export function ballotGrade(counts: GradeCounts): Grade | null {
  let best: Grade | null = null
  for (const g of GRADES) {
    // GRADES runs from best to worst: `>=` lets a later (lower) grade win a tie.
    if (counts[g] > 0 && (best === null || counts[g] >= counts[best]))
      best = g
  }
  return best
}

/** The 支委会 must give a reason when its final grade is not the ballot's grade. */
export function reasonNeeded(counts: GradeCounts, finalGrade: Grade): boolean {
  const b = ballotGrade(counts)
  return b !== null && b !== finalGrade
}

export function gradeWords(grade: Grade | null): string {
  return grade ? GRADE_ZH[grade] : '—'
}
