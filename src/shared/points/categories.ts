/** The 五带头 standards for a member: the five categories every points rule belongs to. */
export const CATEGORIES = ['study', 'excel', 'serve', 'discipline', 'uphold'] as const
export type Category = (typeof CATEGORIES)[number]

/** The official wording, for sheets and exports (the app's own labels live in the locale files). */
export const CATEGORY_ZH: Record<Category, string> = {
  study: '带头学习提高',
  excel: '带头争创佳绩',
  serve: '带头服务群众',
  discipline: '带头遵纪守法',
  uphold: '带头弘扬正气',
}

/**
 * Who signs an entry off:
 * - checkin: granted by the meeting check-in, never logged by hand by a member;
 * - group: the member's group leader (党小组长);
 * - group_then_branch: the group leader, then a branch admin;
 * - branch: a branch admin (支部) only.
 * Whatever the rule says, items worth 5 or more and every deduction also need a branch admin.
 */
export const APPROVALS = ['checkin', 'group', 'group_then_branch', 'branch'] as const
export type Approval = (typeof APPROVALS)[number]

export const CAP_PERIODS = ['month', 'quarter', 'year'] as const
export type CapPeriod = (typeof CAP_PERIODS)[number]

export const ENTRY_STATUSES = ['pending', 'approved', 'returned', 'revoked'] as const
export type EntryStatus = (typeof ENTRY_STATUSES)[number]

/**
 * Where an entry comes from: a member logged it, an organizer recorded it (记分/扣分), a meeting's
 * attendance (签到) or a pledge's 评诺 granted it.
 */
export const ENTRY_SOURCES = ['member', 'organizer', 'checkin', 'pledge'] as const
export type EntrySource = (typeof ENTRY_SOURCES)[number]

/** The review level a pending entry waits at. */
export const STAGES = ['group', 'branch'] as const
export type Stage = (typeof STAGES)[number]

/** Standard reasons to return an entry; the reviewer may add free text. */
export const RETURN_REASONS = ['evidence_missing', 'wrong_rule', 'wrong_date', 'duplicate', 'not_eligible', 'other'] as const
export type ReturnReason = (typeof RETURN_REASONS)[number]

export const RETURN_REASON_ZH: Record<ReturnReason, string> = {
  evidence_missing: '缺少佐证材料',
  wrong_rule: '积分项目选择有误',
  wrong_date: '日期有误',
  duplicate: '重复申报',
  not_eligible: '不符合积分条件',
  other: '其他',
}

export const STATUS_ZH: Record<EntryStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  returned: '已退回',
  revoked: '已撤销',
}

/** Points, base score and defaults: change here, never inline. */
export const POINTS = {
  baseScore: 60,
  /** A year stays open for logging this many days into the next year (entries made offline at year end). */
  yearGraceDays: 15,
  /** The branch's own calendar: "today" and "this year" are counted in China Standard Time. */
  timeZone: 'Asia/Shanghai',
  historyPage: 30,
  historyPageMax: 100,
  approvalPageMax: 200,
  approveManyMax: 100,
  reasonMax: 200,
  decisionMax: 200,
  ruleNameMax: 60,
  variantsMax: 6,
  pointsMax: 100,
} as const
