import type { EvaluateBody as EvaluateBodyT, FeedbackQuery as FeedbackQueryT, ModerateBody as ModerateBodyT, PledgeCreateBody as PledgeCreateBodyT, PledgeQuery as PledgeQueryT, PledgeUpdateBody as PledgeUpdateBodyT, ReturnBody as ReturnBodyT } from '#shared/pledges/schemas'
import type { FastifyInstance } from 'fastify'
import { BoardLink, EvaluateBody, EvaluateResponse, FeedbackQuery, ModerateBody, ModerationList, Pledge, PledgeCreateBody, PledgeDetail, PledgeDetailList, PledgeList, PledgeQuery, PledgeUpdateBody, ReturnBody } from '#shared/pledges/schemas'
import { todayIn } from '#shared/pledges/status'
import { ErrorBody, IdParams, OkBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { sendXlsx } from '../../xlsx'
import { boardSlug, listFeedback, moderateFeedback } from '../board'
import { evaluatePledge } from '../evaluation'
import { writeArchive } from '../export'
import { listPledges, requirePledge, withDetails } from '../views'
import { createPledge, reviewPledge, submitPledge, updatePledge } from '../workflow'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
interface Params { Params: { id: string } }

/**
 * 公开承诺 → 践诺 → 评诺. The phone writes, submits and reviews pledges through the sync push
 * (pledge.save, pledge.submit, pledge.review in ../pledges/ops.ts), which run the same workflow
 * functions as the routes below; the routes stay for other clients and tests. 践诺 (progress)
 * comes only through the push as the pledge.progress op; 评诺 is an online call.
 */
export default async function pledgeRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')
  const auth = app.authenticate

  app.get<{ Querystring: PledgeQueryT }>('/', {
    preHandler: auth,
    schema: { querystring: PledgeQuery, response: { 200: PledgeList, ...errors } },
  }, async request => listPledges(app.db, actorOf(request), request.query))

  /** The archive (档案): pledges with progress logs, feedback and evaluation, same filters as the list. */
  app.get<{ Querystring: PledgeQueryT }>('/archive', {
    preHandler: auth,
    schema: { querystring: PledgeQuery, response: { 200: PledgeDetailList, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return withDetails(app.db, actor, await listPledges(app.db, actor, request.query))
  })

  app.get<{ Querystring: PledgeQueryT }>('/archive.xlsx', {
    preHandler: auth,
    schema: { querystring: PledgeQuery },
  }, async (request, reply) => {
    const actor = actorOf(request)
    const pledges = await withDetails(app.db, actor, await listPledges(app.db, actor, request.query))
    const name = `pledges-${request.query.year ?? 'all'}-${todayIn()}.xlsx`
    return sendXlsx(reply, { ascii: name }, async book => writeArchive(book, pledges))
  })

  /** The branch's public board link; any member may share it. */
  app.get('/board-link', { preHandler: auth, schema: { response: { 200: BoardLink, 401: ErrorBody } } }, async (request) => {
    return { slug: await boardSlug(app.db, actorOf(request).branchId) }
  })

  app.get<{ Querystring: FeedbackQueryT }>('/feedback', {
    preHandler: admin,
    schema: { querystring: FeedbackQuery, response: { 200: ModerationList, ...errors } },
  }, async request => listFeedback(app.db, actorOf(request), request.query.status ?? 'pending'))

  app.post<Params & { Body: ModerateBodyT }>('/feedback/:id/moderate', {
    preHandler: admin,
    schema: { params: IdParams, body: ModerateBody, response: { 200: OkBody, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    await app.db.transaction().execute(trx => moderateFeedback(trx, actor, request.params.id, request.body.decision))
    return { ok: true as const }
  })

  app.get<Params>('/:id', {
    preHandler: auth,
    schema: { params: IdParams, response: { 200: PledgeDetail, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const [detail] = await withDetails(app.db, actor, [await requirePledge(app.db, actor, request.params.id)])
    return detail
  })

  app.post<{ Body: PledgeCreateBodyT }>('/', {
    preHandler: auth,
    schema: { body: PledgeCreateBody, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => createPledge(trx, actorOf(request), request.body)))

  app.patch<Params & { Body: PledgeUpdateBodyT }>('/:id', {
    preHandler: auth,
    schema: { params: IdParams, body: PledgeUpdateBody, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => updatePledge(trx, actorOf(request), request.params.id, request.body)))

  app.post<Params>('/:id/submit', {
    preHandler: auth,
    schema: { params: IdParams, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => submitPledge(trx, actorOf(request), request.params.id)))

  app.post<Params>('/:id/approve', {
    preHandler: admin,
    schema: { params: IdParams, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => reviewPledge(trx, actorOf(request), request.params.id, 'approve')))

  app.post<Params & { Body: ReturnBodyT }>('/:id/return', {
    preHandler: admin,
    schema: { params: IdParams, body: ReturnBody, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => reviewPledge(trx, actorOf(request), request.params.id, 'return', request.body.reason)))

  app.post<Params>('/:id/publish', {
    preHandler: admin,
    schema: { params: IdParams, response: { 200: Pledge, ...errors } },
  }, async request => app.db.transaction().execute(trx => reviewPledge(trx, actorOf(request), request.params.id, 'publish')))

  app.post<Params & { Body: EvaluateBodyT }>('/:id/evaluate', {
    preHandler: admin,
    schema: { params: IdParams, body: EvaluateBody, response: { 200: EvaluateResponse, ...errors } },
  }, async request => app.db.transaction().execute(trx => evaluatePledge(trx, actorOf(request), request.params.id, request.body, todayIn())))
}
