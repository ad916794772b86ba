import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import type { UpperPerson } from '../upper-helper'
import { randomUUID } from 'node:crypto'
import { issueSetupToken } from '#server/auth/setup'
import { localDate } from '#shared/points/periods'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, Client } from '../helper'
import { orgFixture } from '../org-helper'
import { op, push } from '../sync-helper'
import { addUpperAdmin, UPPER_PASSWORD } from '../upper-helper'

/*
 * Many branches on one server (issue 14): the org fixture's two branches, the first under upper
 * organization A and the other under B. Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
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

const year = Number(localDate(new Date()).slice(0, 4))

/** The member logs 志愿服务 through the outbox and the branch admin approves it. */
async function approvedPoints(member: Client, admin: Client, branchId: string): Promise<void> {
  const rule = await t.handle.db.selectFrom('point_rule').select('id').where('branch_id', '=', branchId).where('key', '=', 'volunteer').executeTakeFirstOrThrow()
  const id = randomUUID()
  const res = await push(member, [op('entry.create', { id, ruleId: rule.id, date: localDate(new Date()), note: '私人备注：去医院看望母亲后参加' })])
  expect(res.json().results[0].status).toBe('applied')
  const approved = await admin.post('/api/points/approvals/approve', { ids: [id] })
  expect(approved.json().results[0].ok, approved.body).toBe(true)
}

