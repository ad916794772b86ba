import type { AttendanceRecord } from '#shared/meetings/ops'
import type { Meeting, MeetingListItem } from '#shared/meetings/schemas'
import type { TokenVerdict } from '#shared/meetings/token'
import { attendanceId, CHECKIN_REJECT, checkinCheckout, checkinCreate, leaveRequest, MEETING_ENTITY } from '#shared/meetings/ops'
import { importVerifyKey, parseToken, verifyMeetingToken, windowAt } from '#shared/meetings/token'
import { wordRefusal } from '../../api/errors'
import { getRecord, listRecords, listRejected } from '../../db'
import { useSessionStore } from '../../stores/session'
import { queueWrite } from '../../sync/write'

export type CheckinInput = { token: string } | { code: string }

/** What the phone tells the member about a scanned code, with no network: go on, or why not (words of the catalog). */
export type ScanJudgement = { ok: true, meetingId: string, checked: boolean } | { ok: false, reason: Exclude<TokenVerdict, { ok: true }>['reason'], words: string }

/** The catalog code each refusal on the phone is worded by (the server refuses with the same codes on sync). */
const VERDICT_CODES = {
  malformed: CHECKIN_REJECT.malformed,
  forged: CHECKIN_REJECT.forged,
  wrongMeeting: CHECKIN_REJECT.wrongMeeting,
  stale: CHECKIN_REJECT.stale,
  future: CHECKIN_REJECT.future,
  unverifiable: 'CHECKIN_CODE_UNVERIFIABLE',
} as const

const verifyKeys = new Map<string, Promise<CryptoKey>>()

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

  /** The public key of a meeting this phone pulled (null: not pulled, or made before issue 15). */
  async function keyOf(meetingId: string): Promise<CryptoKey | null> {
    const record = await getRecord<Meeting>(MEETING_ENTITY.meeting, meetingId)
    const x = record?.owner === session.me?.id ? record?.data.verifyKey : undefined
    if (!x)
      return null
    if (!verifyKeys.has(x))
      verifyKeys.set(x, importVerifyKey(x))
    return verifyKeys.get(x)!
  }

  /**
   * Checks a scanned QR text on the phone, offline (issue 15 point 1): forged, another meeting's,
   * stale or from the future is refused at once with the reason and nothing is stored. A code the
   * phone cannot check (a meeting it has no key of yet) still goes on, marked unchecked: the
   * server decides on sync, as it always does.
   */
  async function judgeScan(text: string, meetingId: string | null): Promise<ScanJudgement> {
    const t0 = performance.now()
    const verdict = await verifyMeetingToken(text, meetingId, keyOf, Date.now())
    performance.measure('xf-verify', { start: t0, end: performance.now() })
    if (verdict.ok)
      return { ok: true, meetingId: verdict.meetingId!, checked: true }
    if (verdict.reason === 'unverifiable' && verdict.meetingId)
      return { ok: true, meetingId: verdict.meetingId, checked: false }
    return { ok: false, reason: verdict.reason, words: wordRefusal(VERDICT_CODES[verdict.reason], {}, verdict.reason) }
  }

  function payloadOf(meetingId: string, input: CheckinInput, now: Date) {
    return 'token' in input
      ? { meetingId, token: input.token, scannedAt: now.toISOString() }
      : { meetingId, code: input.code, window: windowAt(now.getTime()), scannedAt: now.toISOString() }
  }

  async function checkIn(meetingId: string, input: CheckinInput): Promise<string> {
    const me = session.me!
    const now = new Date()
    const record: AttendanceRecord = { meetingId, memberId: me.id, status: 'queued', flag: null, reason: null, at: now.toISOString() }
    const op = await queueWrite(checkinCreate, payloadOf(meetingId, input, now), { entity: MEETING_ENTITY.attendance, id: attendanceId(meetingId, me.id), data: record })
    return op.opId
  }

  /** 签退: the meeting's code scanned (or typed) again at the end; the record keeps its status, with the departure 待同步. */
  async function checkOut(meetingId: string, input: CheckinInput): Promise<string> {
    const me = session.me!
    const now = new Date()
    const current = await getRecord<AttendanceRecord>(MEETING_ENTITY.attendance, attendanceId(meetingId, me.id))
    const record: AttendanceRecord = { ...(current?.data ?? { meetingId, memberId: me.id, status: 'verified', flag: null, reason: null }), at: now.toISOString(), departedAt: now.toISOString() }
    const op = await queueWrite(checkinCheckout, payloadOf(meetingId, input, now), { entity: MEETING_ENTITY.attendance, id: attendanceId(meetingId, me.id), data: record })
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
  async function myAttendance(): Promise<Map<string, { status: string, pending: boolean, departedAt: string | null }>> {
    const me = session.me!
    const recs = await listRecords<AttendanceRecord>(me.id, MEETING_ENTITY.attendance)
    return new Map(recs.map(r => [r.data.meetingId, { status: r.data.status, pending: r.pendingOps > 0, departedAt: r.data.departedAt ?? null }]))
  }

  /** Meetings pulled to this phone, for the list and the success screen when offline. */
  async function localMeetings(): Promise<MeetingListItem[]> {
    const me = session.me!
    const recs = await listRecords<MeetingListItem>(me.id, MEETING_ENTITY.meeting)
    return recs.map(r => ({ ...r.data, myStatus: null, canOrganize: false }))
  }

  return { meetingOfToken, judgeScan, checkIn, checkOut, askLeave, stateOf, myAttendance, localMeetings }
}
