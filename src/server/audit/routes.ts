import type { AuditQuery as AuditQueryT } from '#shared/schemas/org'
import type { FastifyInstance } from 'fastify'
import { ErrorBody } from '#shared/schemas/common'
import { AUDIT_PAGE, AuditPage, AuditQuery } from '#shared/schemas/org'
import { actorOf } from '../plugins/auth'

/** Who changed what and when, for the branch admin; only their own branch, newest first. */
export default async function auditRoutes(app: FastifyInstance) {
  app.get<{ Querystring: AuditQueryT }>('/', {
    preHandler: app.requireRole('branch_admin'),
    schema: { querystring: AuditQuery, response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const { branchId } = actorOf(request)
    const page = request.query.page ?? 1
    const pageSize = request.query.pageSize ?? AUDIT_PAGE.default
    const { total } = await app.db.selectFrom('audit_log')
      .select(eb => eb.fn.countAll<number>().as('total'))
      .where('branch_id', '=', branchId)
      .executeTakeFirstOrThrow()
    const rows = await app.db.selectFrom('audit_log')
      .leftJoin('member', 'member.id', 'audit_log.actor_id')
      .select(['audit_log.id', 'audit_log.actor_id', 'member.name as actor_name', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.data', 'audit_log.created_at'])
      .where('audit_log.branch_id', '=', branchId)
      .orderBy('audit_log.created_at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute()
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
      total: Number(total),
    }
  })
}
