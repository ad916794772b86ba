import type { FastifyInstance } from 'fastify'
import { AppraisalResults, MyAppraisal, YearParams } from '#shared/appraisal/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { appraisalResults, myAppraisal } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

/**
 * 民主评议党员: reads only. Every write (open, steps, 个人总结, ballot, final grade) is an op
 * (src/server/appraisal/ops.ts), so it works offline. No route answers who gave which grade: a
 * member reads their own counts, the 支委会 every member's counts.
 */
export default async function appraisalRoutes(app: FastifyInstance) {
  app.get<{ Params: { year: number } }>('/year/:year', {
    preHandler: app.authenticate,
    schema: { params: YearParams, response: { 200: MyAppraisal, ...errors } },
  }, async request => myAppraisal(app.db, actorOf(request), request.params.year))

  app.get<{ Params: { id: string } }>('/:id/results', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: IdParams, response: { 200: AppraisalResults, ...errors } },
  }, async request => appraisalResults(app.db, actorOf(request), request.params.id))
}
