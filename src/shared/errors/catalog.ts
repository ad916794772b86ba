import type { Words } from './words'
import { APPRAISAL_ERRORS } from '../appraisal/errors'
import { AUTH_ERRORS } from '../auth/errors'
import { COMMENDATION_ERRORS } from '../commendations/errors'
import { MEETING_ERRORS } from '../meetings/errors'
import { ORG_ERRORS } from '../org/errors'
import { PHOTO_ERRORS } from '../photos/errors'
import { PLEDGE_ERRORS } from '../pledges/errors'
import { POINTS_ERRORS } from '../points/errors'
import { REVIEW_ERRORS } from '../reviews/errors'
import { GROUP_REVIEW_ERRORS } from '../reviews/group-errors'
import { REVIEW_GUEST_ERRORS } from '../reviews/guest-errors'
import { SYNC_ERRORS } from '../sync/errors'
import { ASSESSMENT_ERRORS } from '../upper/assessment-errors'
import { UPPER_ERRORS } from '../upper/errors'

/**
 * Errors as a code and parameters, worded once here in both languages (issue 11): the server
 * answers `{ code, params, message }` — the message is both languages for API clients and logs —
 * and the app words the code in the member's language. A code not (yet) in the catalog is shown
 * with the server's message as it is.
 *
 * Where the code stays general for clients (VALIDATION, NOT_FOUND for a route), `params.reason`
 * names a more precise code of the catalog, which the app words instead.
 *
 * Templates name their parameters in braces: `{name}` is put in as given (a member's name, a
 * number); `{what:noun}` names a thing by a NOUNS key, worded in the language too; `{wait:duration}`
 * is a number of seconds, worded as a wait a person can read (「30 秒」/ "30 seconds", 「4 分钟」/ "4 minutes").
 */
export type Lang = 'zh-CN' | 'en'
export type ErrorParams = Record<string, string | number>

/** Things an error may name, as `{what:noun}` parameters. */
export const NOUNS = {
  member: { zh: '成员', en: 'Member' },
  entry: { zh: '积分记录', en: 'Entry' },
  rule: { zh: '积分项目', en: 'Rule' },
  pledge: { zh: '承诺', en: 'Pledge' },
  meeting: { zh: '会议', en: 'Meeting' },
  feedback: { zh: '留言', en: 'Feedback' },
  photo: { zh: '照片', en: 'Photo' },
  board: { zh: '承诺公示栏', en: 'Pledge board' },
  group: { zh: '党小组', en: 'Group' },
  veto: { zh: '一票否决记录', en: 'Veto' },
  review: { zh: '讲评', en: 'Review' },
  reviewComment: { zh: '评价', en: 'Comment' },
  appraisal: { zh: '民主评议', en: 'Appraisal' },
  round: { zh: '评选', en: 'Commendation round' },
  nominee: { zh: '推荐对象', en: 'Nominee' },
  assessment: { zh: '支部争先评议', en: 'Branch assessment' },
  branch: { zh: '支部', en: 'Branch' },
} as const satisfies Record<string, Words>
export type Noun = keyof typeof NOUNS

export const ERRORS = {
  UNAUTHORIZED: { zh: '请先登录', en: 'Please log in' },
  FORBIDDEN: { zh: '没有权限进行此操作', en: 'You may not do this' },
  NOT_FOUND: { zh: '{what:noun}不存在', en: '{what:noun} not found' },
  NO_ROUTE: { zh: '没有这个接口', en: 'No route {method} {url}' },
  // ajv's detail is English only: the Chinese words say where to look instead.
  VALIDATION: { zh: '请求数据有误，请检查填写的内容', en: 'Invalid request: {detail}' },
  FIELD_BAD_CHARACTERS: { zh: '{field} 含有不允许的字符（如控制字符、换行）', en: '{field} contains characters that are not allowed (control characters, line breaks)' },
  FIELD_BAD_CHARACTERS_TEXT: { zh: '{field} 含有不允许的字符（如控制字符）', en: '{field} contains characters that are not allowed (control characters)' },
  FIELD_BLANK: { zh: '{field} 不能只有空格', en: '{field} must not be blank' },
  TOO_LARGE: { zh: '请求内容过大（上限 {limit} 字节）', en: 'Request body is larger than the limit of {limit} bytes' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  BAD_REQUEST: { zh: '请求无效', en: 'Bad request' },
  DB_UNAVAILABLE: { zh: '服务器暂时不可用，请稍后重试', en: 'The server is temporarily unavailable; try again later' },
  INTERNAL: { zh: '服务器出错了，请稍后再试', en: 'Something went wrong on the server' },
  RATE_LIMITED: { zh: '操作太频繁，请 {wait:duration}后再试', en: 'Too many tries; try again in {wait:duration}' },
  // Each feature's own, worded next to its code.
  ...AUTH_ERRORS,
  ...ORG_ERRORS,
  ...PHOTO_ERRORS,
  ...POINTS_ERRORS,
  ...MEETING_ERRORS,
  ...PLEDGE_ERRORS,
  ...REVIEW_ERRORS,
  ...GROUP_REVIEW_ERRORS,
  ...ASSESSMENT_ERRORS,
  ...REVIEW_GUEST_ERRORS,
  ...APPRAISAL_ERRORS,
  ...COMMENDATION_ERRORS,
  ...SYNC_ERRORS,
  ...UPPER_ERRORS,
} as const satisfies Record<string, Words>
export type ErrorCode = keyof typeof ERRORS

export function isCataloged(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code)
}

/** 「30 秒」/ "30 seconds", 「4 分钟」/ "4 minutes": a wait of some seconds a person can read. */
export function waitInWords(seconds: number, lang: Lang): string {
  if (seconds < 60)
    return lang === 'en' ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${seconds} 秒`
  const minutes = Math.ceil(seconds / 60)
  return lang === 'en' ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${minutes} 分钟`
}

function fill(template: string, params: ErrorParams, lang: Lang): string {
  return template.replace(/\{(\w+)(:noun|:duration)?\}/g, (whole, name: string, kind?: string) => {
    const value = params[name]
    if (value === undefined)
      return whole
    if (kind === ':noun' && Object.hasOwn(NOUNS, String(value)))
      return NOUNS[value as Noun][lang === 'en' ? 'en' : 'zh']
    if (kind === ':duration' && Number.isFinite(Number(value)))
      return waitInWords(Number(value), lang)
    return String(value)
  })
}

/** The error in one language, or undefined when the code is not in the catalog. */
export function errorWords(code: string, params: ErrorParams = {}, lang: Lang = 'zh-CN'): string | undefined {
  if (!isCataloged(code))
    return undefined
  const words = ERRORS[code]
  return fill(lang === 'en' ? words.en : words.zh, params, lang)
}

/** Both languages, Chinese first: the server's `message` for API clients and logs. */
export function bilingual(code: ErrorCode, params: ErrorParams = {}): string {
  return `${errorWords(code, params, 'zh-CN')} ${errorWords(code, params, 'en')}`
}
