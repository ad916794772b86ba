import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { orgFixture } from '../org-helper'

/* 年度积分与表现记录 (issue 13 item 7) for a fixture with known figures. */
let t: TestApp
let f: Awaited<ReturnType<typeof orgFixture>>
const YEAR = 2025
const now = new Date().toISOString()

async function ledger(memberId: string, month: number, category: string, amount: number, branchId = f.branchId) {
  await t.handle.db.insertInto('point_ledger').values({ id: randomUUID(), branch_id: branchId, member_id: memberId, year: YEAR, month, date: `${YEAR}-${String(month).padStart(2, '0')}-10`, category, rule_id: null, entry_id: null, kind: amount < 0 ? 'deduction' : 'grant', amount, requested: amount, clipped: 0, reason: '', reverses_id: null, actor_id: null, created_at: now }).execute()
}

async function pledge(memberId: string, results: ('kept' | 'partial' | 'broken' | null)[], status: 'published' | 'draft' = 'published') {
  const id = randomUUID()
  await t.handle.db.insertInto('pledge').values({ id, branch_id: f.branchId, owner_kind: 'member', member_id: memberId, group_id: f.group1, year: YEAR, stage: null, supervisor: '书记', supervisor_contact: '', status, return_reason: null, created_by: memberId, submitted_at: null, reviewed_by: null, reviewed_at: null, published_by: null, published_at: null, created_at: now, updated_at: now }).execute()
  let sort = 0
  for (const result of results)
    await t.handle.db.insertInto('pledge_item').values({ id: randomUUID(), pledge_id: id, branch_id: f.branchId, sort: sort++, category: 'serve', duty: '服务', target: '目标', due_date: `${YEAR}-12-01`, progress_status: 'done', percent: 100, progress_note: '', progress_at: null, result, result_comment: '', excused: 0, points_rule_key: null, points_amount: null, evaluated_by: null, evaluated_at: null }).execute()
}

beforeAll(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
  await ledger(f.member.id, 1, 'study', 5)
  await ledger(f.member.id, 3, 'serve', 8)
  await ledger(f.member.id, 3, 'discipline', -2)
  await ledger(f.leader.id, 6, 'excel', 10)
  await ledger(f.member2.id, 2, 'study', 4)
  await t.handle.db.insertInto('point_veto').values({ id: randomUUID(), branch_id: f.branchId, member_id: f.member2.id, year: YEAR, decision: '党内警告', decided_on: `${YEAR}-04-01`, reason: '测试', created_by: f.admin.id, created_at: now, revoked_at: null, revoked_by: null, revoke_reason: null }).execute()
  await pledge(f.member.id, ['kept', 'kept', 'broken'])
  await pledge(f.member.id, ['kept'], 'draft')
  const appraisalId = randomUUID()
  await t.handle.db.insertInto('appraisal').values({ id: appraisalId, branch_id: f.branchId, year: YEAR, status: 'decided', scope: 'branch', starts_on: `${YEAR}-12-01`, ends_on: `${YEAR}-12-31`, excellent_num: 1, excellent_den: 3, created_by: f.admin.id, ballot_opened_at: now, ballot_closed_at: now, decided_at: now, created_at: now, updated_at: now }).execute()
  await t.handle.db.insertInto('appraisal_result').values({ appraisal_id: appraisalId, member_id: f.member.id, branch_id: f.branchId, excellent: 2, qualified: 1, basic: 0, unqualified: 0, final_grade: 'excellent', reason: '', decided_by: f.admin.id, decided_at: now }).execute()
})
afterAll(async () => t?.close())

describe('annual record', () => {
  it('gives a member their own year: total from the base, by 五带头, by month, pledges kept, grade', async () => {
    const res = await f.member.client.get(`/api/records?year=${YEAR}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.members).toHaveLength(1)
    const m = body.members[0]
    expect(m.total).toBe(body.base + 11)
    expect(m.byCategory).toEqual({ study: 5, excel: 0, serve: 8, discipline: -2, uphold: 0 })
    expect(m.months).toEqual([5, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    // The draft pledge is not a pledge made.
    expect(m.pledges).toEqual({ made: 3, kept: 2 })
    expect(m.appraisalGrade).toBe('excellent')
    expect(m.veto).toBeNull()
    expect(m.attendance).toEqual({ present: 0, expected: 0, rate: null })
  })

  it('sets a vetoed member\'s total to 0 and names the veto', async () => {
    const m = (await f.admin.client.get(`/api/records?year=${YEAR}&scope=member&id=${f.member2.id}`)).json().members[0]
    expect(m.total).toBe(0)
    expect(m.veto).toEqual({ decision: '党内警告', decidedOn: `${YEAR}-04-01` })
  })

  it('lets organizers read their scope only; the branch as .xlsx with a row per member', async () => {
    expect((await f.member.client.get(`/api/records?year=${YEAR}&scope=member&id=${f.leader.id}`)).statusCode).toBe(403)
    expect((await f.member.client.get(`/api/records?year=${YEAR}&scope=branch`)).statusCode).toBe(403)
    expect((await f.leader.client.get(`/api/records?year=${YEAR}&scope=group&id=${f.group2}`)).statusCode).toBe(403)
    expect((await f.leader.client.get(`/api/records?year=${YEAR}&scope=group&id=${f.group1}`)).json().members).toHaveLength(2)
    const branch = (await f.admin.client.get(`/api/records?year=${YEAR}&scope=branch`)).json()
    expect(branch.members).toHaveLength(4)
    const xlsx = await f.admin.client.get(`/api/records/xlsx?year=${YEAR}&scope=branch`)
    expect(xlsx.statusCode).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    expect(sheet.rowCount).toBe(5)
    const row = sheet.getRows(2, 4)!.find(r => r.getCell(1).value === 'member1')!
    expect(row.getCell(13).value).toBe('优秀')
  })
})
