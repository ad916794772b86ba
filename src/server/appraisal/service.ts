import type { AppraisalStatus, Grade } from '#shared/appraisal/constants'
import type { GradeCounts } from '#shared/appraisal/rules'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { AppraisalRow, CountRow } from './repository'
import { createHash } from 'node:crypto'
import { GRADES } from '#shared/appraisal/constants'
import { APPRAISAL_ENTITY } from '#shared/appraisal/ops'
import { APPRAISAL_NEXT, ballotGrade, ballotQuota, checkAppraisalBallot, gradeWords, reasonNeeded, STATUS_ZH } from '#shared/appraisal/rules'
import { writeAudit } from '../audit/writer'
import { failure, forbidden } from '../errors'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import {
  activeMembers,
  appraisalIdTaken,
  appraisalOfYear,
  ballotExists,
  ballotGrades,
  castFirstBallot,
  deleteBallots,
  findSummary,
  hasVoted,
  insertAppraisal,
  insertResults,
  loadAppraisal,
  moveAppraisal,
  replaceBallot,
  resultOf,
  resultsOf,
  saveSummary,
  setFinalGrade,
  summariesOf,
  undecidedCount,
  vetoedMembers,
  voterCount,
} from './repository'

type Conn = Db | Transaction<Database>

/** The appraisal as the phone sees it (every member of the branch). */
export function toAppraisal(row: AppraisalRow) {
  return {
    id: row.id,
    year: row.year,
    status: row.status,
    scope: row.scope,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    excellentNum: row.excellent_num,
    excellentDen: row.excellent_den,
    ballotOpenedAt: row.ballot_opened_at,
    ballotClosedAt: row.ballot_closed_at,
    decidedAt: row.decided_at,
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'branch_admin')
    throw forbidden('APPRAISAL_NOT_ADMIN')
}

export async function requireAppraisal(db: Conn, actor: Actor, id: string): Promise<AppraisalRow> {
  const row = await loadAppraisal(db, actor.branchId, id)
  if (!row)
    throw failure(404, 'APPRAISAL_NOT_FOUND')
  return row
}

async function publish(trx: Transaction<Database>, row: AppraisalRow): Promise<void> {
  await recordChange(trx, { entity: APPRAISAL_ENTITY.appraisal, entityId: row.id, branchId: row.branch_id, memberId: null, op: 'upsert', data: toAppraisal(row) })
}

export interface OpenInput {
  year: number
  scope: AppraisalRow['scope']
  startsOn: string
  endsOn: string
  excellentNum: number
  excellentDen: number
}

/** Opens the year's appraisal: one per branch and year; the 优秀 share at most 1/3. */
export async function openAppraisal(trx: Transaction<Database>, actor: Actor, id: string, input: OpenInput) {
  requireAdmin(actor)
  if (input.endsOn < input.startsOn)
    throw failure(400, 'APPRAISAL_DATES')
  // num/den ≤ 1/3 without floating point.
  if (input.excellentNum * 3 > input.excellentDen)
    throw failure(400, 'APPRAISAL_SHARE')
  if (await appraisalOfYear(trx, actor.branchId, input.year))
    throw failure(409, 'APPRAISAL_EXISTS', { year: input.year })
  if (await appraisalIdTaken(trx, id))
    throw failure(409, 'APPRAISAL_EXISTS', { year: input.year })
  const now = nowIso()
  const row: AppraisalRow = {
    id,
    branch_id: actor.branchId,
    year: input.year,
    status: 'summaries',
    scope: input.scope,
    starts_on: input.startsOn,
    ends_on: input.endsOn,
    excellent_num: input.excellentNum,
    excellent_den: input.excellentDen,
    created_by: actor.id,
    ballot_opened_at: null,
    ballot_closed_at: null,
    decided_at: null,
    created_at: now,
    updated_at: now,
  }
  await insertAppraisal(trx, row)
  await writeAudit(trx, actor, { action: 'appraisal.open', entity: 'appraisal', entityId: id, data: input })
  await publish(trx, row)
  return toAppraisal(row)
}

/**
 * Counts the ballots into appraisal_result (one row for every active member of the branch, zeros
 * for one nobody graded) and deletes them: after this only the counts exist.
 */
