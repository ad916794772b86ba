import type { AttendanceStatus } from '#shared/meetings/constants'
import type { AttendanceAction, AttendanceSummary, CloseResult, Meeting, MeetingBody, MeetingList } from '#shared/meetings/schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { MeetingRow, toAttendanceRecord } from './repository'
import { CHECKIN, PRESENT_STATUSES } from '#shared/meetings/constants'
import { MEETING_REJECT } from '#shared/meetings/ops'
import { minutesLate } from '#shared/meetings/rhythm'
import { planClose } from '#shared/meetings/rules'
import { leftEarly } from '#shared/meetings/timing'
import { windowStartMs } from '#shared/meetings/token'
import { compareNames } from '#shared/org/order'
import { writeAudit } from '../audit/writer'
import { failure, forbidden, notFound, refusal } from '../errors'
import { nowIso } from '../util/clock'
import { newKeyPair } from './keys'
import { grantAttendancePoints } from './points-hook'
import { canOrganize, canSee, inScope, loadMeeting, meetingSelect, publishAttendance, publishMeeting, toListItem, toMeeting } from './repository'
import { rhythmSettings } from './rhythm-service'

type Conn = Db | Transaction<Database>
type AttendanceRecordOut = ReturnType<typeof toAttendanceRecord>

/** The meeting, if the actor organizes it: 404 outside the branch, 403 for a member who does not. */
export async function requireOrganized(db: Conn, actor: Actor, id: string): Promise<MeetingRow> {
  const meeting = await loadMeeting(db, actor.branchId, id)
  if (!meeting)
    throw notFound('meeting')
  if (!canOrganize(actor, meeting))
    throw forbidden('MEETING_ORGANIZERS_ONLY')
  return meeting
}

/** Refuses to change a meeting that is over; a closed one names who closed it (「会议已由张三结束」). */
export function requireScheduled(meeting: Pick<MeetingRow, 'status' | 'closed_by_name'>): void {
  if (meeting.status === 'cancelled')
    throw failure(409, MEETING_REJECT.cancelled)
  if (meeting.status === 'closed') {
    const by = meeting.closed_by_name
    throw by ? refusal(409, MEETING_REJECT.closed, 'MEETING_CLOSED_BY', { name: by }) : failure(409, MEETING_REJECT.closed)
  }
}

/** Checks a create or edit: times in order, and a scope the actor may organize. */
export async function checkBody(db: Conn, actor: Actor, body: MeetingBody): Promise<void> {
  if (Date.parse(body.endsAt) <= Date.parse(body.startsAt))
    throw failure(400, 'MEETING_TIMES')
  if (body.groupId === null) {
    if (actor.role !== 'branch_admin')
      throw forbidden('MEETING_OWN_GROUP_ONLY')
    return
  }
  const group = await db.selectFrom('party_group').select('id').where('id', '=', body.groupId).where('branch_id', '=', actor.branchId).where('removed_at', 'is', null).executeTakeFirst()
  if (!group)
    throw failure(400, 'MEETING_GROUP')
  if (actor.role !== 'branch_admin' && body.groupId !== actor.groupId)
    throw forbidden('MEETING_OWN_GROUP_ONLY')
}

export function bodyColumns(body: MeetingBody) {
  return {
    type: body.type,
    group_id: body.groupId,
    topic: body.topic.trim(),
    starts_at: new Date(body.startsAt).toISOString(),
    ends_at: new Date(body.endsAt).toISOString(),
    place: body.place.trim(),
    agenda: body.agenda.trim(),
    checkout: body.checkout ? 1 : 0,
  }
}

