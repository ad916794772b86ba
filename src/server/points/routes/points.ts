import type { AuditQuery as AuditQueryT, EntriesQuery as EntriesQueryT, MemberYearQuery as MemberYearQueryT, PointsSettings as PointsSettingsT, ReverseBody as ReverseBodyT, SheetQuery as SheetQueryT, VetoBody as VetoBodyT } from '#shared/points/schemas'
import type { FastifyInstance } from 'fastify'
import { localDate, yearOf } from '#shared/points/periods'
import { AuditPage, AuditQuery, EntriesQuery, Entry, EntryDetail, EntryPage, MemberYearQuery, PointsSettings, ReverseBody, Sheet, SheetQuery, Summary, Veto, VetoBody, YearBaseBody, YearParams } from '#shared/points/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { Type } from 'typebox'
import { notFound } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { memberVisibleTo } from '../access'
import { recordVeto, revokeEntry, revokeVeto } from '../approval'
import { entryEvents, loadEntry } from '../entries'
import { auditTrail, summary, timeline } from '../score'
import { getSettings, saveSettings, setYearBase } from '../settings'
import { buildSheet, sendSheetXlsx } from '../sheet'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
const thisYear = () => yearOf(localDate(new Date()))

/** A member's score and history, settings, 一票否决, the audit trail and the 党员平时积分记录表. */
export default async function pointsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: MemberYearQueryT }>('/summary', {
    preHandler: app.authenticate,
    schema: { querystring: MemberYearQuery, response: { 200: Summary, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const member = await memberVisibleTo(app.db, actor, request.query.memberId)
    return summary(app.db, actor.branchId, member.id, request.query.year ?? thisYear())
  })

  app.get<{ Querystring: EntriesQueryT }>('/entries', {
    preHandler: app.authenticate,
    schema: { querystring: EntriesQuery, response: { 200: EntryPage, ...errors } },
  }, async (request) => {
    const member = await memberVisibleTo(app.db, actorOf(request), request.query.memberId)
    return timeline(app.db, member.id, request.query)
  })

  app.get<{ Params: { id: string } }>('/entries/:id', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: { 200: EntryDetail, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const entry = await loadEntry(app.db, request.params.id)
    if (!entry)
      throw notFound('entry')
    await memberVisibleTo(app.db, actor, entry.memberId)
    return { entry, events: await entryEvents(app.db, entry.id) }
  })

  app.post<{ Params: { id: string }, Body: ReverseBodyT }>('/entries/:id/revoke', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: IdParams, body: ReverseBody, response: { 200: Entry, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => revokeEntry(trx, actor, request.params.id, request.body.reason))
  })

  app.get('/settings', { preHandler: app.authenticate, schema: { response: { 200: PointsSettings, 401: ErrorBody } } }, async request => getSettings(app.db, actorOf(request).branchId))

  app.put<{ Body: PointsSettingsT }>('/settings', {
    preHandler: app.requireRole('branch_admin'),
    schema: { body: PointsSettings, response: { 200: PointsSettings, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => saveSettings(trx, actor.branchId, actor.id, request.body))
  })

  app.put<{ Params: { year: number }, Body: { baseScore: number } }>('/base/:year', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: YearParams, body: YearBaseBody, response: { 200: Type.Object({ year: Type.Integer(), baseScore: Type.Integer() }), ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    await app.db.transaction().execute(trx => setYearBase(trx, actor.branchId, actor.id, request.params.year, request.body.baseScore))
    return { year: request.params.year, baseScore: request.body.baseScore }
  })

  app.post<{ Body: VetoBodyT }>('/vetoes', {
    preHandler: app.requireRole('branch_admin'),
    schema: { body: VetoBody, response: { 200: Veto, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => recordVeto(trx, actor, request.body))
  })

  app.post<{ Params: { id: string }, Body: ReverseBodyT }>('/vetoes/:id/revoke', {
    preHandler: app.requireRole('branch_admin'),
    schema: { params: IdParams, body: ReverseBody, response: { 200: Veto, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(trx => revokeVeto(trx, actor, request.params.id, request.body.reason))
  })

  app.get<{ Querystring: AuditQueryT }>('/audit', {
    preHandler: app.requireRole('branch_admin'),
    schema: { querystring: AuditQuery, response: { 200: AuditPage, ...errors } },
  }, async request => auditTrail(app.db, actorOf(request).branchId, request.query))

  app.get<{ Querystring: SheetQueryT }>('/sheet', {
    preHandler: app.authenticate,
    schema: { querystring: SheetQuery, response: { 200: Sheet, ...errors } },
  }, async request => buildSheet(app.db, actorOf(request), request.query))

  app.get<{ Querystring: SheetQueryT }>('/sheet.xlsx', {
    preHandler: app.authenticate,
    schema: { querystring: SheetQuery, response: errors },
  }, async (request, reply) => sendSheetXlsx(reply, app.db, actorOf(request), request.query))
}
