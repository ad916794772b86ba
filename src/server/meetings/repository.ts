import type { Meeting, MeetingListItem } from '#shared/meetings/schemas'
import type { Selectable, Transaction, Updateable } from 'kysely'
import type { Database, Db } from '../db/database'
import type { MeetingAttendanceTable, MeetingTable } from '../db/meetings.table'
import type { Actor } from '../plugins/auth'
import { attendanceId, MEETING_ENTITY } from '#shared/meetings/ops'
import { expectedAt, mayOrganize, meetingVisibleTo } from '#shared/meetings/rules'
import { photoIdsOf } from '../photos/ids'
import { recordChange } from '../sync/changes'

type Conn = Db | Transaction<Database>
export type MeetingRow = Selectable<MeetingTable> & { group_name: string | null, closed_by_name: string | null }

export function meetingSelect(db: Conn) {
  return db.selectFrom('meeting')
    .leftJoin('party_group', 'party_group.id', 'meeting.group_id')
    .leftJoin('member as closer', 'closer.id', 'meeting.closed_by')
    .selectAll('meeting')
    .select(['party_group.name as group_name', 'closer.name as closed_by_name'])
}

export function toMeeting(r: MeetingRow): Meeting {
  return {
    id: r.id,
    type: r.type,
    groupId: r.group_id,
    groupName: r.group_name,
    topic: r.topic,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    agenda: r.agenda,
    status: r.status,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    minutes: r.minutes,
    minutesPhotoIds: photoIdsOf(r.minutes_photo_ids),
  }
}

/** A meeting of the actor's branch, or undefined (another branch's meeting is as good as missing). */
export async function loadMeeting(db: Conn, branchId: string, id: string): Promise<MeetingRow | undefined> {
  return meetingSelect(db).where('meeting.id', '=', id).where('meeting.branch_id', '=', branchId).executeTakeFirst()
}

type ScopeColumns = Pick<MeetingTable, 'branch_id' | 'group_id' | 'created_by'>
const scopeOf = (m: ScopeColumns) => ({ branchId: m.branch_id, groupId: m.group_id, createdBy: m.created_by })

/** Who runs a meeting (the shared rule, #shared/meetings/rules): only they get its key and decide its attendance. */
export function canOrganize(actor: Actor, m: ScopeColumns): boolean {
  return mayOrganize(actor, scopeOf(m))
}

/** Whether a member is expected at the meeting: the whole branch, or the meeting's group. */
export function inScope(member: { branchId: string, groupId: string | null }, m: Pick<MeetingTable, 'branch_id' | 'group_id'>): boolean {
  return expectedAt(member, { branchId: m.branch_id, groupId: m.group_id })
}

/** Whether the actor may see the meeting at all (the shared rule the pull filter agrees with). */
export function canSee(actor: Actor, m: ScopeColumns): boolean {
  return meetingVisibleTo(scopeOf(m), actor)
}

export function toListItem(r: MeetingRow, actor: Actor, myStatus: MeetingListItem['myStatus']): MeetingListItem {
  return { ...toMeeting(r), myStatus, canOrganize: canOrganize(actor, r) }
}

function changeScope(m: Pick<MeetingTable, 'group_id' | 'created_by'>) {
  return m.group_id === null ? { memberId: null } : { memberId: m.created_by, groupId: m.group_id }
}

/**
 * Re-reads the meeting and puts it in the change log for the phones that may open it (as
 * inScope/canOrganize): a branch meeting branch-wide; a group's meeting to that group, the branch
 * admins and its creator only. An edit that moved it to another group first deletes it from the
 * phones of its old scope (those still in the new one get it back with the next row).
 */
export async function publishMeeting(trx: Transaction<Database>, id: string, before?: Pick<MeetingTable, 'group_id'>): Promise<Meeting> {
  const row = await meetingSelect(trx).where('meeting.id', '=', id).executeTakeFirstOrThrow()
  const meeting = toMeeting(row)
  if (before && before.group_id !== row.group_id)
    await recordChange(trx, { entity: MEETING_ENTITY.meeting, entityId: id, branchId: row.branch_id, ...changeScope({ ...row, ...before }), op: 'delete', data: { id } })
  await recordChange(trx, { entity: MEETING_ENTITY.meeting, entityId: id, branchId: row.branch_id, ...changeScope(row), op: 'upsert', data: meeting })
  return meeting
}

export function toAttendanceRecord(a: Selectable<MeetingAttendanceTable>) {
  return {
    meetingId: a.meeting_id,
    memberId: a.member_id,
    status: a.status,
    flag: a.flag,
    reason: a.reason,
    points: a.points,
    at: a.updated_at,
  }
}

/** Re-reads one attendance row and puts it in the change log for that member's phone. */
export async function publishAttendance(trx: Transaction<Database>, branchId: string, meetingId: string, memberId: string) {
  const row = await trx.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst()
  const id = attendanceId(meetingId, memberId)
  if (!row) {
    await recordChange(trx, { entity: MEETING_ENTITY.attendance, entityId: id, branchId, memberId, op: 'delete', data: { meetingId, memberId } })
    return undefined
  }
  const record = toAttendanceRecord(row)
  await recordChange(trx, { entity: MEETING_ENTITY.attendance, entityId: id, branchId, memberId, op: 'upsert', data: record })
  return record
}

/** The member's own attendance status at a meeting, for the meeting page (null before any record). */
export async function ownStatus(db: Conn, meetingId: string, memberId: string) {
  const row = await db.selectFrom('meeting_attendance').select('status').where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst()
  return row?.status ?? null
}

/** Writes changed columns of a meeting (its details, status or minutes), stamping the change. */
export async function updateMeetingRow(trx: Transaction<Database>, id: string, columns: Omit<Updateable<MeetingTable>, 'id' | 'branch_id' | 'updated_at'>, now: string): Promise<void> {
  await trx.updateTable('meeting').set({ ...columns, updated_at: now }).where('id', '=', id).execute()
}
