import type { FastifyError, FastifyInstance } from 'fastify'
import { ROSTER, RosterImportResult, RosterPreview } from '#shared/org/roster'
import { ErrorBody } from '#shared/schemas/common'
import { failure } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { importRoster, previewRoster, readRoster, rosterTemplate } from '../roster-import'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 413: ErrorBody }
const tooLarge = () => failure(413, 'ROSTER_TOO_LARGE', { limit: Math.round(ROSTER.maxBytes / 1024) })

/**
 * 名册导入 (branch admin): the template, a filled one's preview, and the import of its good rows.
 * The file is the raw request body both times (the app keeps it between preview and import), so
 * the import checks every row again against what the branch holds then.
 */
export default async function rosterRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')
  // Raw bodies in this plugin only, whatever type the browser named: the bytes decide (readRoster).
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ROSTER.maxBytes }, (_request, body, done) => done(null, body))
  app.setErrorHandler((err: FastifyError) => {
    throw err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge() : err
  })

  /** JSON or an empty body is not a file: the same words as any other non-.xlsx. */
  const fileOf = (body: unknown) => readRoster(Buffer.isBuffer(body) ? body : Buffer.alloc(0))

  app.get('/template', { preHandler: admin, schema: { response: { 401: ErrorBody, 403: ErrorBody } } }, async (request, reply) => {
    const body = await rosterTemplate(app.db, actorOf(request))
    return reply
      .header('content-type', ROSTER.mime)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('党员名册模板.xlsx')}`)
      .send(body)
  })

  app.post<{ Body: unknown }>('/preview', { preHandler: admin, schema: { response: { 200: RosterPreview, ...errors } } }, async (request) => {
    return previewRoster(app.db, actorOf(request), await fileOf(request.body))
  })

  app.post<{ Body: unknown }>('/import', { preHandler: admin, schema: { response: { 200: RosterImportResult, ...errors } } }, async (request) => {
    return importRoster(app.db, actorOf(request), await fileOf(request.body))
  })
}