/** The meetings a member sees: those they are expected at or organize; upcoming = still open for check-in. */
export async function listMeetings(db: Db, actor: Actor, view: 'upcoming' | 'all'): Promise<MeetingList> {
  let q = meetingSelect(db).where('meeting.branch_id', '=', actor.branchId)
  if (view === 'upcoming') {
    q = q.where('meeting.status', '=', 'scheduled').where('meeting.ends_at', '>', new Date(Date.now() - CHECKIN.graceMs).toISOString())
  }
  const rows = await q.orderBy('meeting.starts_at', view === 'upcoming' ? 'asc' : 'desc').limit(200).execute()
  const mine = await db.selectFrom('meeting_attendance').select(['meeting_id', 'status']).where('member_id', '=', actor.id).execute()
  const status = new Map(mine.map(r => [r.meeting_id, r.status]))
  return rows
    .filter(r => canSee(actor, r))
    .map(r => toListItem(r, actor, status.get(r.id) ?? null))
}

/** When the code a scan proves was on the screen: the start of its window. */
const shownAt = (window: number | null | undefined) => window === null || window === undefined ? null : new Date(windowStartMs(Number(window))).toISOString()

interface ScopeMember { id: string, name: string, group_name: string | null }

/**
 * Arrival and departure of one row, and 迟到/早退 by the shared rule (#shared/meetings/timing):
 * 迟到 after the branch's grace (its rhythm settings), with how many minutes after the start.
 */
function timing(meeting: MeetingRow, graceMinutes: number, r: { token_window: number | null, departed_at: string | null, status: AttendanceStatus } | undefined) {
  const present = r !== undefined && PRESENT_STATUSES.includes(r.status)
  const arrived = present ? shownAt(r.token_window) : null
  const departedAt = present ? r.departed_at ?? null : null
  const times = { startsAt: meeting.starts_at, endsAt: meeting.ends_at }
  const lateMinutes = minutesLate(meeting.starts_at, arrived, graceMinutes)
  return { departedAt, lateArrival: lateMinutes !== null, lateMinutes, earlyLeave: leftEarly(times, departedAt) }
}

async function scopeMembers(db: Conn, meeting: MeetingRow): Promise<ScopeMember[]> {
  let q = db.selectFrom('member')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .select(['member.id', 'member.name', 'party_group.name as group_name'])
    .where('member.branch_id', '=', meeting.branch_id)
    .where('member.active', '=', 1)
  if (meeting.group_id)
    q = q.where('member.group_id', '=', meeting.group_id)
  return (await q.execute()).sort((a, b) => compareNames(a.name, b.name))
}

export async function attendanceSummary(db: Conn, meeting: MeetingRow): Promise<AttendanceSummary> {
  const expected = await scopeMembers(db, meeting)
  const grace = (await rhythmSettings(db, meeting.branch_id)).lateGraceMinutes
  const rows = await db.selectFrom('meeting_attendance')
    .innerJoin('member', 'member.id', 'meeting_attendance.member_id')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .selectAll('meeting_attendance')
    .select(['member.name', 'party_group.name as group_name'])
    .where('meeting_id', '=', meeting.id)
    .execute()
  const byMember = new Map(rows.map(r => [r.member_id, r]))
  const out: AttendanceSummary['rows'] = expected.map((m) => {
    const r = byMember.get(m.id)
    byMember.delete(m.id)
    return { memberId: m.id, name: m.name, groupName: m.group_name, status: r?.status ?? null, method: r?.method ?? null, flag: r?.flag ?? null, flagReason: r?.flag_reason ?? null, scannedAt: r?.scanned_at ?? null, shownAt: shownAt(r?.token_window), reason: r?.reason ?? null, at: r?.updated_at ?? null, points: r?.points ?? null, ...timing(meeting, grace, r) }
  })
  for (const r of byMember.values())
    out.push({ memberId: r.member_id, name: r.name, groupName: r.group_name, status: r.status, method: r.method, flag: r.flag, flagReason: r.flag_reason, scannedAt: r.scanned_at, shownAt: shownAt(r.token_window), reason: r.reason, at: r.updated_at, points: r.points, ...timing(meeting, grace, r) })
  const count = (pred: (s: AttendanceStatus | null) => boolean) => out.filter(r => pred(r.status)).length
  return {
    meeting: toMeeting(meeting),
    rows: out,
    counts: {
      expected: expected.length,
      present: count(s => s !== null && PRESENT_STATUSES.includes(s)),
      pending: count(s => s === 'pending'),
      leave: count(s => s === 'leave'),
    },
  }
}

