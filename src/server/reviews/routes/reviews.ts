import type { FastifyInstance } from 'fastify'
import { ReviewDetail, ReviewList, ReviewListQuery, ReviewResult, ReviewResults } from '#shared/reviews/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { sendXlsx } from '../../xlsx'
import { writeResults } from '../export'
import { listReviews, myResult, reviewDetail, sessionResults } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/**
 * 定期讲评 reads (issue 12). Every write — creating a session, moving its status, a 陈述, a ballot
 * — is an op through the outbox (src/server/reviews/ops.ts), so the phone works offline.
 */
export default async function reviewRoutes(app: FastifyInstance) {
  const organizer = app.requireRole('group_leader')

  app.get<{ Querystring: { period?: string } }>('/', {
    preHandler: app.authenticate,
    schema: { querystring: ReviewListQuery, response: { 200: ReviewList, 400: ErrorBody, 401: ErrorBody } },
  }, async request => listReviews(app.db, actorOf(request), request.query.period))

  app.get<{ Params: { id: string } }>('/:id', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: { 200: ReviewDetail, ...errors } },
  }, async request => reviewDetail(app.db, actorOf(request), request.params.id))

  app.get<{ Params: { id: string } }>('/:id/my-result', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: { 200: ReviewResult, ...errors } },
  }, async request => myResult(app.db, actorOf(request), request.params.id))

  app.get<{ Params: { id: string } }>('/:id/results', {
    preHandler: organizer,
    schema: { params: IdParams, response: { 200: ReviewResults, ...errors } },
  }, async request => sessionResults(app.db, actorOf(request), request.params.id))

  app.get<{ Params: { id: string } }>('/:id/results.xlsx', {
    preHandler: organizer,
    schema: { params: IdParams, response: errors },
  }, async (request, reply) => {
    const results = await sessionResults(app.db, actorOf(request), request.params.id)
    return sendXlsx(reply, { ascii: 'review.xlsx', display: `${results.session.groupName ?? '支部'}${results.session.title}.xlsx` }, async book => writeResults(book, results))
  })
}
