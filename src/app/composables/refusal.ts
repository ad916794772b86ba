import { ApiError } from '../api/client'
import { i18n } from '../i18n'

/** A request the server answered with a refusal: its status and code (INVITE_USED, SETUP_TOKEN_EXPIRED…). */
export interface Refusal { status: number, code: string }

/** The server's refusal in a failure, or null when there was none (no network, a bug on the phone). */
export function refusalOf(err: unknown): Refusal | null {
  return err instanceof ApiError && !err.isNetwork ? { status: err.status, code: err.code } : null
}

/**
 * A form's own words for the server's refusal code, under `${section}.errors.CODE` in the
 * locale files; undefined where it has none (the server's own message is shown then).
 */
export function refusalText(err: unknown, section: string): string | undefined {
  const code = refusalOf(err)?.code
  const key = code ? `${section}.errors.${code}` : ''
  return key && i18n.global.te(key) ? i18n.global.t(key) : undefined
}
