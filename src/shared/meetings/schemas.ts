/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { PhotoIds } from '../photos/constants'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { ATTENDANCE_STATUSES, MEETING_LIMITS, MEETING_STATUSES, MEETING_TYPES } from './constants'

/** Minutes are a summary, not a transcript. */
const MINUTES_MAX = 5000

const L = Type.Literal
export const MeetingTypeSchema = Type.Union([L(MEETING_TYPES[0]), L(MEETING_TYPES[1]), L(MEETING_TYPES[2]), L(MEETING_TYPES[3]), L(MEETING_TYPES[4]), L(MEETING_TYPES[5])])
export const MeetingStatusSchema = Type.Union([L(MEETING_STATUSES[0]), L(MEETING_STATUSES[1]), L(MEETING_STATUSES[2])])
export const AttendanceStatusSchema = Type.Union([L(ATTENDANCE_STATUSES[0]), L(ATTENDANCE_STATUSES[1]), L(ATTENDANCE_STATUSES[2]), L(ATTENDANCE_STATUSES[3]), L(ATTENDANCE_STATUSES[4]), L(ATTENDANCE_STATUSES[5])])

const Topic = Line(MEETING_LIMITS.topicMax, 1)
const Place = Line(MEETING_LIMITS.placeMax)
const Agenda = Text(MEETING_LIMITS.agendaMax)
export const Reason = Text(MEETING_LIMITS.reasonMax)

/** A meeting as every member of the branch sees it (pulled branch-wide and listed by the API). */
export const Meeting = Type.Object({
  id: Id,
  type: MeetingTypeSchema,
  /** null: the whole branch; otherwise the one group whose members attend. */
  groupId: Type.Union([Id, Type.Null()]),
  groupName: Type.Union([Type.String(), Type.Null()]),
  topic: Type.String(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  place: Type.String(),
  agenda: Type.String(),
  status: MeetingStatusSchema,
  createdBy: Id,
  updatedAt: IsoDateTime,
  /** 会议记录 by an organizer, and its photos (GET /api/photos/:id). */
  minutes: Type.Optional(Type.String()),
  minutesPhotoIds: Type.Optional(Type.Array(Id)),
  /** The meeting's Ed25519 public key (base64url): members' phones verify its codes offline with it. Absent until the server made the meeting. */
  verifyKey: Type.Optional(Type.String()),
  /** Members 签退 at the end with the same code. */
  checkout: Type.Optional(Type.Boolean()),
})
export type Meeting = Static<typeof Meeting>

/** An organizer writes or replaces the minutes; the photos are uploaded first (PUT /api/photos/:id). */
export const MinutesBody = Type.Object({
  minutes: Text(MINUTES_MAX),
  photoIds: PhotoIds,
}, { additionalProperties: false })
export type MinutesBody = Static<typeof MinutesBody>

/** A meeting in a member's list, with their own attendance and whether they organize it. */
export const MeetingListItem = Type.Object({
  ...Meeting.properties,
  myStatus: Type.Union([AttendanceStatusSchema, Type.Null()]),
  canOrganize: Type.Boolean(),
})
export type MeetingListItem = Static<typeof MeetingListItem>
export const MeetingList = Type.Array(MeetingListItem)
export type MeetingList = Static<typeof MeetingList>

export const MeetingListQuery = Type.Object({
  /** upcoming: not closed or cancelled and not ended more than the grace ago; all: everything, newest first. */
  view: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('all')])),
}, { additionalProperties: false })
export type MeetingListQuery = Static<typeof MeetingListQuery>

/** Create or edit a meeting. */
export const MeetingBody = Type.Object({
  type: MeetingTypeSchema,
  groupId: Type.Union([Id, Type.Null()]),
  topic: Topic,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  place: Place,
  agenda: Agenda,
  /** 签退 asked for at the end (optional; off when left out). */
  checkout: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type MeetingBody = Static<typeof MeetingBody>

/** What the 签到 screen needs to run offline: the meeting, its key, and the server's clock. */
export const MeetingScreen = Type.Object({
  meeting: Meeting,
  /** The meeting's Ed25519 signing key, `<d>.<x>` base64url (importMeetingKey); only its organizers receive it. */
  key: Type.String(),
  windowMs: Type.Integer(),
  serverTime: IsoDateTime,
})
export type MeetingScreen = Static<typeof MeetingScreen>

export const AttendanceRow = Type.Object({
  memberId: Id,
  name: Type.String(),
  groupName: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([AttendanceStatusSchema, Type.Null()]),
  method: Type.Union([Type.String(), Type.Null()]),
  /** Why a check-in waits: late sync, and whether the phone's clock disagreed with the code's window. */
  flag: Type.Union([Type.String(), Type.Null()]),
  /** The flag in words, as stored with the check-in (Chinese, then English). */
  flagReason: Type.Union([Type.String(), Type.Null()]),
  /** The phone's claimed scan time, and when the code it proves was on the screen (start of its window). */
  scannedAt: Type.Union([IsoDateTime, Type.Null()]),
  shownAt: Type.Union([IsoDateTime, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: Type.Union([IsoDateTime, Type.Null()]),
  points: Type.Union([Type.Number(), Type.Null()]),
  /** 签退: when the member left (the window of the code they scanned at the end), else null. */
  departedAt: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
  /** 迟到 / 早退, derived by the shared rule (#shared/meetings/timing) from the arrival and departure. */
  lateArrival: Type.Optional(Type.Boolean()),
  /** 迟到 by how much: whole minutes after the start (rounded up), null when not late. */
  lateMinutes: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  earlyLeave: Type.Optional(Type.Boolean()),
})
export type AttendanceRow = Static<typeof AttendanceRow>

export const AttendanceSummary = Type.Object({
  meeting: Meeting,
  /** Every active member in the meeting's scope, plus anyone else with a row. */
  rows: Type.Array(AttendanceRow),
  counts: Type.Object({
    expected: Type.Integer(),
    present: Type.Integer(),
    pending: Type.Integer(),
    leave: Type.Integer(),
  }),
})
export type AttendanceSummary = Static<typeof AttendanceSummary>

/** An organizer's decision about one member's attendance. */
export const AttendanceAction = Type.Object({
  action: Type.Union([
    Type.Literal('checkin'),
    Type.Literal('leave'),
    Type.Literal('confirm'),
    Type.Literal('reject'),
    Type.Literal('clear'),
  ]),
  reason: Type.Optional(Reason),
}, { additionalProperties: false })
export type AttendanceAction = Static<typeof AttendanceAction>

export const MemberParams = Type.Object({ id: Id, memberId: Id })
export type MemberParams = Static<typeof MemberParams>

export const CloseResult = Type.Object({
  meeting: Meeting,
  present: Type.Integer(),
  leave: Type.Integer(),
  absent: Type.Integer(),
})
export type CloseResult = Static<typeof CloseResult>

/** A member's own signing key and, for organizers, the public keys of the members they may check in (反向扫码). */
export const CheckinKeys = Type.Object({
  memberId: Id,
  /** `<d>.<x>` base64url: signs this member's personal code (出示我的签到码); only its member receives it. */
  signKey: Type.String(),
  members: Type.Array(Type.Object({
    id: Id,
    name: Type.String(),
    groupId: Type.Union([Id, Type.Null()]),
    verifyKey: Type.String(),
  })),
  serverTime: IsoDateTime,
})
export type CheckinKeys = Static<typeof CheckinKeys>
