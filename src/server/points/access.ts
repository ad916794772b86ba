import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { forbidden, notFound } from '../errors'

type Conn = Db | Transaction<Database>

export interface MemberRef {
  id: string
  branchId: string
  groupId: string | null
  name: string
}

export async function loadMember(db: Conn, id: string): Promise<MemberRef | undefined> {
  const row = await db.selectFrom('member').select(['id', 'branch_id', 'group_id', 'name']).where('id', '=', id).executeTakeFirst()
  return row && { id: row.id, branchId: row.branch_id, groupId: row.group_id, name: row.name }
}

/** Over whom an organizer acts: a branch admin over the branch, a group leader over their own group. */
export function isOrganizerOver(actor: Actor, member: MemberRef): boolean {
  if (member.branchId !== actor.branchId)
    return false
  if (actor.role === 'branch_admin')
    return true
  return actor.role === 'group_leader' && actor.groupId !== null && actor.groupId === member.groupId
}

/**
 * A member's points are seen by the member, their group leader and the branch admins.
 * Members of another branch get 404 (their existence is not revealed), others 403.
 */
export async function memberVisibleTo(db: Conn, actor: Actor, memberId: string | undefined): Promise<MemberRef> {
  const member = await loadMember(db, memberId ?? actor.id)
  if (!member || member.branchId !== actor.branchId)
    throw notFound('member')
  if (member.id !== actor.id && !isOrganizerOver(actor, member))
    throw forbidden('POINTS_NOT_VISIBLE')
  return member
}