/** An organizer's decision: check in by hand, record leave, confirm or reject a late scan, or clear. */
export async function decideAttendance(trx: Transaction<Database>, actor: Actor, meeting: MeetingRow, memberId: string, body: AttendanceAction): Promise<AttendanceRecordOut | undefined> {
  requireScheduled(meeting)
  const member = await trx.selectFrom('member').select(['id', 'branch_id', 'group_id']).where('id', '=', memberId).where('active', '=', 1).executeTakeFirst()
  if (!member || !inScope({ branchId: member.branch_id, groupId: member.group_id }, meeting))
    throw failure(400, 'MEETING_MEMBER_OUT_OF_SCOPE')
  const existing = await trx.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meeting.id).where('member_id', '=', memberId).executeTakeFirst()
  const now = nowIso()
  const reason = body.reason?.trim() || null
  let next: { status: AttendanceStatus, method: string, reason: string | null } | 'delete'
  switch (body.action) {
    case 'checkin':
      if (existing && (existing.status === 'verified' || existing.status === 'manual'))
        throw failure(409, 'MEETING_ALREADY_IN')
      next = { status: 'manual', method: 'manual', reason: null }
      break
    case 'leave':
      if (!reason)
        throw failure(400, 'MEETING_LEAVE_REASON')
      next = { status: 'leave', method: 'leave_organizer', reason }
      break
    case 'confirm':
    case 'reject':
      if (existing?.status !== 'pending')
        throw failure(409, 'MEETING_NOT_PENDING')
      next = body.action === 'confirm'
        ? { status: 'verified', method: existing.method, reason: null }
        : { status: 'rejected', method: existing.method, reason }
      break
    case 'clear':
      next = 'delete'
      break
  }
  if (next === 'delete') {
    await trx.deleteFrom('meeting_attendance').where('meeting_id', '=', meeting.id).where('member_id', '=', memberId).execute()
  }
  else if (existing) {
    await trx.updateTable('meeting_attendance').set({ ...next, decided_by: actor.id, updated_at: now }).where('meeting_id', '=', meeting.id).where('member_id', '=', memberId).execute()
  }
  else {
    await trx.insertInto('meeting_attendance').values({ ...next, meeting_id: meeting.id, member_id: memberId, token_window: null, scanned_at: null, flag: null, flag_reason: null, decided_by: actor.id, points: null, created_at: now, updated_at: now }).execute()
  }
  return publishAttendance(trx, meeting.branch_id, meeting.id, memberId)
}

/**
 * Closes the meeting once: unanswered members in scope become absent, and the attendance points
 * are granted through the points hook. A second close, or a close with late scans still waiting,
 * is refused.
 */
