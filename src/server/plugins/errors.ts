import type { ErrorParams } from '#shared/errors/catalog'
import type { FastifyError, FastifyInstance } from 'fastify'
import { bilingual } from '#shared/errors/catalog'
import { hasForbiddenCharacters, LINE_PATTERNS, TEXT_PATTERNS } from '#shared/schemas/common'
import fp from 'fastify-plugin'
import { failure, HttpError } from '../errors'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
}

/**
 * Database errors that mean "try again later", not "your request was wrong" (nor "this request
 * is broken"): answered 503. Sync push uses it too, to tell a database that is down from one op
 * that fails.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string, message?: string }
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '3D000', '53300', 'SQLITE_BUSY', 'SQLITE_CANTOPEN'].includes(e.code ?? '')
    || /Connection terminated|connect ECONNREFUSED|database (?:is locked|system is shutting down)|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '')
}

/**
 * One place turns every error into `{statusCode, code, error, message, params?}`: 4xx keep their
 * message, 5xx are logged and made generic. Codes of the shared catalog carry their params, so
 * the app words them in the member's language.
 */
export default fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    const send = (e: HttpError) => reply.status(e.statusCode).headers(e.headers).send(body(e.statusCode, e.code, e.message, e.params))
    if (err instanceof HttpError)
      return send(err)

    if ('validation' in err && err.validation) {
      // The code stays VALIDATION (clients test it); a text field's problem is named by `reason`,
      // another code of the catalog, instead of quoting the pattern.
      const text = textProblem(err)
      if (text)
        return send(new HttpError(400, 'VALIDATION', `请求数据有误 Invalid request: ${bilingual(text.code, { field: text.field })}`, {}, { field: text.field, reason: text.code }))
      return send(failure(400, 'VALIDATION', { detail: err.message }))
    }
    const status = err.statusCode ?? 500
    if (status === 413)
      return send(failure(413, 'TOO_LARGE', { limit: app.initialConfig.bodyLimit ?? 0 }))
    if (status === 429)
      return reply.status(429).send(body(429, 'RATE_LIMITED', err.message))
    if (status >= 400 && status < 500) {
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        return send(failure(status, 'UNSUPPORTED_MEDIA_TYPE'))
      return reply.status(status).send(body(status, 'BAD_REQUEST', `请求无效 ${err.message}`))
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable')
      return send(failure(503, 'DB_UNAVAILABLE'))
    }
    request.log.error({ err }, 'unhandled error')
    return send(failure(500, 'INTERNAL'))
  })

  app.setNotFoundHandler((request, reply) => {
    const e = failure(404, 'NO_ROUTE', { method: request.method, url: request.url })
    reply.status(404).send(body(404, 'NOT_FOUND', e.message, { ...e.params, reason: 'NO_ROUTE' }))
  })
}, { name: 'errors' })

interface ValidationIssue { instancePath: string, keyword: string, params: { pattern?: string }, data?: unknown }

/**
 * A text field's pattern (shared Line/Text atoms) says two things; name the one that failed
 * instead of quoting the regular expression: characters no field accepts (NUL, controls, a lone
 * surrogate), or a value of only spaces.
 */
function textProblem(err: FastifyError): { code: 'FIELD_BAD_CHARACTERS' | 'FIELD_BAD_CHARACTERS_TEXT' | 'FIELD_BLANK', field: string } | undefined {
  const issue = (err.validation as ValidationIssue[] | undefined)?.[0]
  const pattern = issue?.keyword === 'pattern' ? issue.params.pattern : undefined
  const multiLine = (TEXT_PATTERNS as readonly string[]).includes(pattern ?? '')
  if (!pattern || !(multiLine || (LINE_PATTERNS as readonly string[]).includes(pattern)) || typeof issue?.data !== 'string')
    return undefined
  const field = `${err.validationContext ?? 'body'}${issue.instancePath}`
  if (!hasForbiddenCharacters(issue.data, multiLine))
    return { code: 'FIELD_BLANK', field }
  return { code: multiLine ? 'FIELD_BAD_CHARACTERS_TEXT' : 'FIELD_BAD_CHARACTERS', field }
}

function body(statusCode: number, code: string, message: string, params?: ErrorParams) {
  return { statusCode, code, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...(params ? { params } : {}) }
}
