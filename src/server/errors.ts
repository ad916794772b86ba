import type { ErrorCode, ErrorParams, Noun } from '#shared/errors/catalog'
import { bilingual } from '#shared/errors/catalog'

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

/**
 * A refusal under a general code clients check (FORBIDDEN, ENTRY_NOT_PENDING…) for a more precise
 * reason of the catalog: the message and the app's words are the reason's.
 */
export function refusal(statusCode: number, code: ErrorCode, reason: ErrorCode, params: ErrorParams = {}, headers: Record<string, string> = {}): HttpError {
  return new HttpError(statusCode, code, bilingual(reason, params), headers, { ...params, reason })
}

export const unauthorized = () => failure(401, 'UNAUTHORIZED')
/** 403 FORBIDDEN, worded by a precise reason of the catalog when there is one. */
export const forbidden = (reason?: ErrorCode, params: ErrorParams = {}) => reason ? refusal(403, 'FORBIDDEN', reason, params) : failure(403, 'FORBIDDEN')
/** `what` is a NOUNS key, worded by the app in the member's language. */
export const notFound = (what: Noun) => failure(404, 'NOT_FOUND', { what })
