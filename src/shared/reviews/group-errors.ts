import type { Words } from '../errors/words'

/** Refusals of the branch's 五个好 review of groups, merged into the shared catalog. */
export const GROUP_REVIEW_ERRORS = {
  GROUP_REVIEW_CLOSED: { zh: '本次五个好评议已结束，不能再评分或修改', en: 'This group review is closed; nothing can be rated or changed' },
  GROUP_REVIEW_NOT_RATER: { zh: '您不是本次五个好评议的评议人，请联系支部管理员邀请', en: 'You are not a rater of this group review; ask the branch admin to invite you' },
  GROUP_REVIEW_UNKNOWN_GROUP: { zh: '只能评议本支部的党小组', en: 'Only this branch\'s groups can be rated' },
  GROUP_REVIEW_SCORE_RANGE: { zh: '请给「{name}」的五个方面各选一个评价（满意、比较满意、基本满意、不满意）', en: 'Rate {name} on all five standards (4, 3, 2 or 1)' },
  GROUP_REVIEW_DUPLICATE_GROUP: { zh: '同一张评议表里「{name}」出现了两次', en: '{name} appears twice on one ballot' },
  GROUP_REVIEW_EMPTY_BALLOT: { zh: '请至少评议一个党小组', en: 'Rate at least one group' },
  GROUP_REVIEW_EXISTS: { zh: '{period}的五个好评议已经建立', en: 'The group review for {period} already exists' },
  GROUP_REVIEW_RATER_UNKNOWN: { zh: '只能邀请本支部的在册党员作评议人', en: 'Only active members of this branch can be invited as raters' },
  GROUP_REVIEW_ALREADY_CLOSED: { zh: '本次五个好评议已由{name}结束', en: 'This group review was already closed by {name}' },
} as const satisfies Record<string, Words>
