import type { Words } from '../errors/words'
import { PLEDGE_REJECT } from './ops'

/**
 * 承诺 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). Keys are the codes
 * the server answers, or reasons it names in `params.reason` under a general code.
 */
export const PLEDGE_ERRORS = {
  // Writing and sending a pledge (REST routes and pledge.save / pledge.submit ops).
  PLEDGE_BRANCH_ADMIN_ONLY: { zh: '只有支部管理员可以起草支部承诺', en: 'Only a branch admin may write the branch\'s pledge' },
  PLEDGE_GROUP_WRITERS_ONLY: { zh: '只有本小组的党小组长或支部管理员可以起草小组承诺', en: 'Only the group\'s leader or a branch admin may write a group pledge' },
  PLEDGE_NOT_WRITER: { zh: '只能修改自己起草的承诺', en: 'You can only change a pledge you wrote' },
  GROUP_REQUIRED: { zh: '党小组承诺须选择党小组', en: 'A group pledge must name its group' },
  INVALID_DATE: { zh: '日期 {date} 不存在', en: '{date} is not a calendar date' },
  DUE_DATE_OUT_OF_PERIOD: { zh: '完成时限 {date} 应在 {year} 年度内', en: 'The due date {date} must fall in the pledge\'s year {year}' },
  [PLEDGE_REJECT.locked]: { zh: '承诺已提交，不能再修改；如需修改请联系支部退回', en: 'The pledge was submitted and can no longer be changed; ask the branch to return it' },
  [PLEDGE_REJECT.pledgeNotFound]: { zh: '找不到这份承诺，可能已被删除', en: 'This pledge no longer exists' },
  [PLEDGE_REJECT.pledgeIdTaken]: { zh: '这份承诺的编号已被占用', en: 'This pledge id is taken' },
  // The branch's review (REST and pledge.review op): PLEDGE_DECIDED's reasons name who decided first.
  PLEDGE_WRONG_STATUS: { zh: '这份承诺的状态不允许这样操作', en: 'The pledge\'s status does not allow this' },
  PLEDGE_APPROVE_SUBMITTED_ONLY: { zh: '只有待审核的承诺可以审核通过', en: 'Only a submitted pledge can be approved' },
  PLEDGE_RETURN_UNPUBLISHED_ONLY: { zh: '只有待审核或已审核未公示的承诺可以退回', en: 'Only a submitted or approved, unpublished pledge can be returned' },
  PLEDGE_PUBLISH_APPROVED_ONLY: { zh: '只有审核通过的承诺可以公示', en: 'Only an approved pledge can be published' },
  [PLEDGE_REJECT.changed]: { zh: '{name} 的承诺已于 {at} 修改后重新提交，请看过新内容再审核', en: '{name}\'s pledge was rewritten and submitted again at {at}; review the new content' },
  [PLEDGE_REJECT.decided]: { zh: '这份承诺已被另一位管理员处理，请重新查看', en: 'Another organizer already decided this pledge; look at it again' },
  PLEDGE_RETURNED_BY: { zh: '这份承诺已被 {name} 退回（{reason}），等待党员修改', en: '{name} already returned this pledge ({reason})' },
  PLEDGE_APPROVED_BY: { zh: '这份承诺已由 {name} 审核通过', en: '{name} already approved this pledge' },
  PLEDGE_PUBLISHED_BY: { zh: '这份承诺已由 {name} 公示', en: '{name} already published this pledge' },
  PLEDGE_NOW_DRAFT: { zh: '这份承诺现在是「草稿」，请重新查看', en: 'The pledge is now a draft; look at it again' },
  PLEDGE_NOW_SUBMITTED: { zh: '这份承诺现在是「待审核」，请重新查看', en: 'The pledge is now waiting for review; look at it again' },
  // 评诺
  PLEDGE_EVALUATORS_ONLY: { zh: '只有支部管理员可以评诺', en: 'Only a branch admin may evaluate pledges' },
  PLEDGE_NOT_PUBLISHED: { zh: '承诺公示后才能评诺', en: 'A pledge is evaluated after it is published' },
  ITEM_NOT_IN_PLEDGE: { zh: '评诺的承诺项不属于这份承诺', en: 'An evaluated item is not part of this pledge' },
  ITEM_TWICE: { zh: '同一承诺项只能评一次', en: 'An item is listed twice' },
  ITEM_EVALUATED: { zh: '这项承诺已评诺，结论不能更改', en: 'This item was already evaluated; the result cannot change' },
  ITEM_KEPT_BY: { zh: '「{target}」已由 {name} 评为已兑现，结论不能更改', en: '{name} already evaluated "{target}" as kept; the result cannot change' },
  ITEM_PARTIAL_BY: { zh: '「{target}」已由 {name} 评为部分兑现，结论不能更改', en: '{name} already evaluated "{target}" as partly kept; the result cannot change' },
  ITEM_BROKEN_BY: { zh: '「{target}」已由 {name} 评为未兑现，结论不能更改', en: '{name} already evaluated "{target}" as not kept; the result cannot change' },
  // 践诺 (pledge.progress op)
  [PLEDGE_REJECT.notFound]: { zh: '找不到这项承诺，可能已被退回修改', en: 'This pledge item no longer exists; the pledge may have been returned and rewritten' },
  PLEDGE_PROGRESS_NOT_YOURS: { zh: '只能记录自己承诺的践诺情况', en: 'You can only record progress on your own pledges' },
  [PLEDGE_REJECT.notOpen]: { zh: '承诺审核通过后才能记录践诺情况', en: 'Progress can be recorded once the pledge is approved' },
  [PLEDGE_REJECT.evaluated]: { zh: '这项承诺已评诺，不能再记录', en: 'This item was already evaluated; no more progress can be recorded' },
  [PLEDGE_REJECT.idTaken]: { zh: '这条践诺记录已存在', en: 'This progress record already exists' },
  // 承诺公示栏 and its 留言
  FEEDBACK_MODERATED: { zh: '这条留言已经审核过', en: 'This feedback was already moderated' },
  FEEDBACK_TOO_MANY: { zh: '留言太频繁，请 {wait:duration}后再试', en: 'Too many messages; try again in {wait:duration}' },
} as const satisfies Record<string, Words>