export async function countBallots(trx: Transaction<Database>, appraisal: Pick<AppraisalRow, 'id' | 'branch_id'>): Promise<CountRow[]> {
  const counts = new Map<string, CountRow>()
  for (const m of await activeMembers(trx, appraisal.branch_id))
    counts.set(m.id, { memberId: m.id, excellent: 0, qualified: 0, basic: 0, unqualified: 0 })
  for (const json of await ballotGrades(trx, appraisal.id)) {
    for (const [memberId, grade] of Object.entries(JSON.parse(json) as Record<string, Grade>)) {
      const c = counts.get(memberId)
      // A member who left during the ballot has no result row; grades outside the scale cannot be stored.
      if (c && (GRADES as readonly string[]).includes(grade))
        c[grade] += 1
    }
  }
  const rows = [...counts.values()]
  await insertResults(trx, appraisal, rows)
  await deleteBallots(trx, appraisal.id)
  return rows
}

/** One step on; `to` must be the next step, so a step another admin took is refused by name. */
export async function stepAppraisal(trx: Transaction<Database>, actor: Actor, id: string, to: AppraisalStatus) {
  requireAdmin(actor)
  const row = await requireAppraisal(trx, actor, id)
  if (APPRAISAL_NEXT[row.status] !== to)
    throw failure(409, 'APPRAISAL_STEP', { status: STATUS_ZH[row.status] })
  const now = nowIso()
  const stamp = to === 'ballot' ? { ballot_opened_at: now } : to === 'counted' ? { ballot_closed_at: now } : { decided_at: now }
  if (to === 'decided') {
    const left = await undecidedCount(trx, id)
    if (left > 0)
      throw failure(409, 'APPRAISAL_UNDECIDED', { count: left })
  }
  if (!await moveAppraisal(trx, id, row.status, to, stamp, now))
    throw failure(409, 'APPRAISAL_STEP', { status: STATUS_ZH[row.status] })
  let voters: number | undefined
  if (to === 'counted') {
    voters = await voterCount(trx, id)
    await countBallots(trx, row)
  }
  // The audit names the step and how many voted, never a ballot.
  await writeAudit(trx, actor, { action: 'appraisal.step', entity: 'appraisal', entityId: id, data: voters === undefined ? { to } : { to, voters } })
  const next = { ...row, ...stamp, status: to, updated_at: now }
  await publish(trx, next)
  return toAppraisal(next)
}

/** A member's 个人总结, until the ballot closes. */
export async function writeSummary(trx: Transaction<Database>, actor: Actor, appraisalId: string, text: string) {
  const row = await requireAppraisal(trx, actor, appraisalId)
  if (row.status !== 'summaries' && row.status !== 'ballot')
    throw failure(409, 'APPRAISAL_SUMMARY_CLOSED')
  const existing = await findSummary(trx, appraisalId, actor.id)
  const id = existing?.id ?? newId()
  const now = nowIso()
  await saveSummary(trx, { id, appraisal_id: appraisalId, branch_id: actor.branchId, member_id: actor.id, text }, now)
  const summary = { id, appraisalId, memberId: actor.id, text, updatedAt: now }
  await recordChange(trx, { entity: APPRAISAL_ENTITY.summary, entityId: id, branchId: actor.branchId, memberId: actor.id, op: 'upsert', data: summary })
  return summary
}

