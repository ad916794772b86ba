import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { group, person, pledgeBody, publishedPledge } from '../pledge-helper'
import { op, push } from '../sync-helper'

let t: TestApp
let admin: Client
let alice: Person
let bob: Person
let slug: string

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = setup.admin
  const g = await group(t, setup.branchId, '检验一组')
  alice = await person(t, setup.branchId, 'alice', 'member', g)
  bob = await person(t, setup.branchId, 'bob', 'member', g)
  slug = (await alice.client.get('/api/pledges/board-link')).json().slug
})
afterEach(async () => {
  await t.close()
})

/** The public: no cookie; the CSRF header only when our own page sends it. */
function anonymous(method: 'GET' | 'POST', url: string, payload?: unknown, csrf = true, ip = '203.0.113.7') {
  return t.app.inject({ method, url, payload: payload as object, remoteAddress: ip, headers: csrf ? { 'x-xianfeng': '1' } : {} })
}
const feedbackCount = async () => Number((await t.handle.db.selectFrom('pledge_feedback').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

describe('the public board', () => {
  it('should keep one unguessable slug per branch, the same every time (200)', async () => {
    expect(slug).toMatch(/^[\w-]{16}$/)
    expect((await admin.get('/api/pledges/board-link')).json().slug).toBe(slug)
  })

  it('should show published pledges with name, group, items and progress to anyone without logging in (200)', async () => {
    const pledge = await publishedPledge(alice, admin)
    await push(alice.client, [op('pledge.progress', { id: randomUUID(), itemId: pledge.items[0]!.id, status: 'in_progress', percent: 60, note: '私人备注' })])
    const res = await anonymous('GET', `/api/board/${slug}`)
    expect(res.statusCode).toBe(200)
    const board = res.json()
    expect(board.branchName).toBe('测试支部')
    expect(board.pledges).toHaveLength(1)
    expect(board.pledges[0]).toMatchObject({ ownerName: 'alice-name', groupName: '检验一组', supervisor: '张书记', liveStatus: 'in_progress' })
    expect(board.pledges[0].items[0]).toMatchObject({ category: 'excel', progressStatus: 'in_progress', percent: 60 })
  })

  it('should hide drafts, submitted, returned and approved pledges, phones, login names, ids of members and progress notes (200)', async () => {
    await publishedPledge(alice, admin)
    const draft = (await bob.client.post('/api/pledges', pledgeBody())).json()
    const submitted = (await bob.client.post('/api/pledges', pledgeBody())).json()
    await bob.client.post(`/api/pledges/${submitted.id}/submit`)
    const approved = (await bob.client.post('/api/pledges', pledgeBody())).json()
    await bob.client.post(`/api/pledges/${approved.id}/submit`)
    await admin.post(`/api/pledges/${approved.id}/approve`)
    const text = (await anonymous('GET', `/api/board/${slug}`)).body
    for (const secret of [draft.id, submitted.id, approved.id, 'bob-name', '13800001111', '"alice"', alice.id, 'memberId', 'createdBy', 'login', 'phone', '私人备注', 'progressNote'])
      expect(text).not.toContain(secret)
    expect(text).toContain('alice-name')
  })

  it('should answer an unknown or malformed slug with not found (404, 400)', async () => {
    expect((await anonymous('GET', '/api/board/AAAAAAAAAAAAAAAA')).statusCode).toBe(404)
    expect((await anonymous('GET', '/api/board/<script>')).statusCode).toBe(400)
  })
})

describe('public supervision feedback', () => {
  it('should take feedback as pending, show it only after the branch approves it, and keep HTML as text (200)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const text = '<b>窗口</b>服务态度很好'
    const res = await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, name: '群众', text })
    expect(res.json()).toEqual({ status: 'pending' })
    expect((await anonymous('GET', `/api/board/${slug}`)).body).not.toContain('服务态度很好')
    const pending = (await admin.get('/api/pledges/feedback')).json()
    expect(pending).toMatchObject([{ pledgeId: pledge.id, text, status: 'pending', ownerName: 'alice-name' }])
    expect((await admin.post(`/api/pledges/feedback/${pending[0].id}/moderate`, { decision: 'approve' })).statusCode).toBe(200)
    const board = (await anonymous('GET', `/api/board/${slug}`)).json()
    expect(board.pledges[0].feedback).toEqual([{ name: '群众', text, createdAt: expect.any(String) }])
  })

  it('should never show rejected feedback and refuse moderating twice or by a member (409, 403)', async () => {
    const pledge = await publishedPledge(alice, admin)
    await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: '广告 spam' })
    const [fb] = (await admin.get('/api/pledges/feedback')).json()
    expect((await alice.client.post(`/api/pledges/feedback/${fb.id}/moderate`, { decision: 'approve' })).statusCode).toBe(403)
    await admin.post(`/api/pledges/feedback/${fb.id}/moderate`, { decision: 'reject' })
    expect((await admin.post(`/api/pledges/feedback/${fb.id}/moderate`, { decision: 'approve' })).statusCode).toBe(409)
    expect((await anonymous('GET', `/api/board/${slug}`)).body).not.toContain('spam')
  })

  it('should refuse feedback without our page\'s header, on an unpublished pledge, oversized or empty, storing nothing (403, 404, 400)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const draft = (await bob.client.post('/api/pledges', pledgeBody())).json()
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: 'hi' }, false)).statusCode).toBe(403)
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: draft.id, text: 'hi' })).statusCode).toBe(404)
    const big = await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: 'x'.repeat(501) })
    expect(big.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION' })
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: '  ' })).statusCode).toBe(400)
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: 'hi', extra: 1 })).statusCode).toBe(400)
    expect(await feedbackCount()).toBe(0)
  })

  it('should limit feedback per address and tell when to try again, while another address still gets through (429)', async () => {
    const pledge = await publishedPledge(alice, admin)
    for (let i = 0; i < 5; i++)
      expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: `第${i}条` })).statusCode).toBe(200)
    const limited = await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: '第6条' })
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['retry-after']).toBeDefined()
    expect(limited.json().message).toMatch(/分钟后再试/)
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: '另一个人' }, true, '198.51.100.9')).statusCode).toBe(200)
    expect(await feedbackCount()).toBe(6)
  })

  it('should limit feedback per board whatever the address (429)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const branch = await t.handle.db.selectFrom('pledge_board').select('branch_id').executeTakeFirstOrThrow()
    await t.handle.db.insertInto('rate_limit').values({ key: `board:slug:${branch.branch_id}`, window_start: Date.now() - (Date.now() % 3_600_000), count: 100 }).execute()
    expect((await anonymous('POST', `/api/board/${slug}/feedback`, { pledgeId: pledge.id, text: 'hi' }, true, '192.0.2.44')).statusCode).toBe(429)
    expect(await feedbackCount()).toBe(0)
  })
})
