import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import type { UpperPerson } from '../upper-helper'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { orgFixture } from '../org-helper'
import { publishedPledge, YEAR } from '../pledge-helper'
import { addUpperAdmin } from '../upper-helper'

/*
 * Issue 14 point 4: a branch's pledge to its upper organization (支部向上级党组织承诺) gets its 评诺
 * from that organization, and the organization assesses its branches on 五个好 (支部争先). Branch A
 * is under organization A; the other branch is under organization B. SQLite, and PostgreSQL with
 * TEST_PG_URL.
 */
let t: TestApp
let f: OrgFixture
let upper: UpperPerson
let otherUpper: UpperPerson
beforeAll(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
  upper = await addUpperAdmin(t.app, t.handle, '机关工委', 'jggw', [f.branchId])
  otherUpper = await addUpperAdmin(t.app, t.handle, '另一工委', 'other.gw', [f.otherBranchId])
})
afterAll(async () => {
  await t.close()
})

const scores = { leadership: 4, members: 4, mechanism: 3, results: 3, masses: 3 }

describe('a branch\'s pledge to its upper organization', () => {
  let pledge: { id: string, items: { id: string }[] }
  beforeAll(async () => {
    pledge = await publishedPledge({ client: f.admin.client, id: f.admin.id }, f.admin.client, { ownerKind: 'branch' })
  })

  it('should show the organization the branch\'s pledge with its items, and no member\'s pledge', async () => {
    const mine = await publishedPledge({ client: f.member.client, id: f.member.id }, f.admin.client)
    const res = await upper.client.get(`/api/upper/branches/${f.branchId}/pledges`)
    expect(res.statusCode, res.body).toBe(200)
    const ids = res.json().map((p: { id: string }) => p.id)
    expect(ids).toContain(pledge.id)
    expect(ids).not.toContain(mine.id)
    expect(res.json()[0].items).toHaveLength(2)
  })

  it('should refuse the branch admin the 评诺 of the branch\'s own pledge, saying who gives it', async () => {
    const res = await f.admin.client.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[0]!.id, result: 'kept' }] })
    expect(res.statusCode).toBe(403)
    expect(res.json().message).toContain('由上级党组织评诺')
    const item = await t.handle.db.selectFrom('pledge_item').select('result').where('id', '=', pledge.items[0]!.id).executeTakeFirstOrThrow()
    expect(item.result).toBeNull()
  })

  it('should let the organization give the 评诺 once, and the branch see it', async () => {
    const body = { items: [{ itemId: pledge.items[0]!.id, result: 'kept', comment: '按期完成' }] }
    const res = await upper.client.post(`/api/upper/branches/${f.branchId}/pledges/${pledge.id}/evaluate`, body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().points).toEqual([])
    const again = await upper.client.post(`/api/upper/branches/${f.branchId}/pledges/${pledge.id}/evaluate`, body)
    expect(again.statusCode).toBe(409)
    const seen = (await f.admin.client.get(`/api/pledges/${pledge.id}`)).json()
    expect(seen.items.find((i: { id: string }) => i.id === pledge.items[0]!.id)).toMatchObject({ result: 'kept', resultComment: '按期完成' })
  })

  it('should refuse another organization and a member\'s pledge, changing nothing', async () => {
    const other = await otherUpper.client.post(`/api/upper/branches/${f.branchId}/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[1]!.id, result: 'kept' }] })
    expect(other.statusCode).toBe(404)
    expect((await otherUpper.client.get(`/api/upper/branches/${f.branchId}/pledges`)).statusCode).toBe(404)
    const mine = await publishedPledge({ client: f.member2.client, id: f.member2.id }, f.admin.client)
    const member = await upper.client.post(`/api/upper/branches/${f.branchId}/pledges/${mine.id}/evaluate`, { items: [{ itemId: mine.items[0]!.id, result: 'kept' }] })
    expect(member.statusCode).toBe(403)
    const rows = await t.handle.db.selectFrom('pledge_item').select('result').where('pledge_id', 'in', [mine.id]).execute()
    expect(rows.every(r => r.result === null)).toBe(true)
    expect((await t.handle.db.selectFrom('pledge_item').select('result').where('id', '=', pledge.items[1]!.id).executeTakeFirstOrThrow()).result).toBeNull()
  })

  it('should still let a branch with no upper organization evaluate its own branch pledge', async () => {
    await t.handle.db.updateTable('branch').set({ upper_org_id: null }).where('id', '=', f.otherBranchId).execute()
    try {
      const own = await publishedPledge({ client: f.otherAdmin.client, id: f.otherAdmin.id }, f.otherAdmin.client, { ownerKind: 'branch' })
      const res = await f.otherAdmin.client.post(`/api/pledges/${own.id}/evaluate`, { items: [{ itemId: own.items[0]!.id, result: 'kept' }] })
      expect(res.statusCode, res.body).toBe(200)
    }
    finally {
      await t.handle.db.updateTable('branch').set({ upper_org_id: otherUpper.upperOrgId }).where('id', '=', f.otherBranchId).execute()
    }
  })
})

describe('支部争先: the organization assesses its branches', () => {
  let id: string
  it('should open an assessment per period, once', async () => {
    const res = await upper.client.post('/api/upper/assessments', { period: `${YEAR}-H2` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ title: `${YEAR}年下半年支部争先`, status: 'open', rated: 0, branches: 1 })
    id = res.json().id
    const twice = await upper.client.post('/api/upper/assessments', { period: `${YEAR}-H2` })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().message).toContain('已经建立')
  })

  it('should show each branch\'s figures beside its rating, and take a rating per branch', async () => {
    const before = (await upper.client.get(`/api/upper/assessments/${id}`)).json()
    expect(before.branches).toHaveLength(1)
    expect(before.branches[0]).toMatchObject({ figures: { id: f.branchId, members: expect.any(Number) }, rating: null })
    const rated = await upper.client.post(`/api/upper/assessments/${id}/branches/${f.branchId}`, { scores, comment: '班子团结' })
    expect(rated.statusCode, rated.body).toBe(200)
    expect(rated.json()).toMatchObject({ overall: 3.4, comment: '班子团结', ratedBy: '机关工委管理员' })
    // Replaced, not added: the organization has one voice per branch.
    await upper.client.post(`/api/upper/assessments/${id}/branches/${f.branchId}`, { scores: { ...scores, masses: 4 } })
    const after = (await upper.client.get(`/api/upper/assessments/${id}`)).json()
    expect(after.assessment.rated).toBe(1)
    expect(after.branches[0].rating).toMatchObject({ overall: 3.6, comment: '' })
  })

  it('should refuse a score off the scale, a branch of another organization and another organization itself', async () => {
    const off = await upper.client.post(`/api/upper/assessments/${id}/branches/${f.branchId}`, { scores: { ...scores, masses: 5 } })
    expect(off.statusCode).toBe(400)
    const foreign = await upper.client.post(`/api/upper/assessments/${id}/branches/${f.otherBranchId}`, { scores })
    expect(foreign.statusCode).toBe(404)
    expect((await otherUpper.client.get(`/api/upper/assessments/${id}`)).statusCode).toBe(404)
    expect((await otherUpper.client.post(`/api/upper/assessments/${id}/branches/${f.otherBranchId}`, { scores })).statusCode).toBe(404)
    const rows = await t.handle.db.selectFrom('branch_assessment_rating').selectAll().execute()
    expect(rows.map(r => r.branch_id)).toEqual([f.branchId])
  })

  it('should keep it from the branch until closed, then show the branch its own rating only', async () => {
    expect((await f.admin.client.get('/api/branch-assessments')).json().assessments).toEqual([])
    expect((await f.member.client.get('/api/branch-assessments')).statusCode).toBe(403)
    expect((await f.admin.client.post(`/api/upper/assessments/${id}/close`)).statusCode).toBe(403)
    const closed = await upper.client.post(`/api/upper/assessments/${id}/close`)
    expect(closed.statusCode, closed.body).toBe(200)
    const again = await upper.client.post(`/api/upper/assessments/${id}/close`)
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('机关工委管理员')
    const late = await upper.client.post(`/api/upper/assessments/${id}/branches/${f.branchId}`, { scores })
    expect(late.statusCode).toBe(409)
    const mine = (await f.admin.client.get('/api/branch-assessments')).json().assessments
    expect(mine).toHaveLength(1)
    expect(mine[0].rating).toMatchObject({ overall: 3.6 })
    expect((await f.otherAdmin.client.get('/api/branch-assessments')).json().assessments).toEqual([])
  })

  it('should answer an unknown assessment with 404 and a malformed id with 400', async () => {
    expect((await upper.client.get(`/api/upper/assessments/${randomUUID()}`)).statusCode).toBe(404)
    expect((await upper.client.get('/api/upper/assessments/not-an-id')).statusCode).toBe(400)
  })
})
