import type { PullQuery as PullQueryT, PushEnvelope as PushEnvelopeT } from '#shared/sync/protocol'
import type { FastifyInstance } from 'fastify'
import { LIMITS } from '#shared/constants'
import { ErrorBody } from '#shared/schemas/common'
import { PULL_LIMITS, PullQuery, PullResponse, PushEnvelope, PushResponse, SYNC_PROTOCOL } from '#shared/sync/protocol'
import { badRequest, HttpError } from '../errors'
import { actorOf } from '../plugins/auth'
import { pullChanges } from './pull'
import { pushBatch } from './push'

/** The one write path from the phone (push) and the one read path of changes (pull); DESIGN §1. */
export default async function syncRoutes(app: FastifyInstance) {
  app.post<{ Body: PushEnvelopeT }>('/push', {
    preHandler: app.authenticate,
    schema: { body: PushEnvelope, response: { 200: PushResponse, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 500: ErrorBody, 503: ErrorBody } },
  }, async (request) => {
    const actor = actorOf(request)
    const { protocol, deviceId, ops } = request.body
    if (protocol !== SYNC_PROTOCOL)
      throw badRequest('SYNC_PROTOCOL', `应用版本与服务器不一致，请刷新或更新应用 Sync protocol ${protocol} is not supported (server speaks ${SYNC_PROTOCOL}); reload the app`)
    if (ops.length > LIMITS.syncBatchOps)
      throw new HttpError(413, 'SYNC_BATCH_TOO_LARGE', `一次最多同步 ${LIMITS.syncBatchOps} 条 At most ${LIMITS.syncBatchOps} ops per push`)
    return { results: await pushBatch(app.db, actor, deviceId, ops, request.log) }
  })

  app.get<{ Querystring: PullQueryT }>('/pull', {
    preHandler: app.authenticate,
    schema: { querystring: PullQuery, response: { 200: PullResponse, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody } },
  }, async (request) => {
    return pullChanges(app.db, actorOf(request), request.query.since, request.query.limit ?? PULL_LIMITS.default)
  })
}
