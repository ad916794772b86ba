import type { Words } from '../errors/words'

/** 评选表彰 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). */
export const COMMENDATION_ERRORS = {
  COMMENDATION_QUOTA_TOO_LARGE: { zh: '「{title}」名额 {quota} 个，多于可评的 {eligible} 个{who}', en: '{title}: a quota of {quota} is more than the {eligible} eligible {who}' },
  COMMENDATION_QUOTA_FULL: { zh: '「{title}」名额 {quota} 个已满，不能再推荐', en: '{title} already has its {quota} nominees' },
  COMMENDATION_VETOED: { zh: '{name} 本年度有一票否决，不能推荐', en: '{name} has a veto this year and cannot be nominated' },
  COMMENDATION_DEPARTED: { zh: '{name} 已不在本支部，不能推荐', en: '{name} has left the branch and cannot be nominated' },
  COMMENDATION_ALREADY_NOMINATED: { zh: '{name} 已被推荐为「{title}」', en: '{name} is already nominated for {title}' },
  COMMENDATION_WRONG_TARGET: { zh: '「{title}」评的是{who}', en: '{title} is for {who}' },
  COMMENDATION_NOT_IN_SCOPE: { zh: '只能推荐本党小组的党员', en: 'You may nominate only members of your own group' },
  COMMENDATION_STEP: { zh: '评选现在是「{status}」，不能这样操作', en: 'The round is {status}; this step is not possible' },
  COMMENDATION_PUBLICITY_RUNNING: { zh: '公示到 {until} 才结束，结束后才能决定', en: 'The 公示 runs until {until}; decide after it ends' },
  COMMENDATION_DECIDED: { zh: '{name} 已决定为「{result}」，不能再改', en: '{name} was already decided ({result})' },
  COMMENDATION_NO_NOMINEES: { zh: '还没有推荐对象，不能公示', en: 'There are no nominees to publish yet' },
  COMMENDATION_ROUND_EXISTS: { zh: '{year} 年{kind}评选已经有了', en: 'The {year} {kind} round already exists' },
  COMMENDATION_WEIGHTS_ZERO: { zh: '权重不能全为 0', en: 'The weights cannot all be 0' },
  COMMENDATION_TITLE_DUPLICATE: { zh: '称号「{title}」重复了', en: 'The title {title} appears twice' },
  COMMENDATION_FEEDBACK_MODERATED: { zh: '这条意见已经处理过了', en: 'This feedback was already moderated' },
} as const satisfies Record<string, Words>
