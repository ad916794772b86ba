/*
 * 民主评议党员 (issue 13), as RULES.md sets it: 优秀 / 合格 / 基本合格 / 不合格; 优秀 at most 1/3 of
 * members; self-assessment → peer assessment → anonymous ballot → the 支委会 decides.
 */

export const GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const
export type Grade = (typeof GRADES)[number]
export const GRADE_ZH: Record<Grade, string> = { excellent: '优秀', qualified: '合格', basic: '基本合格', unqualified: '不合格' }

/**
 * The year's steps: summaries (members write their 个人总结) → ballot (the anonymous ballot is
 * open) → counted (the ballot closed and counted; the 支委会 decides) → decided (final grades set).
 */
export const APPRAISAL_STATUSES = ['summaries', 'ballot', 'counted', 'decided'] as const
export type AppraisalStatus = (typeof APPRAISAL_STATUSES)[number]

export const APPRAISAL_SCOPES = ['branch', 'group'] as const
export type AppraisalScope = (typeof APPRAISAL_SCOPES)[number]

/** The most 优秀 a ballot may give among `graded` members: ⌊graded × num / den⌋ (1/3 by default). */
export function excellentQuota(graded: number, num = 1, den = 3): number {
  return Math.floor((graded * num) / den)
}
