import type { EvaluateBody as EvaluateBodyT } from '#shared/pledges/schemas'
import type { FastifyInstance } from 'fastify'
import { EvaluateBody, EvaluateResponse, PledgeList } from '#shared/pledges/schemas'
import { ErrorBody, Id, IdParams } from '#shared/schemas/common'
import { Type } from 'typebox'
import { upperOf } from '../../plugins/auth'
import { branchPledges, evaluateBranchPledge } from '../pledge-service'

const BranchPledgeParams = Type.Object({ id: Id, pledgeId: Id }, { additionalProperties: false })

/** A branch's pledges to its upper organization, read and evaluated (评诺) by it: /api/upper/branches/:id/pledges. */
export default async function upperPledgeRoutes(app: FastifyInstance) {
  const preHandler = app.requireUpper

  app.get<{ Params: { id: string } }>('/:id/pledges', {
    preHandler,
    schema: { params: IdParams, response: { 200: PledgeList, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async request => branchPledges(app.db, upperOf(request), request.params.id))

  app.post<{ Params: { id: string, pledgeId: string }, Body: EvaluateBodyT }>('/:id/pledges/:pledgeId/evaluate', {
    preHandler,
    schema: { params: BranchPledgeParams, body: EvaluateBody, response: { 200: EvaluateResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async request => evaluateBranchPledge(app.db, upperOf(request), request.params.id, request.params.pledgeId, request.body))
}
