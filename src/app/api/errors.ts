import { i18n } from '../i18n'
import { ApiError } from './client'

/**
 * What to tell a person about a failed request: no network in plain words (a screen may say what
 * offline means for it), else the server's own message.
 */
export function errorText(err: unknown, offlineText?: string): string {
  if (err instanceof ApiError && err.isNetwork)
    return offlineText ?? i18n.global.t('common.offline')
  return err instanceof Error ? err.message : String(err)
}
