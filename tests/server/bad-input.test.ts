import type { TestApp } from './helper'
import type { OrgFixture } from './org-helper'
import { LIMITS } from '#shared/constants'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from './helper'
import { countRows, memberRow, orgFixture } from './org-helper'

/* Nothing bad input sends may cause a 500 or change data: every case checks the answer and
   that the rows are exactly as before. One branch for the file; no case may change it. */
let t: TestApp
let f: OrgFixture
beforeAll(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterAll(async () => {
  await t.close()
})

async function snapshot() {
  return {
    members: await countRows(t.handle, 'member'),
    groups: await countRows(t.handle, 'party_group'),
    audit: await countRows(t.handle, 'audit_log'),
    invites: await countRows(t.handle, 'invite'),
    member: await memberRow(t.handle, f.member.id),
  }
}

function raw(method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') {
  return t.app.inject({ method, url, payload, headers: { 'content-type': contentType, 'x-xianfeng': '1', 'cookie': f.admin.client.cookie } })
}

async function expectRefused(res: { statusCode: number, json: () => { code: string, message: string } }, status: number, messagePart?: RegExp) {
  expect(res.statusCode).toBe(status)
  const body = res.json()
  expect(body.message.length).toBeGreaterThan(5)
  if (messagePart)
    expect(body.message).toMatch(messagePart)
  return body
}

const valid = { name: '赵六', login: 'zhaoliu', role: 'member', groupId: null }

describe('bad input to the organization routes', () => {
  it('should answer malformed JSON with 400 and a message', async () => {
    const before = await snapshot()
    await expectRefused(await raw('POST', '/api/groups', '{"name": "第三'), 400)
    await expectRefused(await raw('POST', '/api/members', '{name: zhao}'), 400)
    await expectRefused(await raw('PATCH', `/api/members/${f.member.id}`, '[1,'), 400)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer fields of the wrong type with 400 naming the field', async () => {
    const before = await snapshot()
    const admin = f.admin.client
    await expectRefused(await admin.post('/api/members', { ...valid, name: { first: '赵' } }), 400, /name/)
    await expectRefused(await admin.post('/api/members', { ...valid, role: 'secretary' }), 400, /role/)
    await expectRefused(await admin.post('/api/members', { ...valid, groupId: 'group-one' }), 400, /groupId/)
    await expectRefused(await admin.post('/api/members', { ...valid, titles: [{ t: 1 }] }), 400, /titles/)
    await expectRefused(await admin.post('/api/members', { ...valid, titles: ['一', '二', '三', '四', '五', '六'] }), 400, /titles/)
    await expectRefused(await admin.post('/api/members', { ...valid, login: '有 空格' }), 400, /login/)
    await expectRefused(await admin.patch(`/api/members/${f.member.id}`, { active: 'maybe' }), 400, /active/)
    await expectRefused(await admin.patch(`/api/members/${f.member.id}`, { phone: 'call me' }), 400, /phone/)
    await expectRefused(await admin.post('/api/groups', { name: ['甲', '乙'] }), 400, /name/)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer missing, empty or blank required fields with 400', async () => {
    const before = await snapshot()
    const admin = f.admin.client
    await expectRefused(await admin.post('/api/members', { name: '赵六', role: 'member', groupId: null }), 400, /login/)
    await expectRefused(await admin.post('/api/members', { login: 'zhaoliu', role: 'member' }), 400)
    await expectRefused(await admin.post('/api/groups', {}), 400, /name/)
    await expectRefused(await admin.post('/api/groups', { name: '   ' }), 400, /name/)
    await expectRefused(await admin.post('/api/groups', { name: 'x'.repeat(LIMITS.nameMax + 1) }), 400, /name/)
    await expectRefused(await admin.patch(`/api/members/${f.member.id}`, {}), 400)
    await expectRefused(await admin.patch(`/api/groups/${f.group1}`, {}), 400, /name/)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer unknown fields with 400 instead of ignoring them', async () => {
    const before = await snapshot()
    const admin = f.admin.client
    await expectRefused(await admin.post('/api/groups', { name: '第三党小组', leader: f.member.id }), 400)
    await expectRefused(await admin.post('/api/members', { ...valid, password: 'let-me-in-1' }), 400)
    await expectRefused(await admin.patch(`/api/members/${f.member.id}`, { branchId: f.otherBranchId }), 400)
    await expectRefused(await admin.patch(`/api/members/${f.member.id}`, { name: '改名', passwordHash: 'x' }), 400)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer a body over the size limit with 413 and say the limit', async () => {
    const before = await snapshot()
    const big = JSON.stringify({ name: 'x'.repeat(LIMITS.bodyBytes + 10) })
    const body = await expectRefused(await raw('POST', '/api/groups', big), 413)
    expect(body.message).toContain(String(LIMITS.bodyBytes))
    await expectRefused(await raw('PATCH', `/api/members/${f.member.id}`, big), 413)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer a form post with 415 and plain text with 400', async () => {
    const before = await snapshot()
    await expectRefused(await raw('POST', '/api/groups', 'name=第三党小组', 'application/x-www-form-urlencoded'), 415)
    // Fastify parses text/plain itself; the string then fails the object schema.
    await expectRefused(await raw('POST', '/api/groups', '第三党小组', 'text/plain'), 400)
    expect(await snapshot()).toEqual(before)
  })

  it('should answer malformed ids and query values with 400', async () => {
    const before = await snapshot()
    const admin = f.admin.client
    await expectRefused(await admin.get('/api/members/123'), 400, /id/)
    await expectRefused(await admin.patch('/api/members/../groups', { name: 'x' }), 404)
    await expectRefused(await admin.delete('/api/groups/not-a-uuid'), 400, /id/)
    await expectRefused(await admin.post('/api/members/%27%20or%201=1--/invite'), 400)
    await expectRefused(await admin.get('/api/members?active=perhaps'), 400, /active/)
    await expectRefused(await admin.get('/api/members?groupId=1'), 400, /groupId/)
    await expectRefused(await admin.get('/api/audit?page=0'), 400, /page/)
    await expectRefused(await admin.get('/api/audit?pageSize=100000'), 400, /pageSize/)
    await expectRefused(await admin.get('/api/audit?page=two'), 400, /page/)
    expect(await snapshot()).toEqual(before)
  })
})
