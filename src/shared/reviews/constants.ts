import { CATEGORIES } from '../points/categories'

/*
 * 定期讲评 and the branch's review of groups (issue 12), as RULES.md sets them: 满意 / 比较满意 /
 * 基本满意 / 不满意 = 4/3/2/1 on each 五带头 dimension for a member, the same scale on each 五个好
 * dimension for a group; one ballot per rater per session; no self-rating. The result advises the
 * 支委会; it is not a verdict.
 */

export const SCORES = [4, 3, 2, 1] as const
export type Score = (typeof SCORES)[number]
export const SCORE_ZH: Record<Score, string> = { 4: '满意', 3: '比较满意', 2: '基本满意', 1: '不满意' }

/** A member is rated on the five 五带头 standards: the points categories. */
export const MEMBER_DIMENSIONS = CATEGORIES
export type MemberDimension = (typeof MEMBER_DIMENSIONS)[number]

/** A group is rated on the five 五个好 standards. */
export const GROUP_DIMENSIONS = ['leadership', 'members', 'mechanism', 'results', 'masses'] as const
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number]
export const GROUP_DIMENSION_ZH: Record<GroupDimension, string> = {
  leadership: '领导班子好',
  members: '党员队伍好',
  mechanism: '工作机制好',
  results: '工作业绩好',
  masses: '群众反映好',
}

/**
 * A session's life: draft (made, not yet held) → open (being held: statements) → rating (ballots
 * taken, the guest link works) → closed (results shown; nothing changes any more).
 */
export const REVIEW_STATUSES = ['draft', 'open', 'rating', 'closed'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]
export const REVIEW_STATUS_ZH: Record<ReviewStatus, string> = { draft: '未开始', open: '进行中', rating: '评分中', closed: '已结束' }

/** The one step each status may take; closing is final. Opening rating straight from draft is allowed (a short meeting). */
export const REVIEW_TRANSITIONS: Record<ReviewStatus, readonly ReviewStatus[]> = {
  draft: ['open', 'rating'],
  open: ['rating'],
  rating: ['closed'],
  closed: [],
}

export const RATER_KINDS = ['member', 'guest'] as const
export type RaterKind = (typeof RATER_KINDS)[number]

/** Who a guest is to the branch (the source document: 职工群众代表 or the people they serve). */
export const GUEST_RELATIONS = ['masses_rep', 'served', 'other'] as const
export type GuestRelation = (typeof GUEST_RELATIONS)[number]
export const GUEST_RELATION_ZH: Record<GuestRelation, string> = { masses_rep: '职工群众代表', served: '服务对象', other: '其他' }

export const REVIEW_LIMITS = {
  title: 60,
  statementPart: 2000,
  comment: 500,
  guestName: 40,
  /** The largest guest cap an organizer may set. */
  guestCap: 200,
} as const

/** A review period: a year (2026-Y), a half (2026-H1) or a quarter (2026-Q3). */
export const PERIOD_PATTERN = '^\\d{4}-(?:Y|H[12]|Q[1-4])$'

const LAST_DAY = ['', '31', '28', '31', '30', '31', '30', '31', '31', '30', '31', '30', '31']

/** First and last day (inclusive) of a review period, or null for a key that is not one. */
export function reviewPeriodBounds(period: string): { from: string, to: string } | null {
  if (!new RegExp(PERIOD_PATTERN).test(period))
    return null
  const year = Number(period.slice(0, 4))
  const part = period.slice(5)
  const [first, last] = part === 'Y' ? [1, 12] : part[0] === 'H' ? (part === 'H1' ? [1, 6] : [7, 12]) : [(Number(part[1]) - 1) * 3 + 1, Number(part[1]) * 3]
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const lastDay = last === 2 && leap ? '29' : LAST_DAY[last]
  const pad = (n: number) => String(n).padStart(2, '0')
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${lastDay}` }
}

/** The period in words: 2026年上半年, 2026年第三季度, 2026年度. */
export function reviewPeriodZh(period: string): string {
  const year = period.slice(0, 4)
  const part = period.slice(5)
  if (part === 'Y')
    return `${year}年度`
  if (part === 'H1' || part === 'H2')
    return `${year}年${part === 'H1' ? '上' : '下'}半年`
  return `${year}年第${['一', '二', '三', '四'][Number(part[1]) - 1]}季度`
}
