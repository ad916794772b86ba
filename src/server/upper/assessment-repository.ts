import type { Transaction } from 'kysely'
import type { BranchAssessmentRatingTable, BranchAssessmentTable } from '../db/assessment.table'
import type { Database, Db } from '../db/database'

type Conn = Db | Transaction<Database>

/* All SQL of 支部争先: the upper organization's assessments and its one rating per branch. */

/** False when the organization already has an assessment for the period (the unique index). */
export async function insertAssessment(trx: Conn, row: BranchAssessmentTable): Promise<boolean> {
  const inserted = await trx.insertInto('branch_assessment').values(row).onConflict(oc => oc.columns(['upper_org_id', 'period']).doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
}

/** The assessment, only if it is the organization's own; the closer's name for 「已由…结束」. */
export async function loadAssessment(db: Conn, upperOrgId: string, id: string) {
  return db.selectFrom('branch_assessment')
    .leftJoin('upper_org_admin', 'upper_org_admin.id', 'branch_assessment.closed_by')
    .selectAll('branch_assessment')
    .select('upper_org_admin.name as closed_by_name')
    .where('branch_assessment.id', '=', id)
    .where('branch_assessment.upper_org_id', '=', upperOrgId)
    .executeTakeFirst()
}

export async function listAssessments(db: Conn, upperOrgId: string) {
  return db.selectFrom('branch_assessment')
    .leftJoin('upper_org_admin', 'upper_org_admin.id', 'branch_assessment.closed_by')
    .selectAll('branch_assessment')
    .select('upper_org_admin.name as closed_by_name')
    .select(eb => eb.selectFrom('branch_assessment_rating').select(e => e.fn.countAll<number>().as('n')).whereRef('branch_assessment_rating.assessment_id', '=', 'branch_assessment.id').as('rated'))
    .where('branch_assessment.upper_org_id', '=', upperOrgId)
    .orderBy('branch_assessment.period', 'desc')
    .execute()
}

/** Closes an open assessment; false when it was closed already (by someone else, perhaps). */
export async function closeAssessmentRow(trx: Conn, id: string, by: string, now: string): Promise<boolean> {
  const r = await trx.updateTable('branch_assessment').set({ status: 'closed', closed_at: now, closed_by: by }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The branch's rating, given or replaced (the organization has one voice per branch). */
export async function upsertRating(trx: Conn, row: BranchAssessmentRatingTable): Promise<void> {
  await trx.insertInto('branch_assessment_rating').values(row).onConflict(oc => oc.columns(['assessment_id', 'branch_id']).doUpdateSet({ scores: row.scores, comment: row.comment, rated_by: row.rated_by, updated_at: row.updated_at })).execute()
}

/** Ratings of one assessment with the rater's name. */
export async function ratingsOf(db: Conn, assessmentId: string) {
  return db.selectFrom('branch_assessment_rating')
    .leftJoin('upper_org_admin', 'upper_org_admin.id', 'branch_assessment_rating.rated_by')
    .selectAll('branch_assessment_rating')
    .select('upper_org_admin.name as rated_by_name')
    .where('branch_assessment_rating.assessment_id', '=', assessmentId)
    .execute()
}

/** The closed assessments of the branch's upper organization, with the branch's own rating where given. */
export async function closedAssessmentsOfBranch(db: Conn, branchId: string) {
  return db.selectFrom('branch')
    .innerJoin('branch_assessment', 'branch_assessment.upper_org_id', 'branch.upper_org_id')
    .leftJoin('branch_assessment_rating', join => join.onRef('branch_assessment_rating.assessment_id', '=', 'branch_assessment.id').onRef('branch_assessment_rating.branch_id', '=', 'branch.id'))
    .leftJoin('upper_org_admin', 'upper_org_admin.id', 'branch_assessment_rating.rated_by')
    .select(['branch_assessment.id', 'branch_assessment.title', 'branch_assessment.period', 'branch_assessment.closed_at'])
    .select(['branch_assessment_rating.scores', 'branch_assessment_rating.comment', 'branch_assessment_rating.updated_at', 'upper_org_admin.name as rated_by_name'])
    .where('branch.id', '=', branchId)
    .where('branch_assessment.status', '=', 'closed')
    .orderBy('branch_assessment.period', 'desc')
    .execute()
}
