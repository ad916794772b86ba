import type { FastifyError, FastifyInstance } from 'fastify'
import { hasForbiddenCharacters, LINE_PATTERNS, TEXT_PATTERNS } from '#shared/schemas/common'
import fp from 'fastify-plugin'
import { HttpError } from '../errors'

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

export const DB_UNAVAILABLE_MESSAGE = '服务器暂时不可用，请稍后重试 The server is temporarily unavailable; try again later'

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

/** One place turns every error into `{statusCode, code, error, message}`: 4xx keep their message, 5xx are logged and made generic. */
export default fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError)
      return reply.status(err.statusCode).headers(err.headers).send(body(err.statusCode, err.code, err.message))

    if ('validation' in err && err.validation) {
      return reply.status(400).send(body(400, 'VALIDATION', `请求数据有误 Invalid request: ${textProblem(err) ?? err.message}`))
    }
    const status = err.statusCode ?? 500
    if (status === 413)
      return reply.status(413).send(body(413, 'TOO_LARGE', `请求内容过大 Request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes`))
    if (status === 429)
      return reply.status(429).send(body(429, 'RATE_LIMITED', err.message))
    if (status >= 400 && status < 500) {
      const code = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST'
      return reply.status(status).send(body(status, code, `请求无效 ${err.message}`))
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable')
      return reply.status(503).send(body(503, 'DB_UNAVAILABLE', DB_UNAVAILABLE_MESSAGE))
    }
    request.log.error({ err }, 'unhandled error')
    return reply.status(500).send(body(500, 'INTERNAL', '服务器出错了，请稍后再试 Something went wrong on the server'))
  })

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body(404, 'NOT_FOUND', `没有这个接口 No route ${request.method} ${request.url}`))
  })
}, { name: 'errors' })

interface ValidationIssue { instancePath: string, keyword: string, params: { pattern?: string }, data?: unknown }

/**
 * A text field's pattern (shared Line/Text atoms) says two things; name the one that failed
 * instead of quoting the regular expression: characters no field accepts (NUL, controls, a lone
 * surrogate), or a value of only spaces.
 */
function textProblem(err: FastifyError): string | undefined {
  const issue = (err.validation as ValidationIssue[] | undefined)?.[0]
  const pattern = issue?.keyword === 'pattern' ? issue.params.pattern : undefined
  const multiLine = (TEXT_PATTERNS as readonly string[]).includes(pattern ?? '')
  if (!pattern || !(multiLine || (LINE_PATTERNS as readonly string[]).includes(pattern)) || typeof issue?.data !== 'string')
    return undefined
  const field = `${err.validationContext ?? 'body'}${issue.instancePath}`
  return hasForbiddenCharacters(issue.data, multiLine)
    ? `${field} 含有不允许的字符（如控制字符${multiLine ? '' : '、换行'}） contains characters that are not allowed (control characters${multiLine ? '' : ', line breaks'})`
    : `${field} 不能只有空格 must not be blank`
}

function body(statusCode: number, code: string, message: string) {
  return { statusCode, code, error: STATUS_TEXT[statusCode] ?? 'Error', message }
}
