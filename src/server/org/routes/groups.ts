import type { GroupBody as GroupBodyT } from '#shared/schemas/org'
import type { FastifyInstance } from 'fastify'
import { ErrorBody, IdParams, OkBody } from '#shared/schemas/common'
import { Group, GroupBody, GroupList, ORG_ENTITY } from '#shared/schemas/org'
import { writeAudit } from '../../audit/writer'
import { failure } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { recordChange } from '../../sync/changes'
import { nowIso } from '../../util/clock'
import { newId } from '../../util/ids'
import { insertGroup, listGroups, markGroupRemoved, renameGroup } from '../repository'
import { assertGroupNameFree, requireGroup } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/** 党小组: every member of the branch sees the list; only a branch admin changes it. */
export default async function groupRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')

  app.get('/', { preHandler: app.authenticate, schema: { response: { 200: GroupList, 401: ErrorBody } } }, async (request) => {
    return listGroups(app.db, actorOf(request).branchId)
  })

  app.post<{ Body: GroupBodyT }>('/', { preHandler: admin, schema: { body: GroupBody, response: { 200: Group, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const name = request.body.name.trim()
    const id = newId()
    await app.db.transaction().execute(async (trx) => {
      await assertGroupNameFree(trx, actor.branchId, name)
      await insertGroup(trx, { id, branch_id: actor.branchId, name, created_at: nowIso(), removed_at: null })
      await writeAudit(trx, actor, { action: 'group.create', entity: 'group', entityId: id, data: { name } })
      await recordChange(trx, { entity: ORG_ENTITY.group, entityId: id, branchId: actor.branchId, memberId: null, op: 'upsert', data: { id, name } })
    })
    return { id, name, memberCount: 0 }
  })

  app.patch<{ Params: { id: string }, Body: GroupBodyT }>('/:id', {
    preHandler: admin,
    schema: { params: IdParams, body: GroupBody, response: { 200: Group, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const name = request.body.name.trim()
    return app.db.transaction().execute(async (trx) => {
      const group = await requireGroup(trx, actor, request.params.id)
      if (group.name === name)
        return group
      await assertGroupNameFree(trx, actor.branchId, name, group.id)
      await renameGroup(trx, group.id, name)
      await writeAudit(trx, actor, { action: 'group.rename', entity: 'group', entityId: group.id, data: { from: group.name, to: name } })
      await recordChange(trx, { entity: ORG_ENTITY.group, entityId: group.id, branchId: actor.branchId, memberId: null, op: 'upsert', data: { id: group.id, name } })
      return { ...group, name }
    })
  })

  app.delete<{ Params: { id: string } }>('/:id', {
    preHandler: admin,
    schema: { params: IdParams, response: { 200: OkBody, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    await app.db.transaction().execute(async (trx) => {
      const group = await requireGroup(trx, actor, request.params.id)
      if (group.memberCount > 0)
        throw failure(409, 'GROUP_NOT_EMPTY', { name: group.name, count: group.memberCount })
      await markGroupRemoved(trx, group.id, nowIso())
      await writeAudit(trx, actor, { action: 'group.remove', entity: 'group', entityId: group.id, data: { name: group.name } })
      await recordChange(trx, { entity: ORG_ENTITY.group, entityId: group.id, branchId: actor.branchId, memberId: null, op: 'delete', data: { id: group.id } })
    })
    return { ok: true as const }
  })
}
