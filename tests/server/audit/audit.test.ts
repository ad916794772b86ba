import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { orgFixture } from '../org-helper'

/* GET /api/audit (src/server/audit/routes.ts) and the one writer every feature logs through
   (src/server/audit/writer.ts). */
let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

describe('reading the audit log', () => {
  it('should page the branch\'s audit log newest first with the actor\'s name, never another branch\'s (200)', async () => {
    // The fixture's logins are audited too: count from what is there now.
    const before = (await f.admin.client.get('/api/audit?pageSize=1')).json()
    const otherBefore = (await f.otherAdmin.client.get('/api/audit')).json().total as number
    await f.admin.client.post('/api/groups', { name: 'A' })
    await f.admin.client.post('/api/groups', { name: 'B' })
    await f.otherAdmin.client.post('/api/groups', { name: 'C' })
    const res = await f.admin.client.get('/api/audit?pageSize=2')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ page: 1, pageSize: 2, total: before.total + 2 })
    expect(body.entries.map((e: { data: { name: string } }) => e.data.name)).toEqual(['B', 'A'])
    expect(body.entries[0]).toMatchObject({ action: 'group.create', actorId: f.admin.id, actorName: '管理员' })
    const page2 = (await f.admin.client.get('/api/audit?pageSize=2&page=2')).json()
    expect(page2.entries[0].id).toBe(before.entries[0].id)
    const last = (await f.admin.client.get(`/api/audit?pageSize=1&page=${before.total + 2}`)).json()
    expect(last.entries.map((e: { action: string }) => e.action)).toEqual(['setup'])
    expect((await f.otherAdmin.client.get('/api/audit')).json().total).toBe(otherBefore + 1)
  })
})

describe('one log for every feature', () => {
  it('should list points changes beside organisation changes, by whom and in the order they were made (200)', async () => {
    const year = new Date().getFullYear()
    expect((await f.admin.client.request('PUT', '/api/points/settings', { baseScore: 80, ranking: false, opensOn: null })).statusCode).toBe(200)
    expect((await f.admin.client.patch(`/api/groups/${f.group1}`, { name: '一组' })).statusCode).toBe(200)
    expect((await f.admin.client.request('PUT', `/api/points/base/${year}`, { baseScore: 90 })).statusCode).toBe(200)
    const body = (await f.admin.client.get('/api/audit?pageSize=3')).json()
    expect(body.entries.map((e: { action: string }) => e.action)).toEqual(['points.base', 'group.rename', 'points.settings'])
    expect(body.entries[0]).toMatchObject({ actorId: f.admin.id, actorName: '管理员', data: { year, baseScore: 90 } })
    // The other branch's admin sees none of it.
    const other = (await f.otherAdmin.client.get('/api/audit')).json()
    expect(other.entries.map((e: { action: string }) => e.action)).not.toContain('points.settings')
  })
})
