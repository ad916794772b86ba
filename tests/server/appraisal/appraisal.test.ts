import type { TestApp } from '../helper'
import { randomBytes, randomUUID } from 'node:crypto'
import { REJECT } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { addPerson, orgFixture } from '../org-helper'
import { op, push } from '../sync-helper'

/**
 * 民主评议党员 end to end on the server (issue 13 items 1–3): the admin opens the year and steps it
 * on through ops, members write their 个人总结 and vote anonymously (offline-able ops with a phone
 * secret), the ballot is counted and deleted at closing, the 支委会 sets final grades with reasons.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof orgFixture>>
let admin2: Awaited<ReturnType<typeof addPerson>>
let member3: Awaited<ReturnType<typeof addPerson>>
const YEAR = 2026
const appraisalId = randomUUID()
interface Who { client: typeof f.admin.client, id: string }
const people = () => [f.admin, admin2, f.leader, f.member, f.member2, member3] as Who[]

async function pushOne(client: Who['client'], type: string, payload: unknown) {
  const res = await push(client, [op(type, payload)])
  expect(res.statusCode).toBe(200)
  return res.json().results[0] as { status: string, code?: string, message?: string, entity?: Record<string, unknown> }
}
const secret = () => randomBytes(24).toString('base64url')
/** Every other member of the branch graded `grade`, with exceptions. */
function gradesFor(voter: Who, grade = 'qualified', except: Record<string, string> = {}) {
  return Object.fromEntries(people().filter(p => p.id !== voter.id).map(p => [p.id, except[p.id] ?? grade]))
}

beforeAll(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
  admin2 = await addPerson(t.app, t.handle, f.branchId, 'admin2', 'branch_admin', null)
  member3 = await addPerson(t.app, t.handle, f.branchId, 'member3', 'member', f.group2)
})
afterAll(async () => t?.close())

const open = { id: appraisalId, year: YEAR, scope: 'branch', startsOn: '2026-12-01', endsOn: '2026-12-31', excellentNum: 1, excellentDen: 3 }

describe('opening and steps', () => {
  it('refuses a member, a share above 1/3 and dates out of order; the admin opens the year once', async () => {
    expect(await pushOne(f.member.client, 'appraisal.open', open)).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    expect(await pushOne(f.admin.client, 'appraisal.open', { ...open, excellentNum: 1, excellentDen: 2 })).toMatchObject({ status: 'rejected', code: 'APPRAISAL_SHARE' })
    expect(await pushOne(f.admin.client, 'appraisal.open', { ...open, endsOn: '2026-11-01' })).toMatchObject({ status: 'rejected', code: 'APPRAISAL_DATES' })
    expect(await pushOne(f.admin.client, 'appraisal.open', open)).toMatchObject({ status: 'applied', entity: { id: appraisalId, status: 'summaries' } })
    const again = await pushOne(admin2.client, 'appraisal.open', { ...open, id: randomUUID() })
    expect(again).toMatchObject({ status: 'rejected', code: 'APPRAISAL_EXISTS' })
    expect(again.message).toContain('2026 年的民主评议已经开始了')
    // Another branch sees nothing of it.
    expect((await f.otherMember.client.get(`/api/appraisals/year/${YEAR}`)).json()).toEqual({ appraisal: null })
  })

  it('takes 个人总结 from members, rewritten in place', async () => {
    expect(await pushOne(f.member.client, 'appraisal.summary', { appraisalId, text: '一年来带头学习' })).toMatchObject({ status: 'applied' })
    expect(await pushOne(f.member.client, 'appraisal.summary', { appraisalId, text: '一年来带头学习，带头服务' })).toMatchObject({ status: 'applied' })
    const mine = (await f.member.client.get(`/api/appraisals/year/${YEAR}`)).json()
    expect(mine.summary.text).toBe('一年来带头学习，带头服务')
    expect(mine.ballot.quota).toBe(2)
    expect(mine.ballot.members.map((m: { id: string }) => m.id)).not.toContain(f.member.id)
    expect(mine.ballot.members).toHaveLength(5)
  })

  it('refuses a ballot before the ballot opens, and a step another admin already took', async () => {
    expect(await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: secret(), grades: gradesFor(f.member) })).toMatchObject({ status: 'rejected', code: 'APPRAISAL_BALLOT_NOT_OPEN' })
    expect(await pushOne(f.admin.client, 'appraisal.step', { appraisalId, to: 'ballot' })).toMatchObject({ status: 'applied', entity: { status: 'ballot' } })
    const late = await pushOne(admin2.client, 'appraisal.step', { appraisalId, to: 'ballot' })
    expect(late).toMatchObject({ status: 'rejected', code: 'APPRAISAL_STEP' })
    expect(late.message).toContain('投票中')
  })
})

