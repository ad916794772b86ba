import type { AttendanceRecord } from '#shared/meetings/ops'
import type { MeetingListItem } from '#shared/meetings/schemas'
import { attendanceId, checkinCreate, leaveRequest, MEETING_ENTITY } from '#shared/meetings/ops'
import { parseToken, windowAt } from '#shared/meetings/token'
import { wordRefusal } from '../../api/errors'
import { getRecord, listRecords, listRejected } from '../../db'
import { useSessionStore } from '../../stores/session'
import { queueWrite } from '../../sync/write'

export type CheckinInput = { token: string } | { code: string }

/** What the success screen shows: the local record's state, or the server's refusal. */
export interface CheckinState {
  status: 'queued' | 'verified' | 'pending' | 'rejected'
  message: string
}

/**
 * A member's check-in and leave: written on the phone (record 待同步 + op) in one IndexedDB
 * transaction through the outbox, so it works with no signal; the server decides later.
 */
export function useCheckin() {
  const session = useSessionStore()

  /** The meeting a scanned text belongs to, or null when it is not one of our QR codes. */
  function meetingOfToken(text: string): string | null {
    return parseToken(text)?.meetingId ?? null
  }

  async function checkIn(meetingId: string, input: CheckinInput): Promise<string> {
    const me = session.me!
    const now = new Date()
    const payload = 'token' in input
      ? { meetingId, token: input.token, scannedAt: now.toISOString() }
      : { meetingId, code: input.code, window: windowAt(now.getTime()), scannedAt: now.toISOString() }
    const record: AttendanceRecord = { meetingId, memberId: me.id, status: 'queued', flag: null, reason: null, at: now.toISOString() }
    const op = await queueWrite(checkinCreate, payload, { entity: MEETING_ENTITY.attendance, id: attendanceId(meetingId, me.id), data: record })
    return op.opId
  }

  async function askLeave(meetingId: string, reason: string): Promise<void> {
    const me = session.me!
    const record: AttendanceRecord = { meetingId, memberId: me.id, status: 'leave', flag: null, reason, at: new Date().toISOString() }
    await queueWrite(leaveRequest, { meetingId, reason }, { entity: MEETING_ENTITY.attendance, id: attendanceId(meetingId, me.id), data: record })
  }

  /** Where a queued check-in stands now: still on the phone, accepted (verified or pending), or refused. */
  async function stateOf(meetingId: string, opId: string): Promise<CheckinState> {
    const me = session.me!
    const rejected = (await listRejected(me.id)).find(r => r.opId === opId)
    if (rejected)
      return { status: 'rejected', message: wordRefusal(rejected.code, rejected.params, rejected.message) }
    const rec = await getRecord<AttendanceRecord>(MEETING_ENTITY.attendance, attendanceId(meetingId, me.id))
    const status = rec?.pendingOps ? 'queued' : rec?.data.status
    return { status: status === 'verified' || status === 'pending' || status === 'manual' ? (status === 'manual' ? 'verified' : status) : 'queued', message: '' }
  }

  /** My attendance per meeting as this phone knows it (pulled, or written and not yet synced). */
  async function myAttendance(): Promise<Map<string, { status: string, pending: boolean }>> {
    const me = session.me!
    const recs = await listRecords<AttendanceRecord>(me.id, MEETING_ENTITY.attendance)
    return new Map(recs.map(r => [r.data.meetingId, { status: r.data.status, pending: r.pendingOps > 0 }]))
  }

  /** Meetings pulled to this phone, for the list and the success screen when offline. */
  async function localMeetings(): Promise<MeetingListItem[]> {
    const me = session.me!
    const recs = await listRecords<MeetingListItem>(me.id, MEETING_ENTITY.meeting)
    return recs.map(r => ({ ...r.data, myStatus: null, canOrganize: false }))
  }

  return { meetingOfToken, checkIn, askLeave, stateOf, myAttendance, localMeetings }
}
