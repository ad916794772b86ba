/**
 * 公开承诺 → 践诺 → 评诺. The 五带头 category keys are the same as the points rules' categories
 * (study, excel, serve, discipline, uphold), so a pledge item and a rule speak of the same standard.
 */
export const PLEDGE_CATEGORIES = ['study', 'excel', 'serve', 'discipline', 'uphold'] as const
export type PledgeCategory = (typeof PLEDGE_CATEGORIES)[number]

/** Whose pledge it is: a member's own, a 党小组's, or the branch's. */
export const OWNER_KINDS = ['member', 'group', 'branch'] as const
export type OwnerKind = (typeof OWNER_KINDS)[number]

/** draft → submitted → approved (or returned with a reason, then edited and submitted again) → published. */
export const PLEDGE_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'published'] as const
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number]

/** 践诺: 未开始 / 进行中 / 已完成. */
export const PROGRESS_STATUSES = ['not_started', 'in_progress', 'done'] as const
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number]

/** 评诺: 已兑现 / 部分兑现 / 未兑现. */
export const RESULTS = ['kept', 'partial', 'broken'] as const
export type PledgeResult = (typeof RESULTS)[number]

/** The archive's live status: 进行中 / 已完成 / 逾期 / 未兑现. */
export const LIVE_STATUSES = ['in_progress', 'completed', 'overdue', 'unfulfilled'] as const
export type LiveStatus = (typeof LIVE_STATUSES)[number]

export const FEEDBACK_STATUSES = ['pending', 'approved', 'rejected'] as const
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number]

/** An item not done whose due date is within this many days is flagged as 即将到期. */
export const DUE_SOON_DAYS = 7

/** Limits both sides agree on: change here, never inline. */
export const PLEDGE_LIMITS = {
  itemsMax: 20,
  dutyMax: 200,
  targetMax: 500,
  supervisorMax: 100,
  contactMax: 100,
  stageMax: 40,
  reasonMax: 200,
  noteMax: 500,
  commentMax: 300,
  feedbackMax: 500,
  feedbackNameMax: 20,
  yearMin: 2000,
  yearMax: 2100,
  /** Public feedback: per address per 10 minutes, and per board per hour. */
  feedbackPerAddress: 5,
  feedbackPerAddressWindowMs: 10 * 60_000,
  feedbackPerBoard: 100,
  feedbackPerBoardWindowMs: 60 * 60_000,
} as const

/** The branch's own calendar, like the points: "today" is counted in China Standard Time. */
export const PLEDGE_TIME_ZONE = 'Asia/Shanghai'

/** Official wording for exports and print (the app's own labels live in the locale files). */
export const CATEGORY_LABEL_ZH: Record<PledgeCategory, string> = {
  study: '带头学习提高',
  excel: '带头争创佳绩',
  serve: '带头服务群众',
  discipline: '带头遵纪守法',
  uphold: '带头弘扬正气',
}
export const STATUS_LABEL_ZH: Record<PledgeStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  returned: '已退回',
  approved: '已审核',
  published: '已公示',
}
export const PROGRESS_LABEL_ZH: Record<ProgressStatus, string> = { not_started: '未开始', in_progress: '进行中', done: '已完成' }
export const RESULT_LABEL_ZH: Record<PledgeResult, string> = { kept: '已兑现', partial: '部分兑现', broken: '未兑现' }
export const LIVE_LABEL_ZH: Record<LiveStatus, string> = { in_progress: '进行中', completed: '已完成', overdue: '逾期', unfulfilled: '未兑现' }

/** The points rules (by their shipped key) that 评诺 feeds: 承诺项按期兑现 +5, 无故不兑现 −3. */
export const PLEDGE_RULE_KEYS = { kept: 'pledge-kept', broken: 'no-pledge' } as const
export const PLEDGE_POINTS = { kept: 5, broken: -3 } as const
