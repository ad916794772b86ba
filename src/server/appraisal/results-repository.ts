import type { Grade } from '#shared/appraisal/constants'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'

type Conn = Db | Transaction<Database>

/** The 支委会's final 民主评议 grades of a branch's year, by member (members not yet decided are absent). Others (the shortlist, the year record) read this. */
export async function finalGrades(db: Conn, branchId: string, year: number): Promise<Map<string, Grade>> {
  const rows = await db.selectFrom('appraisal_result')
    .innerJoin('appraisal', 'appraisal.id', 'appraisal_result.appraisal_id')
    .select(['appraisal_result.member_id', 'appraisal_result.final_grade'])
    .where('appraisal.branch_id', '=', branchId)
    .where('appraisal.year', '=', year)
    .where('appraisal_result.final_grade', 'is not', null)
    .execute()
  return new Map(rows.map(r => [r.member_id, r.final_grade as Grade]))
}
