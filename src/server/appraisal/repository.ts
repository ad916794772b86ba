import type { AppraisalStatus, Grade } from '#shared/appraisal/constants'
import type { Transaction } from 'kysely'
import type { AppraisalTable } from '../db/appraisal.table'
import type { Database, Db } from '../db/database'

/* All SQL of 民主评议党员 (issue 13). Ballot rows never carry a voter, a time or an order. */

type Conn = Db | Transaction<Database>
export type AppraisalRow = AppraisalTable

export function loadAppraisal(db: Conn, branchId: string, id: string): Promise<AppraisalRow | undefined> {
  return db.selectFrom('appraisal').selectAll().where('id', '=', id).where('branch_id', '=', branchId).executeTakeFirst()
}

export function appraisalOfYear(db: Conn, branchId: string, year: number): Promise<AppraisalRow | undefined> {
  return db.selectFrom('appraisal').selectAll().where('branch_id', '=', branchId).where('year', '=', year).executeTakeFirst()
}

export async function appraisalIdTaken(db: Conn, id: string): Promise<boolean> {
  return !!(await db.selectFrom('appraisal').select('id').where('id', '=', id).executeTakeFirst())
}

export async function insertAppraisal(trx: Transaction<Database>, row: AppraisalRow): Promise<void> {
  await trx.insertInto('appraisal').values(row).execute()
}

