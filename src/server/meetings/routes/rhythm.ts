import type { RhythmQuery as RhythmQueryT, RhythmSettings as RhythmSettingsT } from '#shared/meetings/rhythm-schemas'
import type { FastifyInstance } from 'fastify'
import { RhythmQuery, RhythmSettings, RhythmView } from '#shared/meetings/rhythm-schemas'
import { ErrorBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { currentYear, rhythmSettings, rhythmView, saveRhythmSettings } from '../rhythm-service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody }

/**
 * 三会一课 执行情况 (issue 14 point 3): the year's meetings against the branch's rhythm, attendance
 * and 迟到, for the branch admin (whole branch) and group leaders (own group); and the rhythm and
 * 迟到 grace the branch admin sets. Registered under /api/meetings beside the meeting routes.
 */
export default async function rhythmRoutes(app: FastifyInstance) {
  app.get<{ Querystring: RhythmQueryT }>('/rhythm', {
    preHandler: app.requireRole('group_leader'),
    schema: { querystring: RhythmQuery, response: { 200: RhythmView, ...errors } },
  }, async request => rhythmView(app.db, actorOf(request), request.query.year ?? currentYear()))

  app.get('/rhythm/settings', {
    preHandler: app.requireRole('group_leader'),
    schema: { response: { 200: RhythmSettings, ...errors } },
  }, async request => rhythmSettings(app.db, actorOf(request).branchId))

  app.put<{ Body: RhythmSettingsT }>('/rhythm/settings', {
    preHandler: app.requireRole('branch_admin'),
    schema: { body: RhythmSettings, response: { 200: RhythmSettings, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => saveRhythmSettings(trx, actor, request.body))
  })
}