describe('the anonymous ballot', () => {
  const memberSecret = secret()

  it('refuses too many 优秀 in words, oneself, and 优秀 for a vetoed member; stores nothing then', async () => {
    const over = await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: memberSecret, grades: gradesFor(f.member, 'excellent') })
    expect(over).toMatchObject({ status: 'rejected', code: 'APPRAISAL_QUOTA' })
    expect(over.message).toContain('优秀最多 2 人，您选了 5 人')
    expect(await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: memberSecret, grades: { ...gradesFor(f.member), [f.member.id]: 'excellent' } })).toMatchObject({ code: 'APPRAISAL_SELF' })
    await t.handle.db.insertInto('point_veto').values({ id: randomUUID(), branch_id: f.branchId, member_id: member3.id, year: YEAR, decision: '党内警告', decided_on: '2026-05-01', reason: '测试', created_by: f.admin.id, created_at: new Date().toISOString(), revoked_at: null, revoked_by: null, revoke_reason: null }).execute()
    const vetoed = await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: memberSecret, grades: gradesFor(f.member, 'qualified', { [member3.id]: 'excellent' }) })
    expect(vetoed).toMatchObject({ code: 'APPRAISAL_VETOED' })
    expect(vetoed.message).toContain('member3 本年度有一票否决')
    expect(await t.handle.db.selectFrom('appraisal_ballot').selectAll().execute()).toHaveLength(0)
    expect(await t.handle.db.selectFrom('appraisal_voter').selectAll().execute()).toHaveLength(0)
  })

  it('takes a ballot, lets the same phone change it, and refuses a first ballot from another phone', async () => {
    const first = await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: memberSecret, grades: gradesFor(f.member, 'qualified', { [f.leader.id]: 'excellent' }) })
    expect(first).toEqual(expect.objectContaining({ status: 'applied', entity: { appraisalId, voted: true } }))
    const changed = await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: memberSecret, grades: gradesFor(f.member, 'qualified', { [f.leader.id]: 'basic' }) })
    expect(changed.status).toBe('applied')
    const rows = await t.handle.db.selectFrom('appraisal_ballot').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0]!.grades)[f.leader.id]).toBe('basic')
    const otherPhone = await pushOne(f.member.client, 'appraisal.ballot', { appraisalId, secret: secret(), grades: gradesFor(f.member) })
    expect(otherPhone).toMatchObject({ status: 'rejected', code: 'APPRAISAL_ALREADY_VOTED' })
    expect(otherPhone.message).toContain('已投票；请在投票时使用的手机上修改')
    expect((await f.member.client.get(`/api/appraisals/year/${YEAR}`)).json().voted).toBe(true)
  })

  it('the others vote: leader gets 优秀 from most, member2 a split', async () => {
    for (const voter of [f.admin, admin2, f.leader, f.member2, member3] as Who[]) {
      const except: Record<string, string> = { [f.leader.id]: 'excellent', [f.member2.id]: voter.id === f.admin.id || voter.id === admin2.id ? 'basic' : 'qualified' }
      expect(await pushOne(voter.client, 'appraisal.ballot', { appraisalId, secret: secret(), grades: gradesFor(voter, 'qualified', except) })).toMatchObject({ status: 'applied' })
    }
  })

  it('keeps voters and grades apart: no column joins them, and change_log, audit_log and sync_op hold no grades', async () => {
    const cols = async (table: string) => (await t.handle.db.introspection.getTables()).find(x => x.name === table)!.columns.map(c => c.name).sort()
    expect(await cols('appraisal_ballot')).toEqual(['appraisal_id', 'branch_id', 'grades', 'secret_hash'])
    expect(await cols('appraisal_voter')).toEqual(['appraisal_id', 'member_id'])
    const changes = await t.handle.db.selectFrom('change_log').select(['entity', 'data']).execute()
    expect(changes.filter(c => c.entity.includes('ballot'))).toEqual([])
    expect(changes.filter(c => /"(?:excellent|qualified|basic|unqualified)"/.test(c.data))).toEqual([])
    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'data']).where('entity', 'like', 'appraisal%').execute()
    // Only the 支委会's own decisions name a grade; no row is a voter's ballot.
    expect(audit.filter(a => a.action === 'appraisal.ballot' || a.data.includes('grades') || (a.action !== 'appraisal.decide' && /"(?:excellent|qualified|basic|unqualified)"/.test(a.data)))).toEqual([])
    const ops = await t.handle.db.selectFrom('sync_op').selectAll().where('type', '=', 'appraisal.ballot').execute()
    expect(ops.length).toBeGreaterThan(0)
    for (const row of ops)
      expect(JSON.stringify(row)).not.toMatch(/\\"(?:excellent|qualified|basic|unqualified)\\"|grades/)
  })
})

