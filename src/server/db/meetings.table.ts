import type { AttendanceStatus, MeetingStatus, MeetingType } from '#shared/meetings/constants'
import type { Generated } from 'kysely'

/** 三会一课 and other 组织生活: one row per meeting, never deleted (cancelled meetings stay listed). */
export interface MeetingTable {
  id: string
  branch_id: string
  /** null: the whole branch attends; otherwise only this group's members. */
  group_id: string | null
  type: MeetingType
  topic: string
  starts_at: string
  ends_at: string
  place: string
  agenda: string
  status: MeetingStatus
  created_by: string
  created_at: string
  updated_at: string
  closed_at: string | null
  closed_by: string | null
  /** 会议记录: the organizer's minutes, and the ids of their photos (JSON array). */
  minutes: Generated<string>
  minutes_photo_ids: Generated<string>
  /** The meeting's Ed25519 key pair (issue 15): `<d>.<x>` for its organizers only, and the public `x` every member in scope pulls. */
  sign_key: string | null
  verify_key: string | null
  /** 1: members 签退 at the end (optional per meeting). */
  checkout: Generated<number>
}

/** One member's attendance of one meeting; the primary key keeps it to one row per member per meeting. */
export interface MeetingAttendanceTable {
  meeting_id: string
  member_id: string
  status: AttendanceStatus
  /** qr, code, manual, leave_self, leave_organizer, close */
  method: string
  /** The token window of a scan or code, null otherwise. */
  token_window: number | null
  /** The phone's clock at the scan (informative only). */
  scanned_at: string | null
  /** late, or late_clock: why a check-in waits for an organizer. */
  flag: string | null
  /** The flag in words (Chinese, then English): how late, and how far the phone's claimed scan time is from the code's window. */
  flag_reason: string | null
  /** Leave reason, or why an organizer rejected a late check-in. */
  reason: string | null
  decided_by: string | null
  /** Points granted or deducted when the meeting was closed. */
  points: number | null
  created_at: string
  updated_at: string
  /** 签退: when the member checked out, and the window of the code that proved it. */
  departed_at: Generated<string | null>
  checkout_window: Generated<number | null>
}

/** A member's own Ed25519 key pair for the personal check-in code (出示我的签到码). */
export interface MemberCheckinKeyTable {
  member_id: string
  sign_key: string
  verify_key: string
  created_at: string
}
