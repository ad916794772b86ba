import { Type } from 'typebox'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { MEETING_LIMITS } from './constants'
import { AttendanceAction, MeetingBody } from './schemas'

/** A QR text: `xf2:` + meeting id + window + an Ed25519 signature is about 140 characters. */
const TOKEN_MAX = 200

/**
 * A member's check-in: the scanned QR text, or the typed 6-digit code with the window the phone
 * thought it was. The member is the session's, never named here; the server decides verified,
 * pending (synced late) or refused.
 */
export const checkinCreate = defineOp('checkin.create', Type.Object({
  meetingId: Id,
  token: Type.Optional(Line(TOKEN_MAX)),
  code: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  /** The phone's window when the code was typed (the code alone names no window). */
  window: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The phone's clock at the scan: informative, compared with the token's window, never trusted. */
  scannedAt: IsoDateTime,
}, { additionalProperties: false }))

/** 签退: the member scans the meeting's code (or types it) again at the end; same fields as checkin.create. */
export const checkinCheckout = defineOp('checkin.checkout', checkinCreate.payload)

/**
 * 反向扫码: an organizer scanned a member's personal code (出示我的签到码) and checks that member in.
 * The server verifies the member's signature again; the organizer's phone already did, offline.
 */
export const checkinScan = defineOp('checkin.scan', Type.Object({
  meetingId: Id,
  memberId: Id,
  token: Line(TOKEN_MAX),
  /** The organizer's phone clock at the scan: must fit the code's window (a screenshot of an old code does not). */
  scannedAt: IsoDateTime,
  /** The topic and the member's name as the phone showed them: only to name the op in 同步失败, never read by the server. */
  topic: Type.Optional(Line(MEETING_LIMITS.topicMax)),
  memberName: Type.Optional(Line(MEETING_LIMITS.topicMax)),
}, { additionalProperties: false }))

/** A member asks for leave (请假) for a meeting that has not started. */
export const leaveRequest = defineOp('meeting.leave', Type.Object({
  meetingId: Id,
  reason: Text(MEETING_LIMITS.reasonMax, 1),
}, { additionalProperties: false }))

/**
 * An organizer schedules a meeting. The phone makes the id, so the meeting's page opens offline
 * at once; its 签到 screen needs one sync (the key comes from the server).
 */
export const meetingCreate = defineOp('meeting.create', Type.Object({
  id: Id,
  ...MeetingBody.properties,
}, { additionalProperties: false }))

/** An organizer closes a meeting: attendance is settled and points granted (see planClose). */
export const meetingClose = defineOp('meeting.close', Type.Object({
  meetingId: Id,
  /** The topic as the phone showed it: only to name the op in 同步失败, never read by the server. */
  topic: Type.Optional(Line(MEETING_LIMITS.topicMax)),
}, { additionalProperties: false }))

/** An organizer's decision about one member's attendance (代签到, 请假, confirm or refuse a late scan, clear). */
export const meetingAttendance = defineOp('meeting.attendance', Type.Object({
  meetingId: Id,
  memberId: Id,
  ...AttendanceAction.properties,
  /** The topic and the member's name as the phone showed them: only to name the op in 同步失败, never read by the server. */
  topic: Type.Optional(Line(MEETING_LIMITS.topicMax)),
  memberName: Type.Optional(Line(MEETING_LIMITS.topicMax)),
}, { additionalProperties: false }))

/** Why an organizer's op was refused, for good. */
export const MEETING_REJECT = {
  notFound: 'MEETING_NOT_FOUND',
  notOrganizer: 'MEETING_NOT_ORGANIZER',
  idTaken: 'MEETING_ID_TAKEN',
  closed: 'MEETING_CLOSED',
  cancelled: 'MEETING_CANCELLED',
} as const

/** Entities as they appear in pulled changes and in the phone's records. */
export const MEETING_ENTITY = {
  /** Branch-wide: every member pulls the meetings of the branch. */
  meeting: 'meeting',
  /** One member's attendance of one meeting; id `<meetingId>.<memberId>`. */
  attendance: 'attendance',
  /**
   * Phone only: an organizer's decision about another member's attendance, waiting to be sent
   * (never pulled; kept apart from the organizer's own attendance records).
   */
  decision: 'attendance-decision',
} as const

export function attendanceId(meetingId: string, memberId: string): string {
  return `${meetingId}.${memberId}`
}

/** Why a check-in was refused, for good: each its own code and message. */
export const CHECKIN_REJECT = {
  meetingNotFound: 'CHECKIN_MEETING_NOT_FOUND',
  meetingCancelled: 'CHECKIN_MEETING_CANCELLED',
  meetingClosed: 'CHECKIN_MEETING_CLOSED',
  noToken: 'CHECKIN_NO_TOKEN',
  malformed: 'CHECKIN_TOKEN_MALFORMED',
  forged: 'CHECKIN_TOKEN_FORGED',
  wrongMeeting: 'CHECKIN_WRONG_MEETING',
  wrongCode: 'CHECKIN_CODE_WRONG',
  outsideMeeting: 'CHECKIN_WINDOW_OUTSIDE_MEETING',
  replayed: 'CHECKIN_TOKEN_REPLAYED',
  future: 'CHECKIN_TOKEN_FUTURE',
  outOfScope: 'CHECKIN_OUT_OF_SCOPE',
  already: 'CHECKIN_ALREADY',
  rateLimited: 'CHECKIN_RATE_LIMITED',
  leaveStarted: 'LEAVE_MEETING_STARTED',
  stale: 'CHECKIN_TOKEN_STALE',
  // 签退
  checkoutOff: 'CHECKOUT_NOT_ASKED',
  checkoutNotIn: 'CHECKOUT_NOT_CHECKED_IN',
  checkoutAlready: 'CHECKOUT_ALREADY',
  // 反向扫码 (an organizer scans a member's personal code)
  scanNotOrganizer: 'CHECKIN_SCAN_NOT_ORGANIZER',
  scanUnknownMember: 'CHECKIN_SCAN_UNKNOWN_MEMBER',
  scanOtherMember: 'CHECKIN_SCAN_OTHER_MEMBER',
  scanMemberOutOfScope: 'CHECKIN_SCAN_OUT_OF_SCOPE',
  scanAlready: 'CHECKIN_SCAN_ALREADY',
  leaveAlreadyIn: 'LEAVE_ALREADY_CHECKED_IN',
} as const

/** What a member's phone stores for its own attendance record. */
export interface AttendanceRecord {
  meetingId: string
  memberId: string
  status: string
  flag: string | null
  reason: string | null
  at: string
  /** 签退 time, once the member checked out. */
  departedAt?: string | null
}
