import type { MeetingType } from '#shared/meetings/constants'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'

/**
 * The points of the shipped rules (参加党员大会/党小组会/党课/主题党日 +2, 参加组织生活会 +2,
 * 无故缺席组织生活 −2), used until the points ledger (issue 4) offers a grant function.
 */
export const ATTENDANCE_POINTS = { present: 2, absent: -2 } as const

export interface AttendanceOutcome {
  memberId: string
  outcome: 'present' | 'absent'
}

/**
 * THE POINTS HOOK: called exactly once per meeting, inside the transaction that closes it, with
 * every member who attended or was absent without leave. Returns the points each one got, which
 * the caller stores on the attendance row.
 *
 * Today it only computes the shipped rules' points (they live in meeting_attendance.points).
 * When the points ledger lands, this is the one function that changes: grant each outcome through
 * the ledger's grant function (rule `meeting` or `life-meeting` for present, `absent` for absent
 * where that rule is switched on), with the meeting id as the source so a grant is never made twice.
 */
export async function grantAttendancePoints(_trx: Transaction<Database>, meeting: { id: string, type: MeetingType, branch_id: string }, outcomes: AttendanceOutcome[]): Promise<Map<string, number>> {
  const granted = new Map<string, number>()
  for (const o of outcomes)
    granted.set(o.memberId, o.outcome === 'present' ? ATTENDANCE_POINTS.present : meeting.type === 'committee' ? 0 : ATTENDANCE_POINTS.absent)
  return granted
}
