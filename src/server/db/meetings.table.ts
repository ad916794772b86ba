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
}
