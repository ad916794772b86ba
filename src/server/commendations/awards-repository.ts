import type { RoundKind } from '#shared/commendations/constants'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'

type Conn = Db | Transaction<Database>

export interface MemberAward {
  memberId: string
  title: string
  roundKind: RoundKind
  roundTitle: string
  year: number
  decidedAt: string
}

/** The commendations awarded to members of a branch in a year (for the year record and home). */
export async function memberAwards(db: Conn, branchId: string, year: number, memberIds?: readonly string[]): Promise<MemberAward[]> {
  if (memberIds && memberIds.length === 0)
    return []
  let q = db.selectFrom('commendation_nominee')
    .innerJoin('commendation_round', 'commendation_round.id', 'commendation_nominee.round_id')
    .innerJoin('commendation_title', 'commendation_title.id', 'commendation_nominee.title_id')
    .select(['commendation_nominee.member_id', 'commendation_title.name', 'commendation_round.kind', 'commendation_round.title as round_title', 'commendation_round.year', 'commendation_nominee.decided_at'])
    .where('commendation_nominee.branch_id', '=', branchId)
    .where('commendation_round.year', '=', year)
    .where('commendation_nominee.status', '=', 'awarded')
    .where('commendation_nominee.member_id', 'is not', null)
  if (memberIds)
    q = q.where('commendation_nominee.member_id', 'in', memberIds)
  const rows = await q.orderBy('commendation_nominee.decided_at').execute()
  return rows.map(r => ({ memberId: r.member_id!, title: r.name, roundKind: r.kind, roundTitle: r.round_title, year: r.year, decidedAt: r.decided_at ?? '' }))
}
