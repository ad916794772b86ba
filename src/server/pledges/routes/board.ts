import type { HonourFeedbackBody as HonourFeedbackBodyT } from '#shared/commendations/schemas'
import type { FeedbackBody as FeedbackBodyT } from '#shared/pledges/schemas'
import type { FastifyInstance } from 'fastify'
import { HonourFeedbackBody } from '#shared/commendations/schemas'
import { Board, FeedbackAccepted, FeedbackBody, SlugParams } from '#shared/pledges/schemas'
import { ErrorBody } from '#shared/schemas/common'
import { addHonourFeedback } from '../../commendations/service'
import { addFeedback, boardBranch, limitFeedback, loadBoard } from '../board'

interface Params { Params: { slug: string } }

/**
 * 承诺公示: the public pledge board, no login. Feedback is a POST like any other, so the CSRF
 * header is still required (our own board page sends it); it shows only after moderation.
 */
export default async function boardRoutes(app: FastifyInstance) {
  app.get<Params>('/:slug', {
    schema: { params: SlugParams, response: { 200: Board, 400: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return loadBoard(app.db, request.params.slug)
  })

  app.post<Params & { Body: FeedbackBodyT }>('/:slug/feedback', {
    schema: { params: SlugParams, body: FeedbackBody, response: { 200: FeedbackAccepted, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody } },
  }, async (request, reply) => {
    await addFeedback(app.db, request.params.slug, request.ip, request.body, s => reply.header('retry-after', s))
    return { status: 'pending' as const }
  })

  /** 表彰公示: the public's word on a nominee, moderated by the 支委会 like pledge feedback. */
  app.post<Params & { Body: HonourFeedbackBodyT }>('/:slug/honours-feedback', {
    schema: { params: SlugParams, body: HonourFeedbackBody, response: { 200: FeedbackAccepted, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody } },
  }, async (request, reply) => {
    const branch = await boardBranch(app.db, request.params.slug)
    await limitFeedback(app.db, branch.id, request.ip, s => reply.header('retry-after', s))
    await addHonourFeedback(app.db, branch.id, request.body)
    return { status: 'pending' as const }
  })
}
