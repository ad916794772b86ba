import type { PullQuery as PullQueryT, PushEnvelope as PushEnvelopeT } from '#shared/sync/protocol'
import type { FastifyInstance } from 'fastify'
import { LIMITS } from '#shared/constants'
import { ErrorBody } from '#shared/schemas/common'
import { PULL_LIMITS, PullQuery, PullResponse, PushEnvelope, PushResponse, SYNC_PROTOCOL } from '#shared/sync/protocol'
import { failure } from '../errors'
import { actorOf } from '../plugins/auth'
import { pullChanges } from './pull'
import { answersJson, pushBatch } from './push'

/** The one write path from the phone (push) and the one read path of changes (pull); DESIGN §1. */
export default async function syncRoutes(app: FastifyInstance) {
  app.post<{ Body: PushEnvelopeT }>('/push', {
    preHandler: app.authenticate,
    schema: { body: PushEnvelope, response: { 200: PushResponse, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 500: ErrorBody, 503: ErrorBody } },
  }, async (request, reply) => {
    const actor = actorOf(request)
    const { protocol, deviceId, ops } = request.body
    if (protocol !== SYNC_PROTOCOL)
      throw failure(400, 'SYNC_PROTOCOL', { protocol, server: SYNC_PROTOCOL })
    if (ops.length > LIMITS.syncBatchOps)
      throw failure(413, 'SYNC_BATCH_TOO_LARGE', { limit: LIMITS.syncBatchOps })
    const results = await pushBatch(app.db, actor, deviceId, ops, request.log)
    // Already JSON (PushResponse's shape): the answers as push stored them, not serialized again.
    reply.type('application/json; charset=utf-8')
    return answersJson(results)
  })

  app.get<{ Querystring: PullQueryT }>('/pull', {
    preHandler: app.authenticate,
    schema: { querystring: PullQuery, response: { 200: PullResponse, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody } },
  }, async (request) => {
    return pullChanges(app.db, actorOf(request), request.query.since, request.query.limit ?? PULL_LIMITS.default)
  })
}
