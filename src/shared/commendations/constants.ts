/*
 * 评选表彰 (issue 13): at 七一, 十一 and the year's end the branch commends its best — strict
 * standards, weight on real results, public recognition (公示) before the decision.
 */

export const ROUND_KINDS = ['july1', 'oct1', 'year_end'] as const
export type RoundKind = (typeof ROUND_KINDS)[number]
export const ROUND_KIND_ZH: Record<RoundKind, string> = { july1: '七一', oct1: '十一', year_end: '年终' }

/** draft (titles and quotas set) → nominating → publicity (公示 on the board) → decided. */
export const ROUND_STATUSES = ['draft', 'nominating', 'publicity', 'decided'] as const
export type RoundStatus = (typeof ROUND_STATUSES)[number]

export const TITLE_TARGETS = ['member', 'group'] as const
export type TitleTarget = (typeof TITLE_TARGETS)[number]

/** The titles the source document's campaign names; a round starts with these and the organizer edits them. */
export const DEFAULT_TITLES: readonly { name: string, target: TitleTarget, quota: number }[] = [
  { name: '优秀共产党员', target: 'member', quota: 2 },
  { name: '廉洁高效先锋', target: 'member', quota: 1 },
  { name: '转型发展先锋', target: 'member', quota: 1 },
  { name: '先进党小组', target: 'group', quota: 1 },
]

/** What the shortlist weighs, with the default weights (shown and adjustable per round). */
export const SHORTLIST_FACTORS = ['points', 'review', 'pledges', 'appraisal'] as const
export type ShortlistFactor = (typeof SHORTLIST_FACTORS)[number]
export const DEFAULT_WEIGHTS: Record<ShortlistFactor, number> = { points: 50, review: 20, pledges: 15, appraisal: 15 }

export const NOMINEE_STATUSES = ['nominated', 'awarded', 'not_awarded'] as const
export type NomineeStatus = (typeof NOMINEE_STATUSES)[number]

/** The round's level: the tier of 岗位业绩受表彰 (job-award) an award grants — 所级 +2, 局级 +3, 市级及以上 +5. */
export const ROUND_LEVELS = ['institute', 'bureau', 'city'] as const
export type RoundLevel = (typeof ROUND_LEVELS)[number]
export const ROUND_LEVEL_ZH: Record<RoundLevel, string> = { institute: '所级', bureau: '局级', city: '市级及以上' }
/** The shipped rule an award grants points by (RULES.md 带头争创佳绩: 岗位业绩受表彰). */
export const AWARD_RULE_KEY = 'job-award'

export const COMMENDATION_LIMITS = {
  titleNameMax: 20,
  roundTitleMax: 40,
  titlesMax: 8,
  quotaMax: 50,
  citationMax: 500,
  publicityDaysMin: 1,
  publicityDaysMax: 30,
  feedbackMax: 500,
  feedbackNameMax: 20,
  weightMax: 100,
} as const
