import type { Words } from '../errors/words'

/** 民主评议党员 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). */
export const APPRAISAL_ERRORS = {
  APPRAISAL_NOT_FOUND: { zh: '没有这次民主评议', en: 'No such appraisal' },
  APPRAISAL_EXISTS: { zh: '{year} 年的民主评议已经开始了', en: 'The {year} appraisal is already open' },
  APPRAISAL_DATES: { zh: '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  APPRAISAL_SHARE: { zh: '优秀比例最高为三分之一', en: 'The 优秀 share can be at most one third' },
  APPRAISAL_STEP: { zh: '民主评议现在是「{status}」，不能这样操作', en: 'The appraisal is {status}; this step is not possible' },
  APPRAISAL_NOT_ADMIN: { zh: '只有支部委员（支部管理员）能办理民主评议', en: 'Only the branch committee (branch admins) can run the appraisal' },
  APPRAISAL_SUMMARY_CLOSED: { zh: '个人总结只能在投票结束前填写', en: 'The self-assessment can only be written before the ballot closes' },
  APPRAISAL_BALLOT_CLOSED: { zh: '投票已结束，不能再投票或修改', en: 'The ballot is closed; nothing can be cast or changed' },
  APPRAISAL_BALLOT_NOT_OPEN: { zh: '投票尚未开始', en: 'The ballot has not opened yet' },
  APPRAISAL_SELF: { zh: '不能给自己评定等次', en: 'You cannot grade yourself' },
  APPRAISAL_NOT_IN_SCOPE: { zh: '只能评议本次参评范围内的党员', en: 'Only members within the appraisal\'s scope can be graded' },
  APPRAISAL_INCOMPLETE: { zh: '请给每一位党员选一个等次（还有 {missing} 人未评）', en: 'Grade every member ({missing} not yet graded)' },
  APPRAISAL_QUOTA: { zh: '优秀最多 {quota} 人，您选了 {given} 人', en: 'At most {quota} may be graded 优秀; you chose {given}' },
  APPRAISAL_VETOED: { zh: '{name} 本年度有一票否决，不能评为优秀', en: '{name} has a veto this year and cannot be graded 优秀' },
  APPRAISAL_ALREADY_VOTED: { zh: '已投票；请在投票时使用的手机上修改', en: 'You have already voted; change your ballot on the phone you voted with' },
  APPRAISAL_REASON_NEEDED: { zh: '{name} 的确定等次与投票结果（{ballot}）不同，请填写理由', en: 'The final grade of {name} differs from the ballot ({ballot}); give a reason' },
  APPRAISAL_UNDECIDED: { zh: '还有 {count} 名党员未确定等次', en: '{count} members have no final grade yet' },
  APPRAISAL_NOT_APPRAISED: { zh: '这名党员不在本次评议的结果中', en: 'This member is not among the appraisal\'s results' },
  APPRAISAL_DECIDED: { zh: '{name} 的等次已由 {by} 确定', en: 'The grade of {name} was already set by {by}' },
} as const satisfies Record<string, Words>
