import type { ErrorParams, Lang } from '#shared/errors/catalog'
import { errorWords } from '#shared/errors/catalog'
import { i18n } from '../i18n'
import { ApiError } from './client'

const lang = (): Lang => (i18n.global.locale.value === 'en' ? 'en' : 'zh-CN')

/**
 * A refusal in the member's language: a code of the shared catalog is worded here from its params
 * (or by `params.reason`, a more precise code, where the code itself stays general for clients);
 * any other code keeps the server's own message.
 */
export function wordRefusal(code: string, params: ErrorParams | undefined, message: string): string {
  const reason = typeof params?.reason === 'string' ? params.reason : undefined
  return (reason && errorWords(reason, params, lang())) ?? errorWords(code, params ?? {}, lang()) ?? message
}

/**
 * What to tell a person about a failed request: no network in plain words (a screen may say what
 * offline means for it), else the server's answer in the member's language.
 */
export function errorText(err: unknown, offlineText?: string): string {
  if (err instanceof ApiError && err.isNetwork)
    return offlineText ?? i18n.global.t('common.offline')
  if (err instanceof ApiError)
    return wordRefusal(err.code, err.params, err.message)
  return err instanceof Error ? err.message : String(err)
}
