import type { AuditQuery as AuditQueryT } from '#shared/schemas/org'
import type { FastifyInstance } from 'fastify'
import { ErrorBody } from '#shared/schemas/common'
import { AUDIT_PAGE, AuditPage, AuditQuery } from '#shared/schemas/org'
import { actorOf } from '../plugins/auth'
import { auditPage, countAudit } from './repository'

/** Who changed what and when, for the branch admin; only their own branch, newest first. */
export default async function auditRoutes(app: FastifyInstance) {
  app.get<{ Querystring: AuditQueryT }>('/', {
    preHandler: app.requireRole('branch_admin'),
    schema: { querystring: AuditQuery, response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const { branchId } = actorOf(request)
    const page = request.query.page ?? 1
    const pageSize = request.query.pageSize ?? AUDIT_PAGE.default
    const total = await countAudit(app.db, branchId)
    const rows = await auditPage(app.db, branchId, page, pageSize)
    return {
      entries: rows.map(r => ({
        id: r.id,
        actorId: r.actor_id,
        actorName: r.actor_name ?? null,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        data: JSON.parse(r.data) as unknown,
        createdAt: r.created_at,
      })),
      page,
      pageSize,
      total,
    }
  })
}
