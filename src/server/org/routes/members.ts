import type { BulkInviteBody as BulkInviteBodyT } from '#shared/org/roster'
import type { Member, MemberCreateBody as MemberCreateBodyT, MemberListQuery as MemberListQueryT, MemberUpdateBody as MemberUpdateBodyT } from '#shared/schemas/org'
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { Database } from '../../db/database'
import type { Actor } from '../../plugins/auth'
import { BulkInviteBody, BulkInviteResult } from '#shared/org/roster'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { Invite, MemberCreateBody, MemberList, MemberListQuery, Member as MemberSchema, MemberUpdateBody, ORG_ENTITY } from '#shared/schemas/org'
import { writeAudit } from '../../audit/writer'
import { linkOrigin } from '../../auth/origin'
import { revokeSessions } from '../../auth/sessions'
import { isUniqueViolation } from '../../db/errors'
import { failure, forbidden } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { recordChangeNow } from '../../sync/changes'
import { nowIso } from '../../util/clock'
import { newId } from '../../util/ids'
import { expireOpenInvites, insertMember, listMembers, otherActiveAdmins, setScopeSeq, updateMember } from '../repository'
import { assertLoginFree, issueInvite, requireGroup, requireMember } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
interface Params { Params: { id: string } }

const LEADER_NEEDS_GROUP = () => failure(400, 'LEADER_NEEDS_GROUP')
const LOGIN_TAKEN = () => failure(409, 'LOGIN_TAKEN')

function cleanTitles(titles: string[] | undefined): string[] {
  return [...new Set((titles ?? []).map(t => t.trim()).filter(Boolean))]
}

/** The member's own copy on their phone (name, role, group) follows the admin's edits. */
async function recordMember(trx: Transaction<Database>, actor: Actor, member: Member): Promise<number> {
  return recordChangeNow(trx, { entity: ORG_ENTITY.member, entityId: member.id, branchId: actor.branchId, memberId: member.id, op: 'upsert', data: member })
}

/** Which audit verb fits the fields that changed: a pure move or (de)activation reads better in the log. */
function actionFor(changed: Record<string, unknown>, active: boolean): string {
  const keys = Object.keys(changed)
  if (keys.length === 1 && keys[0] === 'active')
    return active ? 'member.reactivate' : 'member.deactivate'
  if (keys.length === 1 && keys[0] === 'groupId')
    return 'member.move'
  return 'member.update'
}

