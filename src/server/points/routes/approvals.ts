import type { AdjustmentBody as AdjustmentBodyT, ApprovalQuery as ApprovalQueryT, ApprovalResult, ApproveBody as ApproveBodyT, ReturnBody as ReturnBodyT } from '#shared/points/schemas'
import type { FastifyInstance } from 'fastify'
import { AdjustmentBody, ApprovalList, ApprovalQuery, ApproveBody, ApproveResponse, Entry, ReturnBody } from '#shared/points/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { HttpError } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { approveEntry, returnEntry } from '../approval'
import { adjustPoints } from '../grants'
import { approvalQueue } from '../score'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/** 审核 (approval): organizers see what waits for them, approve (many at once) or return with a reason, and record grants and deductions. */
export default async function approvalsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: ApprovalQueryT }>('/', {
    preHandler: app.requireRole('group_leader'),
    schema: { querystring: ApprovalQuery, response: { 200: ApprovalList, 401: ErrorBody, 403: ErrorBody } },
  }, async request => approvalQueue(app.db, actorOf(request), request.query))

  app.post<{ Body: ApproveBodyT }>('/approve', {
    preHandler: app.requireRole('group_leader'),
    schema: { body: ApproveBody, response: { 200: ApproveResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const actor = actorOf(request)
    const results: ApprovalResult[] = []
    // One transaction per entry: one refusal (not yours, already decided) does not undo the others.
    for (const id of new Set(request.body.ids)) {
      try {
        results.push({ id, ok: true, entry: await app.db.transaction().execute(trx => approveEntry(trx, actor, id)) })
      }
      catch (err) {
        if (!(err instanceof HttpError))
          throw err
        results.push({ id, ok: false, code: err.code, message: err.message })
      }
    }
    return { results }
  })

  app.post<{ Params: { id: string }, Body: ReturnBodyT }>('/:id/return', {
    preHandler: app.requireRole('group_leader'),
    schema: { params: IdParams, body: ReturnBody, response: { 200: Entry, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => returnEntry(trx, actor, request.params.id, request.body))
  })

  app.post<{ Body: AdjustmentBodyT }>('/adjustments', {
    preHandler: app.requireRole('group_leader'),
    schema: { body: AdjustmentBody, response: { 200: Entry, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => adjustPoints(trx, actor, request.body))
  })
}
