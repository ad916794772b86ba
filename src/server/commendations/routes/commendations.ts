import type { RoundCreateBody as RoundCreateBodyT, RoundUpdateBody as RoundUpdateBodyT, StepBody as StepBodyT } from '#shared/commendations/schemas'
import type { ModerateBody as ModerateBodyT } from '#shared/pledges/schemas'
import type { FastifyInstance } from 'fastify'
import { MyHonours, Round, RoundCreateBody, RoundList, RoundUpdateBody, Shortlist, StepBody } from '#shared/commendations/schemas'
import { ModerateBody } from '#shared/pledges/schemas'
import { ErrorBody, IdParams, OkBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { memberAwards } from '../awards-repository'
import { computeShortlist, createRound, listRounds, loadRound, moderateHonourFeedback, stepRound, updateRound } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
interface Params { Params: { id: string } }

/**
 * 评选表彰: rounds, titles and quotas, the shortlist, 公示 and its feedback. Nominating and
 * deciding come through the sync push (commendation.nominate / commendation.decide ops).
 */
export default async function commendationRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')
  const organizer = app.requireRole('group_leader')
  const auth = app.authenticate

  app.get('/rounds', { preHandler: organizer, schema: { response: { 200: RoundList, ...errors } } }, async request => listRounds(app.db, actorOf(request)))

  app.post<{ Body: RoundCreateBodyT }>('/rounds', {
    preHandler: admin,
    schema: { body: RoundCreateBody, response: { 200: Round, ...errors } },
  }, async request => app.db.transaction().execute(trx => createRound(trx, actorOf(request), request.body)))

  app.get<Params>('/rounds/:id', { preHandler: auth, schema: { params: IdParams, response: { 200: Round, ...errors } } }, async request => loadRound(app.db, actorOf(request), request.params.id))

  app.patch<Params & { Body: RoundUpdateBodyT }>('/rounds/:id', {
    preHandler: admin,
    schema: { params: IdParams, body: RoundUpdateBody, response: { 200: Round, ...errors } },
  }, async request => app.db.transaction().execute(trx => updateRound(trx, actorOf(request), request.params.id, request.body)))

  app.post<Params & { Body: StepBodyT }>('/rounds/:id/step', {
    preHandler: admin,
    schema: { params: IdParams, body: StepBody, response: { 200: Round, ...errors } },
  }, async request => app.db.transaction().execute(trx => stepRound(trx, actorOf(request), request.params.id, request.body.to)))

  app.get<Params>('/rounds/:id/shortlist', {
    preHandler: organizer,
    schema: { params: IdParams, response: { 200: Shortlist, ...errors } },
  }, async request => computeShortlist(app.db, actorOf(request), request.params.id))

  app.post<Params & { Body: ModerateBodyT }>('/feedback/:id/moderate', {
    preHandler: admin,
    schema: { params: IdParams, body: ModerateBody, response: { 200: OkBody, ...errors } },
  }, async (request) => {
    await app.db.transaction().execute(trx => moderateHonourFeedback(trx, actorOf(request), request.params.id, request.body.decision))
    return { ok: true as const }
  })

  /** The member's own commendations of the year (for the home page). */
  app.get('/mine', { preHandler: auth, schema: { response: { 200: MyHonours, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const year = new Date().getFullYear()
    const awards = await memberAwards(app.db, actor.branchId, year, [actor.id])
    return awards.map(a => ({ title: a.title, roundTitle: a.roundTitle, year: a.year, decidedAt: a.decidedAt }))
  })
}
