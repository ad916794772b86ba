import type { BranchScores } from '#shared/upper/assessment'
import type { AssessmentCreateBody, AssessmentDetail, AssessmentList, AssessmentRatingBody, AssessmentSummary, BranchRating, MyBranchAssessments } from '#shared/upper/assessment-schemas'
import type { Db } from '../db/database'
import type { UpperActor } from './repository'
import { reviewPeriodZh } from '#shared/reviews/constants'
import { checkBranchRating, overallScore } from '#shared/upper/assessment'
import { writeAudit } from '../audit/writer'
import { failure, notFound } from '../errors'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { closeAssessmentRow, closedAssessmentsOfBranch, insertAssessment, listAssessments, loadAssessment, ratingsOf, upsertRating } from './assessment-repository'
import { branchesOf } from './repository'
import { overview } from './service'

/*
 * 支部争先 (issue 14 point 4): the upper organization opens an assessment for a period, rates each
 * of its branches on the five 五个好 dimensions with the branch's figures of that year beside the
 * buttons, and closes it; a branch's admins then read their own branch's rating. Online REST: the
 * upper organization works at a desk, and an assessment is not something a phone queues offline.
 */

type Row = NonNullable<Awaited<ReturnType<typeof loadAssessment>>>

function summary(row: Row, rated: number, branches: number): AssessmentSummary {
  return {
    id: row.id,
    title: row.title,
    period: row.period,
    status: row.status,
    rated,
    branches,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by_name ?? null,
  }
}

function rating(row: { scores: string | null, comment: string | null, updated_at: string | null, rated_by_name: string | null }): BranchRating | null {
  if (row.scores === null || row.updated_at === null)
    return null
  const scores = JSON.parse(row.scores) as BranchScores
  return { scores, overall: overallScore(scores), comment: row.comment ?? '', ratedBy: row.rated_by_name ?? '', updatedAt: row.updated_at }
}

async function ownAssessment(db: Db, actor: UpperActor, id: string): Promise<Row> {
  const row = await loadAssessment(db, actor.upperOrgId, id)
  if (!row)
    throw notFound('assessment')
  return row
}

export async function createAssessment(db: Db, actor: UpperActor, body: AssessmentCreateBody): Promise<AssessmentSummary> {
  const id = newId()
  const now = nowIso()
  const title = body.title?.trim() || `${reviewPeriodZh(body.period)}支部争先`
  const inserted = await insertAssessment(db, { id, upper_org_id: actor.upperOrgId, title, period: body.period, status: 'open', created_by: actor.id, created_at: now, closed_by: null, closed_at: null })
  if (!inserted)
    throw failure(409, 'ASSESSMENT_EXISTS', { period: reviewPeriodZh(body.period) })
  const branches = await branchesOf(db, actor.upperOrgId)
  return summary((await loadAssessment(db, actor.upperOrgId, id))!, 0, branches.length)
}

export async function assessmentList(db: Db, actor: UpperActor): Promise<AssessmentList> {
  const [rows, branches] = await Promise.all([listAssessments(db, actor.upperOrgId), branchesOf(db, actor.upperOrgId)])
  return { assessments: rows.map(r => summary(r, Number(r.rated ?? 0), branches.length)) }
}

/** Every branch of the organization with the figures of the period's year beside its rating. */
export async function assessmentDetail(db: Db, actor: UpperActor, id: string): Promise<AssessmentDetail> {
  const row = await ownAssessment(db, actor, id)
  const year = Number(row.period.slice(0, 4))
  const [figures, ratings] = await Promise.all([overview(db, actor, year), ratingsOf(db, id)])
  const byBranch = new Map(ratings.map(r => [r.branch_id, r]))
  return {
    assessment: summary(row, ratings.length, figures.branches.length),
    year,
    branches: figures.branches.map(f => ({ figures: f, rating: byBranch.has(f.id) ? rating(byBranch.get(f.id)!) : null })),
  }
}

/** Gives or replaces the organization's rating of one branch while the assessment is open. */
export async function rateBranch(db: Db, actor: UpperActor, id: string, branchId: string, body: AssessmentRatingBody): Promise<BranchRating> {
  return db.transaction().execute(async (trx) => {
    const row = await loadAssessment(trx, actor.upperOrgId, id)
    if (!row)
      throw notFound('assessment')
    const branches = new Map((await branchesOf(trx, actor.upperOrgId)).map(b => [b.id, b.name]))
    const problem = checkBranchRating(row.status, branches, branchId, body.scores)
    if (problem)
      throw failure(problem.code === 'ASSESSMENT_CLOSED' ? 409 : problem.code === 'ASSESSMENT_UNKNOWN_BRANCH' ? 404 : 400, problem.code, problem.params)
    const now = nowIso()
    const comment = (body.comment ?? '').trim()
    await upsertRating(trx, { assessment_id: id, branch_id: branchId, scores: JSON.stringify(body.scores), comment, rated_by: actor.id, updated_at: now })
    await writeAudit(trx, { id: actor.id, branchId }, { action: 'branch_assessment.rate', entity: 'branch_assessment', entityId: id, data: { scores: body.scores, comment, by: actor.name } })
    return { scores: body.scores, overall: overallScore(body.scores), comment, ratedBy: actor.name, updatedAt: now }
  })
}

export async function closeAssessment(db: Db, actor: UpperActor, id: string): Promise<AssessmentSummary> {
  const row = await ownAssessment(db, actor, id)
  if (row.status === 'closed')
    throw failure(409, 'ASSESSMENT_ALREADY_CLOSED', { name: row.closed_by_name ?? '' })
  const closed = await closeAssessmentRow(db, id, actor.id, nowIso())
  const after = (await loadAssessment(db, actor.upperOrgId, id))!
  if (!closed)
    throw failure(409, 'ASSESSMENT_ALREADY_CLOSED', { name: after.closed_by_name ?? '' })
  const [ratings, branches] = await Promise.all([ratingsOf(db, id), branchesOf(db, actor.upperOrgId)])
  return summary(after, ratings.length, branches.length)
}

/** A branch admin's view: the closed assessments of their own branch (an open one is not theirs to see yet). */
export async function myBranchAssessments(db: Db, branchId: string): Promise<MyBranchAssessments> {
  const rows = await closedAssessmentsOfBranch(db, branchId)
  return { assessments: rows.map(r => ({ id: r.id, title: r.title, period: r.period, closedAt: r.closed_at, rating: rating(r) })) }
}