describe('counting and the 支委会\'s decision', () => {
  it('counts at closing, deletes the ballots and refuses a ballot after closing', async () => {
    expect(await pushOne(f.admin.client, 'appraisal.step', { appraisalId, to: 'counted' })).toMatchObject({ status: 'applied', entity: { status: 'counted' } })
    expect(await t.handle.db.selectFrom('appraisal_ballot').selectAll().execute()).toHaveLength(0)
    expect(await pushOne(f.member2.client, 'appraisal.ballot', { appraisalId, secret: secret(), grades: gradesFor(f.member2) })).toMatchObject({ status: 'rejected', code: 'APPRAISAL_BALLOT_CLOSED' })
    const results = (await f.admin.client.get(`/api/appraisals/${appraisalId}/results`)).json()
    expect(results.voters).toBe(6)
    const leader = results.members.find((m: { memberId: string }) => m.memberId === f.leader.id)
    // member changed their 优秀 for the leader to 基本合格: 4 优秀, 1 基本合格.
    expect(leader).toMatchObject({ excellent: 4, qualified: 0, basic: 1, unqualified: 0, ballotGrade: 'excellent', finalGrade: null })
    expect(results.members.find((m: { memberId: string }) => m.memberId === f.member2.id)).toMatchObject({ qualified: 3, basic: 2, ballotGrade: 'qualified' })
    expect(results.members.find((m: { memberId: string }) => m.memberId === f.member.id).summary).toBe('一年来带头学习，带头服务')
    // No route answers who gave what: the results name members graded, never voters with grades.
    expect(JSON.stringify(results)).not.toContain('secret')
    expect((await f.member.client.get(`/api/appraisals/${appraisalId}/results`)).statusCode).toBe(403)
    expect((await f.otherAdmin.client.get(`/api/appraisals/${appraisalId}/results`)).statusCode).toBe(404)
  })

  it('sets a final grade, asking a reason where it differs from the ballot; another admin\'s grade is not overwritten', async () => {
    const noReason = await pushOne(f.admin.client, 'appraisal.decide', { appraisalId, memberId: f.member2.id, grade: 'basic', reason: '' })
    expect(noReason).toMatchObject({ status: 'rejected', code: 'APPRAISAL_REASON_NEEDED' })
    expect(noReason.message).toContain('投票结果（合格）')
    expect(await pushOne(f.admin.client, 'appraisal.decide', { appraisalId, memberId: f.member2.id, grade: 'basic', reason: '全年两次无故缺席组织生活' })).toMatchObject({ status: 'applied', entity: { finalGrade: 'basic', ballotGrade: 'qualified' } })
    const conflict = await pushOne(admin2.client, 'appraisal.decide', { appraisalId, memberId: f.member2.id, grade: 'qualified', reason: '' })
    expect(conflict).toMatchObject({ status: 'rejected', code: 'APPRAISAL_DECIDED' })
    expect(await pushOne(f.member.client, 'appraisal.decide', { appraisalId, memberId: f.member.id, grade: 'excellent', reason: 'x' })).toMatchObject({ code: REJECT.forbidden })
    const audit = await t.handle.db.selectFrom('audit_log').select('data').where('action', '=', 'appraisal.decide').execute()
    expect(audit.map(a => JSON.parse(a.data))).toEqual([{ memberId: f.member2.id, grade: 'basic', ballotGrade: 'qualified', reason: '全年两次无故缺席组织生活' }])
  })

  it('closes the year only when every member has a grade; the member then sees their counts and grade', async () => {
    const early = await pushOne(f.admin.client, 'appraisal.step', { appraisalId, to: 'decided' })
    expect(early).toMatchObject({ status: 'rejected', code: 'APPRAISAL_UNDECIDED' })
    expect(early.message).toContain('还有 5 名党员未确定等次')
    // Before the decision the member sees their counts but no grade.
    expect((await f.member2.client.get(`/api/appraisals/year/${YEAR}`)).json().result).toMatchObject({ qualified: 3, basic: 2, finalGrade: null })
    for (const p of people().filter(p => p.id !== f.member2.id))
      expect(await pushOne(f.admin.client, 'appraisal.decide', { appraisalId, memberId: p.id, grade: p.id === f.leader.id ? 'excellent' : 'qualified', reason: '' })).toMatchObject({ status: 'applied' })
    expect(await pushOne(f.admin.client, 'appraisal.step', { appraisalId, to: 'decided' })).toMatchObject({ status: 'applied', entity: { status: 'decided' } })
    expect((await f.member2.client.get(`/api/appraisals/year/${YEAR}`)).json().result).toEqual({ excellent: 0, qualified: 3, basic: 2, unqualified: 0, finalGrade: 'basic', reason: '全年两次无故缺席组织生活' })
    expect(await pushOne(f.admin.client, 'appraisal.decide', { appraisalId, memberId: f.member2.id, grade: 'qualified', reason: '改' })).toMatchObject({ code: 'APPRAISAL_STEP' })
  })
})
