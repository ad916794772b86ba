import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'

/**
 * The SQL of 三会一课 execution (issue 14 point 3): one branch's groups, meetings, closed
 * attendance and members of a year, and its rhythm settings in `branch.settings` (JSON, key
 * `meetingRhythm`). Each query is bounded by the branch and the year, so a report over many
 * branches (the upper organization's) costs a few indexed reads per branch.
 */
type Conn = Db | Transaction<Database>

/** The JSON key in `branch.settings` that holds the rhythm and the 迟到 grace. */
export const RHYTHM_SETTINGS_KEY = 'meetingRhythm'

/** The year's bounds as UTC instants: China time is UTC+8 all year (no daylight saving). */
function yearRange(year: number) {
  const offset = 8 * 3600_000
  return { from: new Date(Date.UTC(year, 0, 1) - offset).toISOString(), to: new Date(Date.UTC(year + 1, 0, 1) - offset).toISOString() }
}

/** The branch's settings object (JSON), or {} when it has none or the row is missing. */
export async function branchSettings(db: Conn, branchId: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('branch').select('settings').where('id', '=', branchId).executeTakeFirst()
  try {
    const parsed: unknown = JSON.parse(row?.settings ?? '{}')
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {}
  }
  catch {
    return {}
  }
}

/** Writes one key of the branch's settings, keeping the others (other features keep theirs there). */
export async function writeBranchSetting(trx: Transaction<Database>, branchId: string, key: string, value: unknown): Promise<void> {
  // Read and written in the caller's transaction. Two admins saving at the same instant: the later
  // save wins whole, which for one branch's settings screen is what they expect.
  const settings = await branchSettings(trx, branchId)
  await trx.updateTable('branch').set({ settings: JSON.stringify({ ...settings, [key]: value }) }).where('id', '=', branchId).execute()
}

/** The groups whose 党小组会 the branch expects: those not removed. */
export async function rhythmGroups(db: Conn, branchId: string) {
  return db.selectFrom('party_group').select(['id', 'name', 'created_at']).where('branch_id', '=', branchId).where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute()
}

/** The branch's meetings starting in the year (China time), any status. */
export async function rhythmMeetings(db: Conn, branchId: string, year: number) {
  const { from, to } = yearRange(year)
  return db.selectFrom('meeting').select(['id', 'type', 'group_id', 'starts_at', 'status', 'topic']).where('branch_id', '=', branchId).where('starts_at', '>=', from).where('starts_at', '<', to).orderBy('starts_at').orderBy('id').execute()
}

/** The attendance rows of the year's closed meetings: what closing recorded for everyone expected. */
export async function rhythmAttendance(db: Conn, branchId: string, year: number) {
  const { from, to } = yearRange(year)
  return db.selectFrom('meeting_attendance')
    .innerJoin('meeting', 'meeting.id', 'meeting_attendance.meeting_id')
    .select(['meeting_attendance.meeting_id', 'meeting_attendance.member_id', 'meeting_attendance.status', 'meeting_attendance.token_window'])
    .where('meeting.branch_id', '=', branchId)
    .where('meeting.status', '=', 'closed')
    .where('meeting.starts_at', '>=', from)
    .where('meeting.starts_at', '<', to)
    .execute()
}

/** The branch's active members, with when they joined it (the row's creation). */
export async function rhythmMembers(db: Conn, branchId: string) {
  return db.selectFrom('member').select(['id', 'name', 'group_id', 'created_at']).where('branch_id', '=', branchId).where('active', '=', 1).execute()
}
