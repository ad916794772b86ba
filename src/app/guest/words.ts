import type { GuestRelation, MemberDimension, Score } from '#shared/reviews/constants'

/*
 * The guest page's words, Chinese first. Not vue-i18n: this page is for a stranger's old phone over
 * mobile data and ships no framework (src/app/guest/main.ts), so its few words live here.
 */
export type GuestLang = 'zh' | 'en'

export const DIMENSION_WORDS: Record<MemberDimension, Record<GuestLang, string>> = {
  study: { zh: '带头学习提高', en: 'Learning and improving' },
  excel: { zh: '带头争创佳绩', en: 'Excelling at work' },
  serve: { zh: '带头服务群众', en: 'Serving the people' },
  discipline: { zh: '带头遵纪守法', en: 'Keeping discipline and the law' },
  uphold: { zh: '带头弘扬正气', en: 'Upholding integrity' },
}

export const SCORE_WORDS: Record<Score, Record<GuestLang, string>> = {
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '比较满意', en: 'Fairly satisfied' },
  2: { zh: '基本满意', en: 'Basically satisfied' },
  1: { zh: '不满意', en: 'Dissatisfied' },
}

export const RELATION_WORDS: Record<GuestRelation, Record<GuestLang, string>> = {
  masses_rep: { zh: '职工群众代表', en: 'Staff / public representative' },
  served: { zh: '服务对象', en: 'Someone they serve' },
  other: { zh: '其他', en: 'Other' },
}

export const WORDS = {
  switchLang: { zh: 'English', en: '中文' },
  intro: { zh: '请您为本党小组的党员评分。每部手机只能提交一次；您的姓名可以不填。', en: 'Please rate the members of this Party group. One submission per phone; your name is optional.' },
  yourName: { zh: '您的姓名（可不填）', en: 'Your name (optional)' },
  relation: { zh: '您的身份', en: 'You are' },
  members: { zh: '党员陈述与评分', en: 'Members\' statements and your rating' },
  participation: { zh: '参与情况', en: 'How I took part' },
  pledges: { zh: '践诺情况', en: 'Keeping my pledges' },
  improvement: { zh: '改进方向', en: 'What I will improve' },
  noStatement: { zh: '尚未提交陈述', en: 'No statement yet' },
  rateThis: { zh: '为 {name} 评分', en: 'Rate {name}' },
  skipThis: { zh: '不评 {name}', en: 'Do not rate {name}' },
  comment: { zh: '意见建议（可不填，经组织者审核后对本人可见）', en: 'Comment (optional; shown to the member after the organizer approves it)' },
  submit: { zh: '提交评分', en: 'Submit my rating' },
  sending: { zh: '正在提交…', en: 'Sending…' },
  chooseOne: { zh: '请至少选择一位党员进行评分', en: 'Choose at least one member to rate' },
  chooseRelation: { zh: '请选择您的身份', en: 'Choose who you are' },
  thanks: { zh: '评分已提交，谢谢您的参与！', en: 'Your rating has been sent. Thank you!' },
  notYet: { zh: '评分尚未开始，请等组织者开始评分后再刷新本页。', en: 'Rating has not started yet; reload this page when the organizer starts it.' },
  reload: { zh: '刷新', en: 'Reload' },
  offline: { zh: '网络不通，请稍后再试', en: 'No connection; try again in a moment' },
  rated: { zh: '已评 {n} 人', en: '{n} rated' },
} as const satisfies Record<string, Record<GuestLang, string>>

/** Fills {name}-style parameters. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)(?::\w+)?\}/g, (_m, key: string) => String(params[key] ?? ''))
}
