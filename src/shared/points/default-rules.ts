import type { Approval, CapPeriod, Category } from './categories'

/** One tier of a rule whose points depend on its kind (e.g. 所 / 局 / 市级 commendation). */
export interface RuleVariant {
  key: string
  label: string
  points: number
}

/** The editable content of a rule: an edit stores a new version of this, never changes the old one. */
export interface RuleContent {
  category: Category
  name: string
  /** Points per entry; negative for a deduction. Tiered rules take each tier's points instead. */
  points: number
  variants: RuleVariant[]
  /** Most points one member can be granted under this rule per period; null = no cap. */
  capPoints: number | null
  capPeriod: CapPeriod | null
  approval: Approval
  /** What evidence the reviewer expects (certificate photo, link…). */
  evidence: string
  /** A member may log it themselves; deductions and 评诺 items are recorded by organizers only. */
  selfLog: boolean
  /** A rule switched off stays listed for organizers but cannot be logged. */
  active: boolean
  /** 一票否决: recorded as a decision that sets the year total to 0, not as points. */
  veto: boolean
}

export interface DefaultRule extends RuleContent {
  /** Stable key of the shipped rule, so a branch can tell its copy of a default apart. */
  key: string
}

function rule(key: string, category: Category, name: string, points: number, more: Partial<RuleContent> = {}): DefaultRule {
  return {
    key,
    category,
    name,
    points,
    variants: [],
    capPoints: null,
    capPeriod: null,
    approval: 'group',
    evidence: '',
    selfLog: points > 0,
    active: true,
    veto: false,
    ...more,
  }
}

const perYear = (capPoints: number) => ({ capPoints, capPeriod: 'year' as const })

/**
 * The set a new branch starts with (../shared/RULES.md at the time of writing), as data a branch
 * admin can change. Notes on the reading:
 * - "4 /年 each" for 学习笔记 / 心得体会 is two rules with a cap of 4 each;
 * - 培训's middle tier is read as "1 周–2 月" so the tiers leave no gap (the source says 1 周–1 月, then >2 月);
 * - check-in items are granted by the meeting check-in (approval checkin), not logged by hand;
 * - 线上学习 ships switched off (a 2019 notice forbade forcing daily study points).
 */
export const DEFAULT_RULES: DefaultRule[] = [
  rule('meeting', 'study', '参加党员大会/党小组会/党课/主题党日', 2, { ...perYear(24), approval: 'checkin', evidence: '扫码签到', selfLog: false }),
  rule('life-meeting', 'study', '参加组织生活会/讲评会', 2, { ...perYear(4), approval: 'checkin', evidence: '扫码签到', selfLog: false }),
  rule('training', 'study', '上级/党校培训', 1, {
    ...perYear(6),
    evidence: '结业证书照片',
    variants: [{ key: 'week', label: '1 周以内', points: 1 }, { key: 'month', label: '1 周–2 月', points: 2 }, { key: 'long', label: '2 月以上', points: 3 }],
  }),
  rule('study-notes', 'study', '学习笔记', 1, { ...perYear(4), evidence: '照片' }),
  rule('reflection', 'study', '心得体会', 1, { ...perYear(4), evidence: '照片' }),
  rule('article', 'study', '理论文章、微党课主讲', 3, {
    ...perYear(12),
    approval: 'group_then_branch',
    evidence: '链接或照片',
    variants: [{ key: 'normal', label: '撰写或主讲', points: 3 }, { key: 'city', label: '市级以上采用/表彰', points: 6 }],
  }),
  rule('online-study', 'study', '线上学习（学习强国等，每 500 分）', 1, { ...perYear(6), evidence: '截图', active: false }),
  rule('pledge-kept', 'excel', '承诺项按期兑现（评诺结论"已兑现"）', 5, { ...perYear(10), approval: 'branch', evidence: '践诺记录', selfLog: false }),
  rule('urgent-task', 'excel', '完成急难险重 / 专项检验任务', 3, { ...perYear(12), approval: 'group_then_branch', evidence: '说明或照片' }),
  rule('job-award', 'excel', '岗位业绩受表彰', 2, {
    ...perYear(10),
    approval: 'branch',
    evidence: '证书',
    variants: [{ key: 'institute', label: '所级', points: 2 }, { key: 'bureau', label: '局级', points: 3 }, { key: 'city', label: '市级及以上', points: 5 }],
  }),
  rule('suggestion', 'excel', '合理化建议被采纳', 3, { ...perYear(9), approval: 'branch', evidence: '采纳说明' }),
  rule('volunteer', 'serve', '党员志愿服务（食药安全宣传、进社区等）', 2, { ...perYear(12), evidence: '照片' }),
  rule('micro-wish', 'serve', '认领/完成微心愿、结对帮扶', 2, { ...perYear(10), evidence: '照片' }),
  rule('praise', 'serve', '服务对象表扬（表扬信/锦旗）', 1, {
    ...perYear(5),
    approval: 'branch',
    evidence: '照片',
    variants: [{ key: 'letter', label: '表扬信/锦旗', points: 1 }, { key: 'media', label: '媒体报道', points: 2 }],
  }),
  rule('absent', 'discipline', '无故缺席组织生活（未经批准请假）', -2, { approval: 'branch', evidence: '考勤记录' }),
  rule('late', 'discipline', '迟到早退', -1, { approval: 'branch', evidence: '签到时间' }),
  rule('dues', 'discipline', '未按时足额交纳党费', -2, { approval: 'branch', evidence: '党费记录' }),
  rule('sanction', 'discipline', '受党纪政纪处分、违法犯罪（一票否决）', 0, { approval: 'branch', evidence: '处分决定', selfLog: false, veto: true }),
  rule('heroic', 'uphold', '见义勇为 / 先进事迹被通报表扬', 5, { ...perYear(10), approval: 'branch', evidence: '通报' }),
  rule('publicity', 'uphold', '正面宣传稿件被采用', 1, {
    ...perYear(6),
    evidence: '链接',
    variants: [{ key: 'institute', label: '所内', points: 1 }, { key: 'bureau', label: '局级以上', points: 2 }],
  }),
  rule('no-pledge', 'uphold', '不作承诺或承诺无故不兑现', -3, { approval: 'branch', evidence: '评诺记录' }),
  rule('eight-rules', 'uphold', '违反八项规定/四风', -10, { approval: 'branch', evidence: '处理决定' }),
]