/** Rows of every table a refused write could have touched. */
async function snapshot() {
  const tables = ['branch', 'party_group', 'member', 'point_entry', 'point_ledger', 'pledge', 'meeting', 'audit_log', 'setup_token', 'sync_op'] as const
  return Object.fromEntries(await Promise.all(tables.map(async name => [name, Number((await t.handle.db.selectFrom(name).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)])))
}

describe('the upper admin\'s login', () => {
  it('should log in on the same login endpoint and say who they are, with no member role', async () => {
    const me = (await upper.client.get('/api/auth/me')).json()
    expect(me).toMatchObject({ kind: 'upper', login: 'jggw', upperOrgName: '机关工委' })
    expect(me.role).toBeUndefined()
  })

  it('should refuse a member the login name of an upper admin (logins are unique across both)', async () => {
    const res = await f.admin.client.post('/api/members', { name: '冒名', login: 'JGGW', role: 'member', groupId: null })
    expect(res.statusCode).toBe(409)
  })

  it('should let the upper admin change their own password, and log their other devices out', async () => {
    const own = await addUpperAdmin(t.app, t.handle, '第三工委', 'third.gw', [])
    const otherDevice = new Client(t.app)
    expect((await otherDevice.post('/api/auth/login', { login: 'third.gw', password: UPPER_PASSWORD })).statusCode).toBe(200)

    const wrong = await own.client.post('/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'third-gw-pass-2' })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().message).toContain('当前密码不正确')
    const changed = await own.client.post('/api/auth/password', { currentPassword: UPPER_PASSWORD, newPassword: 'third-gw-pass-2' })
    expect(changed.statusCode, changed.body).toBe(200)

    // This device stays in; the other one must log in again, and only the new password works.
    expect((await own.client.get('/api/auth/me')).json()).toMatchObject({ kind: 'upper', login: 'third.gw' })
    expect((await otherDevice.get('/api/auth/me')).statusCode).toBe(401)
    expect((await new Client(t.app).post('/api/auth/login', { login: 'third.gw', password: UPPER_PASSWORD })).statusCode).toBe(401)
    expect((await new Client(t.app).post('/api/auth/login', { login: 'third.gw', password: 'third-gw-pass-2' })).statusCode).toBe(200)
  })

  it('should keep first-start setup closed once an upper organization runs the server', async () => {
    expect(await issueSetupToken(t.handle.db)).toBeNull()
  })
})

describe('a new branch and its setup link', () => {
  it('should let the upper admin make a branch whose first admin sets it up from the link, then close the link', async () => {
    const made = await upper.client.post('/api/upper/branches', { name: '第三支部' })
    expect(made.statusCode, made.body).toBe(200)
    const { branchId, setupUrl } = made.json()
    const token = setupUrl.split('#')[1]
    expect((await new Client(t.app).get(`/api/setup/${token}`)).json()).toEqual({ needsSetup: true, branchName: '第三支部' })

    const admin = new Client(t.app)
    const setUp = await admin.post('/api/setup', { token, branchName: '第三党支部', adminName: '新书记', login: 'third.admin', password: 'third-pass-1' })
    expect(setUp.statusCode, setUp.body).toBe(200)
    expect(setUp.json()).toMatchObject({ branchId, role: 'branch_admin', branchName: '第三党支部' })
    const branch = await t.handle.db.selectFrom('branch').selectAll().where('id', '=', branchId).executeTakeFirstOrThrow()
    expect(branch.upper_org_id).toBe(upper.upperOrgId)
    // Its own rules, nobody else's members.
    expect((await admin.get('/api/members')).json().map((m: { login: string }) => m.login)).toEqual(['third.admin'])
    expect((await admin.get('/api/points/rules')).json().rules.length).toBeGreaterThan(0)

    // The link is spent, and no new one is given for a branch with an admin.
    expect((await new Client(t.app).post('/api/setup', { token, branchName: 'x', adminName: 'y', login: 'third.two', password: 'third-pass-2' })).statusCode).toBe(409)
    const again = await upper.client.post(`/api/upper/branches/${branchId}/setup-link`)
    expect(again.statusCode).toBe(409)
    expect(again.json().params.reason ?? again.json().code).toBe('BRANCH_ALREADY_SET_UP')
    const overview = (await upper.client.get('/api/upper/overview')).json()
    expect(overview.branches.find((b: { id: string }) => b.id === branchId)).toMatchObject({ name: '第三党支部', setUp: true, members: 1 })
  })

  it('should refuse a branch name the organization already has (409) and add nothing', async () => {
    await upper.client.post('/api/upper/branches', { name: '重名支部' })
    const before = await snapshot()
    const res = await upper.client.post('/api/upper/branches', { name: '重名支部' })
    expect(res.statusCode).toBe(409)
    expect(await snapshot()).toEqual(before)
  })
})

describe('the read-only view', () => {
  it('should show its branches side by side with per-member averages and no personal detail', async () => {
    await approvedPoints(f.member.client, f.admin.client, f.branchId)
    const res = await upper.client.get(`/api/upper/overview?year=${year}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    const mine = body.branches.find((b: { id: string }) => b.id === f.branchId)
    // admin, leader1, member1, member2: 志愿服务 (2 points) over 4 members.
    // 三会一课 执行 is on the branch's own page (it reads the branch's year of attendance).
    expect(mine).toMatchObject({ members: 4, groups: 2, setUp: true, rhythm: null })
    expect(mine.points.serve).toBe(0.5)
    // Another organization's branch is not there at all.
    expect(body.branches.some((b: { id: string }) => b.id === f.otherBranchId)).toBe(false)
    const text = res.body
    for (const secret of ['member1', 'leader1', '私人备注', 'admin'])
      expect(text).not.toContain(secret)
  })

  it('should drill into a branch\'s groups with the same aggregates', async () => {
    const res = await upper.client.get(`/api/upper/branches/${f.branchId}`)
    expect(res.statusCode).toBe(200)
    const groups = res.json().groups as { id: string | null, members: number, points: { serve: number } }[]
    // No meeting all year: the months and quarters already over are missed, and it says so in counts.
    expect(res.json().branch.rhythm).toMatchObject({ meetingsHeld: 0, attendanceRate: null, late: 0 })
    expect(res.json().branch.rhythm.missedTypes).toBeGreaterThan(0)
    expect(groups.find(g => g.id === f.group1)).toMatchObject({ members: 2, points: { serve: 1 } })
    expect(groups.find(g => g.id === f.group2)).toMatchObject({ members: 1, points: { serve: 0 } })
    expect(groups.find(g => g.id === null)).toMatchObject({ members: 1 })
    expect(res.body).not.toContain('member1')
  })

  it('should refuse another upper organization\'s branch with 404 and make it no link', async () => {
    const before = await snapshot()
    expect((await otherUpper.client.get(`/api/upper/branches/${f.branchId}`)).statusCode).toBe(404)
    expect((await otherUpper.client.post(`/api/upper/branches/${f.branchId}/setup-link`)).statusCode).toBe(404)
    expect(await snapshot()).toEqual(before)
    const theirs = (await otherUpper.client.get('/api/upper/overview')).json().branches.map((b: { id: string }) => b.id)
    expect(theirs).toEqual([f.otherBranchId])
  })
})

describe('every write by the upper admin is refused', () => {
  it('should answer 403 UPPER_READ_ONLY to branch routes, pushes and public writes, and change nothing', async () => {
    const before = await snapshot()
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/groups', { name: '上级建的小组' }],
      ['PATCH', `/api/members/${f.member.id}`, { name: '改名' }],
      ['POST', `/api/members/${f.member.id}/invite`],
      ['POST', '/api/points/approvals/approve', { ids: [randomUUID()] }],
      ['POST', '/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [op('profile.update', { phone: null })] }],
      ['GET', '/api/members'],
      ['GET', '/api/points/settings'],
      ['GET', '/api/sync/pull'],
    ]
    for (const [method, url, body] of calls) {
      const res = await upper.client.request(method as 'GET', url, body ?? (method === 'GET' ? undefined : {}))
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403)
      expect(res.json().message).toContain('上级党组织管理员')
    }
    expect(await snapshot()).toEqual(before)
  })

  it('should refuse members, whatever their role, the upper organization\'s routes', async () => {
    for (const who of [f.admin, f.leader, f.member]) {
      expect((await who.client.get('/api/upper/overview')).statusCode).toBe(403)
      expect((await who.client.post('/api/upper/branches', { name: '自建支部' })).statusCode).toBe(403)
    }
    expect((await new Client(t.app).get('/api/upper/overview')).statusCode).toBe(401)
  })
})

describe('branches stay apart', () => {
  it('should refuse a branch admin another branch\'s member, group and entries (404) and change nothing', async () => {
    const before = await snapshot()
    expect((await f.admin.client.patch(`/api/members/${f.otherMember.id}`, { name: '越权' })).statusCode).toBe(404)
    expect((await f.admin.client.request('PATCH', `/api/groups/${f.otherGroup}`, { name: '越权' })).statusCode).toBe(404)
    expect((await f.admin.client.get(`/api/members/${f.otherMember.id}`)).statusCode).toBe(404)
    expect(await snapshot()).toEqual(before)
  })

  it('should refuse moving a member into another branch (its group, or a branchId) and leave them where they were', async () => {
    const before = await snapshot()
    const intoGroup = await f.admin.client.patch(`/api/members/${f.member.id}`, { groupId: f.otherGroup })
    expect([400, 404]).toContain(intoGroup.statusCode)
    const withBranch = await f.admin.client.patch(`/api/members/${f.member.id}`, { branchId: f.otherBranchId })
    expect(withBranch.statusCode).toBe(400)
    const row = await t.handle.db.selectFrom('member').select(['branch_id', 'group_id']).where('id', '=', f.member.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ branch_id: f.branchId, group_id: f.group1 })
    expect(await snapshot()).toEqual(before)
  })
})
