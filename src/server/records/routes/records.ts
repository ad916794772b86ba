import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import { RecordQuery, YearRecords } from '#shared/records/schemas'
import { ErrorBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { sendYearRecordsXlsx, yearRecords } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

/** 年度积分与表现记录: a member's own year; an organizer's group or branch, one member per page. */
export default async function recordRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Static<typeof RecordQuery> }>('/', {
    preHandler: app.authenticate,
    schema: { querystring: RecordQuery, response: { 200: YearRecords, ...errors } },
  }, async request => yearRecords(app.db, actorOf(request), request.query))

  app.get<{ Querystring: Static<typeof RecordQuery> }>('/xlsx', {
    preHandler: app.authenticate,
    schema: { querystring: RecordQuery, response: errors },
  }, async (request, reply) => sendYearRecordsXlsx(reply, await yearRecords(app.db, actorOf(request), request.query)))
}
