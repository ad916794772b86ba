import type { Words } from '../errors/words'
import { ADJUST_REJECT, ENTRY_REJECT } from './ops'

/**
 * 积分 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). Keys are the codes
 * the server answers, or reasons it names in `params.reason` under a general code (FORBIDDEN).
 */
export const POINTS_ERRORS = {
  // The member's own entries (entry.create / entry.resubmit ops).
  [ENTRY_REJECT.unknownRule]: { zh: '积分项目不存在，请同步后重新选择', en: 'Unknown rule; sync and choose again' },
  [ENTRY_REJECT.ruleRetired]: { zh: '积分项目"{rule}"已停用', en: 'The rule "{rule}" has been retired' },
  [ENTRY_REJECT.ruleInactive]: { zh: '积分项目"{rule}"未启用', en: 'The rule "{rule}" is switched off' },
  [ENTRY_REJECT.notSelfLog]: { zh: '"{rule}"由组织记录，个人不能申报', en: 'Organizers record "{rule}"; members cannot log it' },
  [ENTRY_REJECT.pointsNotAllowed]: { zh: '该项目的分值是 {points} 分，个人不能自定分值', en: 'This item is worth {points}; members cannot set points' },
  [ENTRY_REJECT.variant]: { zh: '请选择该项目的档次', en: 'Choose one of the rule\'s tiers' },
  [ENTRY_REJECT.dateInvalid]: { zh: '日期无效', en: 'The date is not a real date' },
  [ENTRY_REJECT.dateFuture]: { zh: '日期不能晚于今天', en: 'The date cannot be in the future' },
  [ENTRY_REJECT.dateBeforeOpen]: { zh: '日期早于本期积分开始的日子', en: 'The date is before the points period opened' },
  [ENTRY_REJECT.yearClosed]: { zh: '该年度已结束，不能再补记', en: 'That year is closed for new entries' },
  [ENTRY_REJECT.idTaken]: { zh: '这条记录已存在', en: 'An entry with this id already exists' },
  [ENTRY_REJECT.notFound]: { zh: '找不到这条积分记录', en: 'No such entry of yours' },
  [ENTRY_REJECT.notReturned]: { zh: '只有被退回的记录可以修改后重新提交', en: 'Only a returned entry can be corrected and sent again' },
  // 审核: someone else decided first (reasons under ENTRY_NOT_PENDING name who).
  [ENTRY_REJECT.notPending]: { zh: '这条记录已处理过', en: 'This entry was already decided' },
  ENTRY_APPROVED_BY: { zh: '这条记录已被{name}审核通过', en: '{name} already approved this entry' },
  ENTRY_RETURNED_BY: { zh: '这条记录已被{name}退回', en: '{name} already returned this entry' },
  ENTRY_REVOKED_BY: { zh: '这条记录已被{name}撤销', en: '{name} revoked this entry' },
  [ENTRY_REJECT.changed]: { zh: '{name}已修改这条记录并重新提交，请重新审核', en: '{name} corrected and sent this entry again; look at it again' },
  ENTRY_GROUP_APPROVED_BY: { zh: '这条记录已由{name}审核通过，正等待支部审核', en: '{name} already approved this entry; it now waits for a branch admin' },
  ENTRY_NEEDS_BRANCH: { zh: '这条记录需要支部审核', en: 'This entry needs a branch admin' },
  ENTRY_NOT_OWN_GROUP: { zh: '只能审核本小组成员的记录', en: 'You can only approve entries of your own group' },
  RETURN_REASON_TEXT: { zh: '请写明退回原因', en: 'Say why the entry is returned' },
  ENTRY_NOT_APPROVED: { zh: '只有已通过的记录可以撤销', en: 'Only an approved entry can be revoked' },
  // An organizer's 加分/扣分 (REST and points.adjust op); OWN_ENTRY also answers 审核 of one's own entry.
  [ADJUST_REJECT.memberUnknown]: { zh: '成员不存在', en: 'Member not found' },
  [ADJUST_REJECT.own]: { zh: '不能给自己加分或扣分', en: 'You cannot grant or deduct your own points' },
  OWN_ENTRY_REVIEW: { zh: '不能审核自己的积分记录', en: 'You cannot approve or return your own entry' },
  [ADJUST_REJECT.memberLeft]: { zh: '{name} 已离开本支部，不能再记分', en: '{name} has left the branch' },
  [ADJUST_REJECT.notInScope]: { zh: '{name} 不是本小组成员，只能为本小组成员记分', en: '{name} is not in your group; you can only record points for your own group' },
  [ADJUST_REJECT.ruleUnknown]: { zh: '积分项目不存在或已停用', en: 'Unknown or retired rule' },
  [ADJUST_REJECT.ruleInactive]: { zh: '积分项目"{rule}"已关闭，请另选项目', en: 'The rule "{rule}" has been switched off; choose another' },
  [ADJUST_REJECT.ruleIsVeto]: { zh: '一票否决请通过"一票否决"记录决定', en: 'Record a veto as a decision, not as points' },
  [ADJUST_REJECT.variant]: { zh: '请选择该项目的档次', en: 'Choose one of the rule\'s tiers' },
  [ADJUST_REJECT.pointsNotAllowed]: { zh: '该项目的分值是 {points} 分', en: 'This item is worth {points}' },
  [ADJUST_REJECT.incomplete]: { zh: '请选择积分项目，或填写类别和分值', en: 'Choose a rule, or give a category and non-zero points' },
  [ADJUST_REJECT.date]: { zh: '日期不在可记分的年度内', en: 'The date is outside the open year' },
  // 一票否决
  VETO_DATE: { zh: '决定日期须是今天或以前的真实日期', en: 'The decision date must be a real date, today or earlier' },
  VETO_YEAR: { zh: '不能对尚未开始的年度作出一票否决', en: 'A veto cannot apply to a year that has not started' },
  VETO_EXISTS: { zh: '{name} {year} 年度已有一票否决决定，如需更正请先撤销原决定', en: '{name} already has a veto for {year}; revoke it first to correct it' },
  VETO_REVOKED: { zh: '该决定已撤销', en: 'This decision was already revoked' },
  // 积分项目 settings, lists and 记录表
  RULE_CAP: { zh: '上限分值和上限周期需同时填写', en: 'Give both the cap and its period, or neither' },
  RULE_VARIANTS: { zh: '档次的编号不能重复', en: 'Tier keys must be unique' },
  RULE_SELF_DEDUCTION: { zh: '扣分项只能由组织录入', en: 'A deduction cannot be self-logged' },
  RULE_SELF_VETO: { zh: '一票否决项只能由支部决定', en: 'A veto item cannot be self-logged' },
  CURSOR: { zh: '分页参数无效，请从第一页重新加载', en: 'Invalid page cursor; reload from the first page' },
  POINTS_NOT_VISIBLE: { zh: '只能查看自己或所管理成员的积分', en: 'You can only see your own points or those of members you organize' },
  SHEET_NOT_VISIBLE: { zh: '只能查看自己或所管理成员的记录表', en: 'You can only see your own sheet or those of members you organize' },
  SHEET_GROUP: { zh: '请选择党小组', en: 'Choose a group' },
  SHEET_NOT_OWN_GROUP: { zh: '只能导出本小组的记录表', en: 'You can only export your own group' },
  SHEET_BRANCH_ONLY: { zh: '只有支部管理员可以导出全支部', en: 'Only a branch admin can export the whole branch' },
  SHEET_PERIOD: { zh: '请选择月份或季度', en: 'Choose the month or quarter' },
} as const satisfies Record<string, Words>