/** Moves the appraisal from `from` to `to`; false when another request moved it first. */
export async function moveAppraisal(trx: Transaction<Database>, id: string, from: AppraisalStatus, to: AppraisalStatus, stamp: Partial<Pick<AppraisalRow, 'ballot_opened_at' | 'ballot_closed_at' | 'decided_at'>>, now: string): Promise<boolean> {
  const res = await trx.updateTable('appraisal').set({ status: to, ...stamp, updated_at: now }).where('id', '=', id).where('status', '=', from).executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export interface ScopeMember { id: string, name: string, groupId: string | null }

/** Active members of the branch, or of one 党小组 when `groupId` is given. */
export async function activeMembers(db: Conn, branchId: string, groupId?: string | null): Promise<ScopeMember[]> {
  let q = db.selectFrom('member').select(['id', 'name', 'group_id']).where('branch_id', '=', branchId).where('active', '=', 1)
  if (groupId !== undefined)
    q = groupId === null ? q.where('group_id', 'is', null) : q.where('group_id', '=', groupId)
  const rows = await q.orderBy('id').execute()
  return rows.map(r => ({ id: r.id, name: r.name, groupId: r.group_id }))
}

/** Members with a standing 一票否决 in the year. */
export async function vetoedMembers(db: Conn, branchId: string, year: number): Promise<Set<string>> {
  const rows = await db.selectFrom('point_veto').select('member_id').where('branch_id', '=', branchId).where('year', '=', year).where('revoked_at', 'is', null).execute()
  return new Set(rows.map(r => r.member_id))
}

export function findSummary(db: Conn, appraisalId: string, memberId: string) {
  return db.selectFrom('appraisal_summary').selectAll().where('appraisal_id', '=', appraisalId).where('member_id', '=', memberId).executeTakeFirst()
}

export async function saveSummary(trx: Transaction<Database>, row: { id: string, appraisal_id: string, branch_id: string, member_id: string, text: string }, now: string): Promise<void> {
  await trx.insertInto('appraisal_summary').values({ ...row, created_at: now, updated_at: now }).onConflict(oc => oc.columns(['appraisal_id', 'member_id']).doUpdateSet({ text: row.text, updated_at: now })).execute()
}

export function summariesOf(db: Conn, appraisalId: string) {
  return db.selectFrom('appraisal_summary').select(['member_id', 'text', 'updated_at']).where('appraisal_id', '=', appraisalId).execute()
}

export async function hasVoted(db: Conn, appraisalId: string, memberId: string): Promise<boolean> {
  return !!(await db.selectFrom('appraisal_voter').select('member_id').where('appraisal_id', '=', appraisalId).where('member_id', '=', memberId).executeTakeFirst())
}

export async function voterCount(db: Conn, appraisalId: string): Promise<number> {
  const row = await db.selectFrom('appraisal_voter').select(eb => eb.fn.countAll<number>().as('n')).where('appraisal_id', '=', appraisalId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function ballotExists(db: Conn, appraisalId: string, secretHash: string): Promise<boolean> {
  return !!(await db.selectFrom('appraisal_ballot').select('secret_hash').where('secret_hash', '=', secretHash).where('appraisal_id', '=', appraisalId).executeTakeFirst())
}

export async function replaceBallot(trx: Transaction<Database>, secretHash: string, grades: string): Promise<void> {
  await trx.updateTable('appraisal_ballot').set({ grades }).where('secret_hash', '=', secretHash).execute()
}

/** A first ballot: the voter is marked and the grades filed under the hash, with nothing joining the two. */
export async function castFirstBallot(trx: Transaction<Database>, appraisal: Pick<AppraisalRow, 'id' | 'branch_id'>, memberId: string, secretHash: string, grades: string): Promise<void> {
  await trx.insertInto('appraisal_voter').values({ appraisal_id: appraisal.id, member_id: memberId }).execute()
  await trx.insertInto('appraisal_ballot').values({ secret_hash: secretHash, appraisal_id: appraisal.id, branch_id: appraisal.branch_id, grades }).execute()
}

export async function ballotGrades(db: Conn, appraisalId: string): Promise<string[]> {
  const rows = await db.selectFrom('appraisal_ballot').select('grades').where('appraisal_id', '=', appraisalId).execute()
  return rows.map(r => r.grades)
}

export async function deleteBallots(trx: Transaction<Database>, appraisalId: string): Promise<void> {
  await trx.deleteFrom('appraisal_ballot').where('appraisal_id', '=', appraisalId).execute()
}

export interface CountRow { memberId: string, excellent: number, qualified: number, basic: number, unqualified: number }

export async function insertResults(trx: Transaction<Database>, appraisal: Pick<AppraisalRow, 'id' | 'branch_id'>, rows: CountRow[]): Promise<void> {
  // Chunks keep the statement under SQLite's and PostgreSQL's bound-parameter limits for big branches.
  for (let i = 0; i < rows.length; i += 500) {
    await trx.insertInto('appraisal_result').values(rows.slice(i, i + 500).map(r => ({
      appraisal_id: appraisal.id,
      member_id: r.memberId,
      branch_id: appraisal.branch_id,
      excellent: r.excellent,
      qualified: r.qualified,
      basic: r.basic,
      unqualified: r.unqualified,
      final_grade: null,
      reason: '',
      decided_by: null,
      decided_at: null,
    }))).execute()
  }
}

export function resultsOf(db: Conn, appraisalId: string) {
  return db.selectFrom('appraisal_result')
    .innerJoin('member', 'member.id', 'appraisal_result.member_id')
    .leftJoin('member as decider', 'decider.id', 'appraisal_result.decided_by')
    .select(['appraisal_result.member_id', 'member.name', 'member.group_id', 'appraisal_result.excellent', 'appraisal_result.qualified', 'appraisal_result.basic', 'appraisal_result.unqualified', 'appraisal_result.final_grade', 'appraisal_result.reason', 'appraisal_result.decided_by', 'decider.name as decided_by_name', 'appraisal_result.decided_at'])
    .where('appraisal_result.appraisal_id', '=', appraisalId)
    .execute()
}

export function resultOf(db: Conn, appraisalId: string, memberId: string) {
  return db.selectFrom('appraisal_result')
    .leftJoin('member as decider', 'decider.id', 'appraisal_result.decided_by')
    .select(['appraisal_result.member_id', 'appraisal_result.excellent', 'appraisal_result.qualified', 'appraisal_result.basic', 'appraisal_result.unqualified', 'appraisal_result.final_grade', 'appraisal_result.reason', 'appraisal_result.decided_by', 'decider.name as decided_by_name', 'appraisal_result.decided_at'])
    .where('appraisal_result.appraisal_id', '=', appraisalId)
    .where('appraisal_result.member_id', '=', memberId)
    .executeTakeFirst()
}

export async function setFinalGrade(trx: Transaction<Database>, appraisalId: string, memberId: string, grade: Grade, reason: string, by: string, now: string): Promise<void> {
  await trx.updateTable('appraisal_result').set({ final_grade: grade, reason, decided_by: by, decided_at: now }).where('appraisal_id', '=', appraisalId).where('member_id', '=', memberId).execute()
}

export async function undecidedCount(db: Conn, appraisalId: string): Promise<number> {
  const row = await db.selectFrom('appraisal_result').select(eb => eb.fn.countAll<number>().as('n')).where('appraisal_id', '=', appraisalId).where('final_grade', 'is', null).executeTakeFirstOrThrow()
  return Number(row.n)
}
