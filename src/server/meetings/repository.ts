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
    // The public half only: the signing key goes to organizers through GET /meetings/:id/screen.
    ...(r.verify_key ? { verifyKey: r.verify_key } : {}),
    checkout: Number(r.checkout) === 1,
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
    departedAt: a.departed_at ?? null,
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

/** A member's own check-in key pair, made on first use (two phones asking at once both get the one stored). */
export async function memberKey(db: Conn, memberId: string, make: () => { signKey: string, verifyKey: string }, now: string) {
  const found = await db.selectFrom('member_checkin_key').selectAll().where('member_id', '=', memberId).executeTakeFirst()
  if (found)
    return found
  const pair = make()
  await db.insertInto('member_checkin_key').values({ member_id: memberId, sign_key: pair.signKey, verify_key: pair.verifyKey, created_at: now }).onConflict(oc => oc.column('member_id').doNothing()).execute()
  return db.selectFrom('member_checkin_key').selectAll().where('member_id', '=', memberId).executeTakeFirstOrThrow()
}

/**
 * The active members an organizer may check in by scanning their personal code, with their
 * public keys (made here for members who have none yet): a branch admin's whole branch, a group
 * leader's own group.
 */
export async function scannableMembers(trx: Transaction<Database>, actor: Actor, make: () => { signKey: string, verifyKey: string }, now: string) {
  if (actor.role !== 'branch_admin' && !(actor.role === 'group_leader' && actor.groupId))
    return []
  let q = trx.selectFrom('member').select(['member.id', 'member.name', 'member.group_id']).where('member.branch_id', '=', actor.branchId).where('member.active', '=', 1)
  if (actor.role !== 'branch_admin')
    q = q.where('member.group_id', '=', actor.groupId)
  const members = await q.orderBy('member.name').execute()
  const keys = await trx.selectFrom('member_checkin_key').select(['member_id', 'verify_key']).where('member_id', 'in', members.length > 0 ? members.map(m => m.id) : ['']).execute()
  const byMember = new Map(keys.map(k => [k.member_id, k.verify_key]))
  const out = []
  for (const m of members) {
    const verifyKey = byMember.get(m.id) ?? (await memberKey(trx, m.id, make, now)).verify_key
    out.push({ id: m.id, name: m.name, groupId: m.group_id, verifyKey })
  }
  return out
}

/** A member's public check-in key, or undefined when they never received one. */
export async function memberVerifyKey(db: Conn, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom('member_checkin_key').select('verify_key').where('member_id', '=', memberId).executeTakeFirst()
  return row?.verify_key
}

/** An active member of the branch, for an organizer's scan. */
export async function activeMember(db: Conn, branchId: string, memberId: string) {
  return db.selectFrom('member').select(['id', 'name', 'branch_id', 'group_id']).where('id', '=', memberId).where('branch_id', '=', branchId).where('active', '=', 1).executeTakeFirst()
}

/** One member's attendance row of a meeting. */
export async function attendanceRow(db: Conn, meetingId: string, memberId: string) {
  return db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst()
}

/** Records 签退 on a member's row. */
export async function setDeparture(trx: Transaction<Database>, meetingId: string, memberId: string, departedAt: string, window: number, now: string): Promise<void> {
  await trx.updateTable('meeting_attendance').set({ departed_at: departedAt, checkout_window: window, updated_at: now }).where('meeting_id', '=', meetingId).where('member_id', '=', memberId).execute()
}

/** Gives a meeting without one its key pair (only the first writer's is kept) and returns the signing key. */
export async function ensureMeetingKeys(db: Conn, meetingId: string, make: () => { signKey: string, verifyKey: string }): Promise<string> {
  const pair = make()
  await db.updateTable('meeting').set({ sign_key: pair.signKey, verify_key: pair.verifyKey }).where('id', '=', meetingId).where('sign_key', 'is', null).execute()
  const row = await db.selectFrom('meeting').select('sign_key').where('id', '=', meetingId).executeTakeFirstOrThrow()
  return row.sign_key!
}
