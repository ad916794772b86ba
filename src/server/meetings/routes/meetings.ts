import type { AttendanceAction as AttendanceActionT, MeetingBody as MeetingBodyT, MeetingListQuery as MeetingListQueryT, MemberParams as MemberParamsT } from '#shared/meetings/schemas'
import type { FastifyInstance } from 'fastify'
import type { MeetingSecret } from '../keys'
import { CHECKIN } from '#shared/meetings/constants'
import { AttendanceAction, AttendanceSummary, CloseResult, Meeting, MeetingBody, MeetingList, MeetingListItem, MeetingListQuery, MeetingScreen, MemberParams } from '#shared/meetings/schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { writeAudit } from '../../audit/writer'
import { notFound } from '../../errors'
import { actorOf } from '../../plugins/auth'
import { nowIso } from '../../util/clock'
import { newId } from '../../util/ids'
import { newKeyPair } from '../keys'
import { canSee, ensureMeetingKeys, loadMeeting, ownStatus, publishMeeting, toListItem, updateMeetingRow } from '../repository'
import { attendanceSummary, bodyColumns, checkBody, closeOrganized, createMeeting, decideOrganized, listMeetings, requireOrganized, requireScheduled } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/**
 * Meetings (三会一课, 组织生活会) and their attendance. Organizers act here online; the phone sends
 * creating, closing and attendance decisions as ops (meeting.create, meeting.close,
 * meeting.attendance: src/server/meetings/ops.ts), which call the same service functions, and a
 * member's check-in and leave request too (checkin.create, meeting.leave).
 */
export default async function meetingRoutes(app: FastifyInstance, _options: { secret: MeetingSecret }) {
  const organizer = app.requireRole('group_leader')

  app.get<{ Querystring: MeetingListQueryT }>('/', {
    preHandler: app.authenticate,
    schema: { querystring: MeetingListQuery, response: { 200: MeetingList, 401: ErrorBody } },
  }, async request => listMeetings(app.db, actorOf(request), request.query.view ?? 'upcoming'))

  app.post<{ Body: MeetingBodyT }>('/', { preHandler: organizer, schema: { body: MeetingBody, response: { 200: Meeting, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(async trx => createMeeting(trx, actor, newId(), request.body))
  })

  app.get<{ Params: { id: string } }>('/:id', { preHandler: app.authenticate, schema: { params: IdParams, response: { 200: MeetingListItem, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const meeting = await loadMeeting(app.db, actor.branchId, request.params.id)
    if (!meeting || !canSee(actor, meeting))
      throw notFound('meeting')
    return toListItem(meeting, actor, await ownStatus(app.db, meeting.id, actor.id))
  })

  app.patch<{ Params: { id: string }, Body: MeetingBodyT }>('/:id', { preHandler: organizer, schema: { params: IdParams, body: MeetingBody, response: { 200: Meeting, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    await checkBody(app.db, actor, request.body)
    return app.db.transaction().execute(async (trx) => {
      const meeting = await requireOrganized(trx, actor, request.params.id)
      requireScheduled(meeting)
      await updateMeetingRow(trx, meeting.id, bodyColumns(request.body), nowIso())
      await writeAudit(trx, actor, { action: 'meeting.update', entity: 'meeting', entityId: meeting.id, data: bodyColumns(request.body) })
      return publishMeeting(trx, meeting.id, meeting)
    })
  })

  app.post<{ Params: { id: string } }>('/:id/cancel', { preHandler: organizer, schema: { params: IdParams, response: { 200: Meeting, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(async (trx) => {
      const meeting = await requireOrganized(trx, actor, request.params.id)
      requireScheduled(meeting)
      await updateMeetingRow(trx, meeting.id, { status: 'cancelled' }, nowIso())
      await writeAudit(trx, actor, { action: 'meeting.cancel', entity: 'meeting', entityId: meeting.id, data: { topic: meeting.topic } })
      return publishMeeting(trx, meeting.id)
    })
  })

  // The 签到 screen's key: only this meeting's organizers ever receive it (DESIGN §2).
  app.get<{ Params: { id: string } }>('/:id/screen', { preHandler: organizer, schema: { params: IdParams, response: { 200: MeetingScreen, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    const meeting = await requireOrganized(app.db, actor, request.params.id)
    requireScheduled(meeting)
    const { meeting: shown } = await attendanceSummary(app.db, meeting)
    // A meeting made before its key pair existed gets one now (the migration gave every meeting one; this is the last guard).
    const key = meeting.sign_key ?? await ensureMeetingKeys(app.db, meeting.id, newKeyPair)
    return { meeting: shown, key, windowMs: CHECKIN.windowMs, serverTime: nowIso() }
  })

  app.get<{ Params: { id: string } }>('/:id/attendance', { preHandler: organizer, schema: { params: IdParams, response: { 200: AttendanceSummary, ...errors } } }, async (request) => {
    return attendanceSummary(app.db, await requireOrganized(app.db, actorOf(request), request.params.id))
  })

  app.post<{ Params: MemberParamsT, Body: AttendanceActionT }>('/:id/attendance/:memberId', {
    preHandler: organizer,
    schema: { params: MemberParams, body: AttendanceAction, response: { 200: AttendanceSummary, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(async (trx) => {
      const { meeting } = await decideOrganized(trx, actor, request.params.id, request.params.memberId, request.body)
      return attendanceSummary(trx, meeting)
    })
  })

  app.post<{ Params: { id: string } }>('/:id/close', { preHandler: organizer, schema: { params: IdParams, response: { 200: CloseResult, ...errors } } }, async (request) => {
    const actor = actorOf(request)
    return app.db.transaction().execute(async trx => closeOrganized(trx, actor, request.params.id))
  })
}