export async function closeMeeting(trx: Transaction<Database>, actor: Actor, meeting: MeetingRow): Promise<CloseResult> {
  requireScheduled(meeting)
  const now = nowIso()
  if (now < meeting.starts_at)
    throw failure(409, 'MEETING_NOT_STARTED')
  // The status guard makes closing exactly-once even when two organizers press at the same time.
  const claimed = await trx.updateTable('meeting').set({ status: 'closed', closed_at: now, closed_by: actor.id, updated_at: now }).where('id', '=', meeting.id).where('status', '=', 'scheduled').returning('id').executeTakeFirst()
  if (!claimed)
    throw failure(409, MEETING_REJECT.closed)
  const rows = await trx.selectFrom('meeting_attendance').select(['member_id', 'status', 'flag']).where('meeting_id', '=', meeting.id).execute()
  const pending = rows.filter(r => r.status === 'pending').length
  if (pending > 0)
    throw failure(409, 'MEETING_HAS_PENDING', { count: pending })
  const plan = planClose({ type: meeting.type, expected: (await scopeMembers(trx, meeting)).map(m => m.id), rows: rows.map(r => ({ memberId: r.member_id, status: r.status, flag: r.flag })), closerId: actor.id })
  for (const m of plan.members) {
    if (m.writes === 'organizer')
      await trx.insertInto('meeting_attendance').values({ meeting_id: meeting.id, member_id: m.memberId, status: 'manual', method: 'organizer', token_window: null, scanned_at: null, flag: null, flag_reason: null, reason: null, decided_by: actor.id, points: null, created_at: now, updated_at: now }).onConflict(oc => oc.columns(['meeting_id', 'member_id']).doUpdateSet({ status: 'manual', method: 'organizer', updated_at: now })).execute()
    else if (m.writes === 'absent')
      await trx.insertInto('meeting_attendance').values({ meeting_id: meeting.id, member_id: m.memberId, status: 'absent', method: 'close', token_window: null, scanned_at: null, flag: null, flag_reason: null, reason: null, decided_by: actor.id, points: null, created_at: now, updated_at: now }).onConflict(oc => oc.columns(['meeting_id', 'member_id']).doUpdateSet({ status: 'absent', updated_at: now })).execute()
  }
  const granted = await grantAttendancePoints(trx, meeting, actor.id, plan.members.flatMap(m => m.ruleKey ? [{ memberId: m.memberId, ruleKey: m.ruleKey }] : []))
  for (const [memberId, points] of granted) {
    await trx.updateTable('meeting_attendance').set({ points, updated_at: now }).where('meeting_id', '=', meeting.id).where('member_id', '=', memberId).execute()
  }
  for (const m of plan.members)
    await publishAttendance(trx, meeting.branch_id, meeting.id, m.memberId)
  const published = await publishMeeting(trx, meeting.id)
  return { meeting: published, ...plan.counts }
}

/**
 * The organizer's writes, one function each, shared by the REST routes and the ops (meeting.create,
 * meeting.close, meeting.attendance): the same checks, effects, change-log rows and audit either way.
 */
export async function createMeeting(trx: Transaction<Database>, actor: Actor, id: string, body: MeetingBody): Promise<Meeting> {
  await checkBody(trx, actor, body)
  const now = nowIso()
  const keys = newKeyPair()
  await trx.insertInto('meeting').values({ id, branch_id: actor.branchId, ...bodyColumns(body), status: 'scheduled', created_by: actor.id, created_at: now, updated_at: now, closed_at: null, closed_by: null, sign_key: keys.signKey, verify_key: keys.verifyKey }).execute()
  await writeAudit(trx, actor, { action: 'meeting.create', entity: 'meeting', entityId: id, data: bodyColumns(body) })
  return publishMeeting(trx, id)
}

export async function closeOrganized(trx: Transaction<Database>, actor: Actor, id: string): Promise<CloseResult> {
  const meeting = await requireOrganized(trx, actor, id)
  const result = await closeMeeting(trx, actor, meeting)
  await writeAudit(trx, actor, { action: 'meeting.close', entity: 'meeting', entityId: meeting.id, data: { present: result.present, leave: result.leave, absent: result.absent } })
  return result
}

/** The meeting decided on, and the member's attendance as it now stands (undefined once cleared). */
export async function decideOrganized(trx: Transaction<Database>, actor: Actor, id: string, memberId: string, body: AttendanceAction) {
  const meeting = await requireOrganized(trx, actor, id)
  const record = await decideAttendance(trx, actor, meeting, memberId, body)
  await writeAudit(trx, actor, { action: `meeting.attendance.${body.action}`, entity: 'meeting', entityId: meeting.id, data: { memberId, reason: body.reason ?? null } })
  return { meeting, record }
}
