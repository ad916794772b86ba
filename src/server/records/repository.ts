import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import { PRESENT_STATUSES } from '#shared/meetings/constants'

/* All SQL of the annual record (年度积分与表现记录): one query per figure for a whole set of members. */

type Conn = Db | Transaction<Database>

export async function recordMembers(db: Conn, branchId: string, filter: { memberId?: string, groupId?: string }) {
  let q = db.selectFrom('member')
    .leftJoin('party_group as g', 'g.id', 'member.group_id')
    .select(['member.id', 'member.name', 'g.name as group_name'])
    .where('member.branch_id', '=', branchId)
  if (filter.memberId)
    q = q.where('member.id', '=', filter.memberId)
  else
    q = q.where('member.active', '=', 1)
  if (filter.groupId)
    q = q.where('member.group_id', '=', filter.groupId)
  return q.execute()
}

/** Ledger sums per member, category and month. */
export function ledgerByMonth(db: Conn, branchId: string, year: number) {
  return db.selectFrom('point_ledger')
    .select(['member_id', 'category', 'month', eb => eb.fn.sum<number>('amount').as('points')])
    .where('branch_id', '=', branchId)
    .where('year', '=', year)
    .groupBy(['member_id', 'category', 'month'])
    .execute()
}

export function standingVetoes(db: Conn, branchId: string, year: number) {
  return db.selectFrom('point_veto').select(['member_id', 'decision', 'decided_on']).where('branch_id', '=', branchId).where('year', '=', year).where('revoked_at', 'is', null).orderBy('decided_on').execute()
}

/** A member's own pledges of the year that were approved: items made, and kept at 评诺. */
export function pledgeItemCounts(db: Conn, branchId: string, year: number) {
  return db.selectFrom('pledge_item as i')
    .innerJoin('pledge as p', 'p.id', 'i.pledge_id')
    .select(['p.member_id', eb => eb.fn.countAll<number>().as('made'), eb => eb.fn.sum<number>(eb.case().when('i.result', '=', 'kept').then(1).else(0).end()).as('kept')])
    .where('p.branch_id', '=', branchId)
    .where('p.year', '=', year)
    .where('p.owner_kind', '=', 'member')
    .where('p.status', 'in', ['approved', 'published'])
    .groupBy('p.member_id')
    .execute()
}

/** Attendance of the year's closed meetings: present and expected (leave not expected) per member. */
export function attendanceCounts(db: Conn, branchId: string, from: string, to: string) {
  return db.selectFrom('meeting_attendance as a')
    .innerJoin('meeting as m', 'm.id', 'a.meeting_id')
    .select(['a.member_id', eb => eb.fn.sum<number>(eb.case().when('a.status', 'in', [...PRESENT_STATUSES]).then(1).else(0).end()).as('present'), eb => eb.fn.countAll<number>().as('expected')])
    .where('m.branch_id', '=', branchId)
    .where('m.status', '=', 'closed')
    .where('m.starts_at', '>=', from)
    .where('m.starts_at', '<', to)
    .where('a.status', '!=', 'leave')
    .groupBy('a.member_id')
    .execute()
}

export async function branchName(db: Conn, branchId: string): Promise<string> {
  return (await db.selectFrom('branch').select('name').where('id', '=', branchId).executeTakeFirstOrThrow()).name
}
