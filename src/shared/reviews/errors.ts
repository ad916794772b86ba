import type { Words } from '../errors/words'

/** 讲评 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). */
export const REVIEW_ERRORS = {
  REVIEW_NOT_RATING: { zh: '讲评尚未开始评分', en: 'Rating has not started for this review' },
  REVIEW_CLOSED: { zh: '讲评已结束，不能再评分或修改', en: 'The review is closed; nothing can be rated or changed' },
  REVIEW_SELF_RATING: { zh: '不能给自己评分', en: 'You cannot rate yourself' },
  REVIEW_NOT_IN_GROUP: { zh: '只能给本次讲评的党小组成员评分', en: 'Only members of the review\'s group can be rated' },
  REVIEW_SCORE_RANGE: { zh: '请给 {name} 的五个方面各选一个评价（满意、比较满意、基本满意、不满意）', en: 'Rate {name} on all five standards (4, 3, 2 or 1)' },
  REVIEW_DUPLICATE_RATEE: { zh: '同一张评分表里 {name} 出现了两次', en: '{name} appears twice on one ballot' },
  REVIEW_EMPTY_BALLOT: { zh: '请至少给一位党员评分', en: 'Rate at least one member' },
  REVIEW_PERIOD_INVALID: { zh: '讲评期间无效', en: 'Not a review period' },
  REVIEW_STATUS_STEP: { zh: '讲评现在是「{status}」，不能这样操作', en: 'The review is {status}; this step is not possible' },
  REVIEW_CLOSED_BY: { zh: '讲评已由{name}结束', en: '{name} already closed this review' },
  REVIEW_ORGANIZERS_ONLY: { zh: '只有本党小组的组长或支部管理员可以组织讲评', en: 'Only the group\'s leader or a branch admin organizes this review' },
  REVIEW_OWN_GROUP_ONLY: { zh: '党小组长只能组织本小组的讲评', en: 'A group leader organizes reviews of their own group only' },
  REVIEW_GROUP: { zh: '没有这个党小组', en: 'No such group' },
  REVIEW_MEETING: { zh: '请选择本党小组的专题组织生活会', en: 'Choose a 专题组织生活会 of the same group' },
  REVIEW_ID_TAKEN: { zh: '这个讲评编号已被占用，请重新建立', en: 'This review id is taken; create it again' },
  REVIEW_PERIOD_TAKEN: { zh: '这个党小组本期已有讲评', en: 'This group already has a review for the period' },
  REVIEW_NOT_MEMBER: { zh: '您不是这次讲评的党小组成员', en: 'You are not a member of this review\'s group' },
  REVIEW_NOT_CLOSED: { zh: '讲评结束后才能看结果', en: 'Results are shown once the review is closed' },
} as const satisfies Record<string, Words>
