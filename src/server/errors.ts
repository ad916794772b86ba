import type { ErrorCode, ErrorParams, Noun } from '#shared/errors/catalog'
import { bilingual, NOUNS } from '#shared/errors/catalog'

/**
 * An error whose message a person can act on; the handler sends it as is, with its headers (e.g.
 * Retry-After). With `params` its code is one of the shared catalog's (src/shared/errors), which
 * the app words in the member's language; the message is then both languages, for API clients.
 */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}, readonly params?: ErrorParams) {
    super(message)
  }
}

/** An error worded by the shared catalog: the app shows it in the member's language. */
export function failure(statusCode: number, code: ErrorCode, params: ErrorParams = {}, headers: Record<string, string> = {}): HttpError {
  return new HttpError(statusCode, code, bilingual(code, params), headers, params)
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message)
export const unauthorized = (message?: string) => message ? new HttpError(401, 'UNAUTHORIZED', message) : failure(401, 'UNAUTHORIZED')
export const forbidden = (message?: string) => message ? new HttpError(403, 'FORBIDDEN', message) : failure(403, 'FORBIDDEN')
/** `what` is a NOUNS key (worded by the app), or, in code not yet moved to the catalog, both languages. */
export function notFound(what: Noun | string) {
  return Object.hasOwn(NOUNS, what)
    ? failure(404, 'NOT_FOUND', { what })
    : new HttpError(404, 'NOT_FOUND', `${what}不存在 ${what} not found`)
}
export const conflict = (code: string, message: string) => new HttpError(409, code, message)
export const gone = (code: string, message: string) => new HttpError(410, code, message)
