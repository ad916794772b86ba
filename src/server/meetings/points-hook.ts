import type { MeetingType } from '#shared/meetings/constants'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { MEETING_TYPE_NAMES } from '#shared/meetings/constants'
import { localDate } from '#shared/points/periods'
import { grantByRule } from '../points/grants'

/** One member's scored outcome of a closed meeting: the rule it counts under (#shared/meetings/rules, planClose). */
export interface AttendanceOutcome {
  memberId: string
  ruleKey: string
}

export interface ClosedMeeting {
  id: string
  type: MeetingType
  branch_id: string
  topic: string
  starts_at: string
}

/**
 * THE POINTS HOOK: called exactly once per meeting, inside the transaction that closes it, with
 * every member who attended or was absent without leave, with the rule planClose
 * (#shared/meetings/rules) gave their outcome. Each outcome becomes a points entry
 * under its rule (cap, floor and the branch's on/off switch apply), so it shows in the member's
 * score history; the source `meeting:<id>` makes a grant never happen twice. Attendance rules
 * (approval `checkin`) are granted at once; 无故缺席 (approval `branch`) waits for a branch
 * admin (RULES.md: 支委 confirms), who may reject it, e.g. for a leave nobody recorded. Returns
 * the points of each member's entry (granted, or asked for while it waits; null when the branch
 * has no such rule or switched it off), which the caller stores on the attendance row.
 */
export async function grantAttendancePoints(trx: Transaction<Database>, meeting: ClosedMeeting, actorId: string, outcomes: AttendanceOutcome[]): Promise<Map<string, number | null>> {
  const granted = new Map<string, number | null>()
  const date = localDate(new Date(meeting.starts_at))
  for (const o of outcomes) {
    const ruleKey = o.ruleKey
    const outcome = await grantByRule(trx, {
      branchId: meeting.branch_id,
      memberId: o.memberId,
      ruleKey,
      date,
      source: `meeting:${meeting.id}`,
      kind: 'checkin',
      note: `${MEETING_TYPE_NAMES[meeting.type]}「${meeting.topic}」`,
      actorId,
    })
    granted.set(o.memberId, outcome?.points ?? null)
  }
  return granted
}