/** 党员: a branch admin manages the whole branch; a group leader may look at their own group only. */
export default async function memberRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')
  const organizer = app.requireRole('group_leader')

  app.get<{ Querystring: MemberListQueryT }>('/', {
    preHandler: organizer,
    schema: { querystring: MemberListQuery, response: { 200: MemberList, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    if (actor.role === 'branch_admin')
      return listMembers(app.db, actor.branchId, request.query)
    if (!actor.groupId)
      return []
    return listMembers(app.db, actor.branchId, { ...request.query, groupId: actor.groupId })
  })

  app.get<Params>('/:id', { preHandler: organizer, schema: { params: IdParams, response: { 200: MemberSchema, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const member = await requireMember(app.db, actor, request.params.id)
    if (actor.role !== 'branch_admin' && (!actor.groupId || member.groupId !== actor.groupId))
      throw forbidden('MEMBERS_OWN_GROUP_ONLY')
    return member
  })

  app.post<{ Body: MemberCreateBodyT }>('/', { preHandler: admin, schema: { body: MemberCreateBody, response: { 200: MemberSchema, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const body = request.body
    if (body.role === 'group_leader' && !body.groupId)
      throw LEADER_NEEDS_GROUP()
    const id = newId()
    try {
      return await app.db.transaction().execute(async (trx) => {
        await assertLoginFree(trx, body.login)
        if (body.groupId)
          await requireGroup(trx, actor, body.groupId)
        const now = nowIso()
        const titles = cleanTitles(body.titles)
        await insertMember(trx, {
          id,
          branch_id: actor.branchId,
          group_id: body.groupId,
          name: body.name.trim(),
          login: body.login,
          phone: body.phone ?? null,
          role: body.role,
          titles: JSON.stringify(titles),
          password_hash: null,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        const member = await requireMember(trx, actor, id)
        await writeAudit(trx, actor, { action: 'member.create', entity: 'member', entityId: id, data: { name: member.name, login: member.login, role: member.role, groupId: member.groupId, titles } })
        await recordMember(trx, actor, member)
        return member
      })
    }
    catch (err) {
      throw isUniqueViolation(err) ? LOGIN_TAKEN() : err
    }
  })

  app.patch<Params & { Body: MemberUpdateBodyT }>('/:id', {
    preHandler: admin,
    schema: { params: IdParams, body: MemberUpdateBody, response: { 200: MemberSchema, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const body = request.body
    try {
      return await app.db.transaction().execute(async (trx) => {
        const before = await requireMember(trx, actor, request.params.id)
        const next = {
          name: body.name?.trim() ?? before.name,
          login: body.login ?? before.login,
          phone: body.phone === undefined ? before.phone : body.phone,
          role: body.role ?? before.role,
          titles: body.titles === undefined ? before.titles : cleanTitles(body.titles),
          groupId: body.groupId === undefined ? before.groupId : body.groupId,
          active: body.active ?? before.active,
        }
        const changed: Record<string, { from: unknown, to: unknown }> = {}
        for (const key of Object.keys(next) as (keyof typeof next)[]) {
          if (JSON.stringify(next[key]) !== JSON.stringify(before[key]))
            changed[key] = { from: before[key], to: next[key] }
        }
        if (Object.keys(changed).length === 0)
          return before

        if (changed.login && next.login.toLowerCase() !== before.login.toLowerCase())
          await assertLoginFree(trx, next.login, before.id)
        if (changed.groupId && next.groupId)
          await requireGroup(trx, actor, next.groupId)
        if (next.role === 'group_leader' && !next.groupId)
          throw LEADER_NEEDS_GROUP()
        const losesAdmin = before.role === 'branch_admin' && before.active && (next.role !== 'branch_admin' || !next.active)
        if (losesAdmin && await otherActiveAdmins(trx, actor.branchId, before.id) === 0)
          throw failure(409, 'LAST_ADMIN')

        await updateMember(trx, before.id, next, nowIso())
        if (changed.active && !next.active) {
          // Deactivated: logged out everywhere at once, and no pending invite can bring them back.
          await revokeSessions(trx, before.id)
          await expireOpenInvites(trx, before.id, nowIso())
        }
        const after = await requireMember(trx, actor, before.id)
        await writeAudit(trx, actor, { action: actionFor(changed, next.active), entity: 'member', entityId: before.id, data: changed })
        const seq = await recordMember(trx, actor, after)
        // Another group or role shows other group-scoped records: the phone's next pull starts over.
        if (changed.groupId || changed.role)
          await setScopeSeq(trx, before.id, seq)
        return after
      })
    }
    catch (err) {
      throw isUniqueViolation(err) ? LOGIN_TAKEN() : err
    }
  })

  app.post<Params>('/:id/invite', { preHandler: admin, schema: { params: IdParams, response: { 200: Invite, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    // First, so a link that could not be given out is not issued (nor audited) either.
    const origin = linkOrigin(app, request)
    const { url, expiresAt } = await app.db.transaction().execute(trx => issueInvite(trx, actor, request.params.id, origin))
    return { url, expiresAt, publicUrlSet: Boolean(app.config.publicUrl) }
  })

  /** 批量邀请: a fresh link for each member asked (the members a roster import added), in one transaction. */
  app.post<{ Body: BulkInviteBodyT }>('/invites', { preHandler: admin, schema: { body: BulkInviteBody, response: { 200: BulkInviteResult, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const origin = linkOrigin(app, request)
    const invites = await app.db.transaction().execute(async (trx) => {
      const out = []
      for (const id of request.body.memberIds) {
        const { url, expiresAt, member } = await issueInvite(trx, actor, id, origin)
        out.push({ memberId: member.id, name: member.name, groupName: member.groupName, url, expiresAt })
      }
      return out
    })
    return { invites, publicUrlSet: Boolean(app.config.publicUrl) }
  })
}
