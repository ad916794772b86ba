/** An error whose message a person can act on; the handler sends it as is, with its headers (e.g. Retry-After). */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
  }
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message)
export const unauthorized = (message = '请先登录 Please log in') => new HttpError(401, 'UNAUTHORIZED', message)
export const forbidden = (message = '没有权限进行此操作 You may not do this') => new HttpError(403, 'FORBIDDEN', message)
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what}不存在 ${what} not found`)
export const conflict = (code: string, message: string) => new HttpError(409, code, message)
export const gone = (code: string, message: string) => new HttpError(410, code, message)
