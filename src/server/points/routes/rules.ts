import type { RuleBody as RuleBodyT } from '#shared/points/schemas'
import type { FastifyInstance } from 'fastify'
import { Rule, RuleBody, RuleList } from '#shared/points/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { notFound } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { createRule, editRule, listRules, retireRule } from '../rules'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

/** Points rules: every member reads them (to log), a branch admin adds, edits (a new version) and retires. */
export default async function rulesRoutes(app: FastifyInstance) {
  app.get('/', { preHandler: app.authenticate, schema: { response: { 200: RuleList, 401: ErrorBody } } }, async (request) => {
    return { rules: await listRules(app.db, actorOf(request).branchId) }
  })

  app.post<{ Body: RuleBodyT }>('/', {
    preHandler: app.requireRole('branch_admin'),
    schema: { body: RuleBody, response: { 200: Rule, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => createRule(trx, actor.branchId, actor.id, request.body))
  })

  app.put<{ Params: { id: string }, Body: RuleBodyT }>('/:id', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: IdParams, body: RuleBody, response: { 200: Rule, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const rule = await app.db.transaction().execute(trx => editRule(trx, actor.branchId, actor.id, request.params.id, request.body))
    if (!rule)
      throw notFound('rule')
    return rule
  })

  app.post<{ Params: { id: string } }>('/:id/retire', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: IdParams, response: { 200: Rule, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const rule = await app.db.transaction().execute(trx => retireRule(trx, actor.branchId, actor.id, request.params.id))
    if (!rule)
      throw notFound('rule')
    return rule
  })
}