/** Who the actor grades: the branch, or their own 党小组 (scope 'group'); with the vetoed and the quota. */
export async function ballotScope(db: Conn, actor: Actor, row: AppraisalRow) {
  const members = await activeMembers(db, actor.branchId, row.scope === 'group' ? actor.groupId : undefined)
  const vetoed = await vetoedMembers(db, actor.branchId, row.year)
  return {
    members: members.map(m => ({ id: m.id, name: m.name, vetoed: vetoed.has(m.id), self: m.id === actor.id })),
    quota: ballotQuota(members.length, row.excellent_num, row.excellent_den),
    scope: new Map(members.map(m => [m.id, m.name])),
    vetoed,
  }
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/**
 * A ballot: checked by the shared rules, then filed under the hash of the phone's secret. The same
 * secret again replaces the grades (the member changing their mind); a new secret from a member who
 * already voted is another phone and is refused — the server cannot tell which ballot was theirs.
 * Nothing here writes change_log or audit, and the answer carries no grades.
 */
export async function castBallot(trx: Transaction<Database>, actor: Actor, appraisalId: string, secret: string, grades: Record<string, Grade>) {
  const row = await requireAppraisal(trx, actor, appraisalId)
  const scope = await ballotScope(trx, actor, row)
  const problem = checkAppraisalBallot({ status: row.status, voterId: actor.id, scope: scope.scope, vetoed: scope.vetoed, num: row.excellent_num, den: row.excellent_den }, grades)
  if (problem)
    throw failure(problem.code === 'APPRAISAL_BALLOT_CLOSED' || problem.code === 'APPRAISAL_BALLOT_NOT_OPEN' ? 409 : 400, problem.code, problem.params ?? {})
  const hash = secretHash(secret)
  // Keys sorted: the stored JSON says nothing about the order the voter graded in.
  const json = JSON.stringify(Object.fromEntries(Object.entries(grades).sort(([a], [b]) => a < b ? -1 : 1)))
  if (await ballotExists(trx, appraisalId, hash)) {
    await replaceBallot(trx, hash, json)
    return { appraisalId, voted: true }
  }
  if (await hasVoted(trx, appraisalId, actor.id))
    throw failure(409, 'APPRAISAL_ALREADY_VOTED')
  await castFirstBallot(trx, row, actor.id, hash, json)
  return { appraisalId, voted: true }
}

function countsOf(r: GradeCounts): GradeCounts {
  return { excellent: Number(r.excellent), qualified: Number(r.qualified), basic: Number(r.basic), unqualified: Number(r.unqualified) }
}

/** The 支委会's final grade of one member; a reason where it differs from the ballot's grade. */
export async function decideGrade(trx: Transaction<Database>, actor: Actor, appraisalId: string, memberId: string, grade: Grade, reason: string) {
  requireAdmin(actor)
  const row = await requireAppraisal(trx, actor, appraisalId)
  if (row.status !== 'counted')
    throw failure(409, 'APPRAISAL_STEP', { status: STATUS_ZH[row.status] })
  const result = await resultOf(trx, appraisalId, memberId)
  if (!result)
    throw failure(404, 'APPRAISAL_NOT_APPRAISED')
  const name = (await activeMembers(trx, actor.branchId)).find(m => m.id === memberId)?.name ?? ''
  // Another admin's decision is not overwritten from a phone that did not see it.
  if (result.decided_by && result.decided_by !== actor.id)
    throw failure(409, 'APPRAISAL_DECIDED', { name, by: result.decided_by_name ?? '' })
  const counts = countsOf(result)
  const trimmed = reason.trim()
  if (reasonNeeded(counts, grade) && trimmed === '')
    throw failure(400, 'APPRAISAL_REASON_NEEDED', { name, ballot: gradeWords(ballotGrade(counts)) })
  const now = nowIso()
  await setFinalGrade(trx, appraisalId, memberId, grade, trimmed, actor.id, now)
  await writeAudit(trx, actor, { action: 'appraisal.decide', entity: 'appraisal_result', entityId: `${appraisalId}.${memberId}`, data: { memberId, grade, ballotGrade: ballotGrade(counts), reason: trimmed } })
  return { appraisalId, memberId, ...counts, ballotGrade: ballotGrade(counts), finalGrade: grade, reason: trimmed, decidedBy: actor.id, decidedAt: now }
}

/** What a member sees of the year's appraisal: the step, their summary, whether they voted, whom they grade, their own result. */
export async function myAppraisal(db: Conn, actor: Actor, year: number) {
  const row = await appraisalOfYear(db, actor.branchId, year)
  if (!row)
    return { appraisal: null }
  const summary = await findSummary(db, row.id, actor.id)
  const scope = await ballotScope(db, actor, row)
  const result = row.status === 'counted' || row.status === 'decided' ? await resultOf(db, row.id, actor.id) : undefined
  return {
    appraisal: toAppraisal(row),
    summary: summary ? { text: summary.text, updatedAt: summary.updated_at } : null,
    voted: await hasVoted(db, row.id, actor.id),
    ballot: { quota: scope.quota, members: scope.members.filter(m => !m.self).map(({ id, name, vetoed }) => ({ id, name, vetoed })) },
    // The counts once counted; the final grade only once the 支委会 has decided the year.
    result: result ? { ...countsOf(result), finalGrade: row.status === 'decided' ? result.final_grade : null, reason: row.status === 'decided' ? result.reason : '' } : null,
  }
}

/** The 支委会's table: every member's counts, the ballot's grade, the final grade and reason, and their 个人总结. */
export async function appraisalResults(db: Conn, actor: Actor, appraisalId: string) {
  requireAdmin(actor)
  const row = await requireAppraisal(db, actor, appraisalId)
  const summaries = new Map((await summariesOf(db, appraisalId)).map(s => [s.member_id, s.text]))
  const results = await resultsOf(db, appraisalId)
  const collator = new Intl.Collator('zh-CN')
  return {
    appraisal: toAppraisal(row),
    voters: await voterCount(db, appraisalId),
    members: results.map((r) => {
      const counts = countsOf(r)
      return { memberId: r.member_id, name: r.name, ...counts, ballotGrade: ballotGrade(counts), finalGrade: r.final_grade, reason: r.reason, decidedByName: r.decided_by_name, summary: summaries.get(r.member_id) ?? '' }
    }).sort((a, b) => collator.compare(a.name, b.name)),
  }
}
