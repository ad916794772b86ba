import type { TestApp } from '../helper'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, seedDemo } from '#server/org/demo'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, TEST_PASSWORD_PARAMS } from '../helper'
import { countRows } from '../org-helper'

let t: TestApp
beforeEach(async () => {
  t = await buildTestApp()
})
afterEach(async () => {
  await t.close()
})

async function loginAs(login: string) {
  const client = new Client(t.app)
  const res = await client.post('/api/auth/login', { login, password: DEMO_PASSWORD })
  expect(res.statusCode, res.body).toBe(200)
  return { client, me: res.json() }
}

describe('the demo data', () => {
  it('should give an empty database a sample branch whose member and admin can log in and see it', async () => {
    await seedDemo(t.handle.db, { params: TEST_PASSWORD_PARAMS })
    const member = await loginAs(DEMO_LOGINS.member)
    expect(member.me).toMatchObject({ role: 'member', branchName: '示例党支部', groupName: '示例·第一党小组' })
    expect(member.me.name).toMatch(/^示例·/)
    const groups = (await member.client.get('/api/groups')).json()
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['示例·第一党小组', '示例·第二党小组', '示例·第三党小组'])
    expect(groups.map((g: { memberCount: number }) => g.memberCount)).toEqual([4, 3, 4])

    const admin = await loginAs(DEMO_LOGINS.admin)
    const members = (await admin.client.get('/api/members')).json() as { name: string, role: string, groupId: string | null, hasPassword: boolean }[]
    expect(members).toHaveLength(12)
    expect(members.every(m => m.name.startsWith('示例·') && m.hasPassword)).toBe(true)
    expect(members.filter(m => m.role === 'branch_admin')).toHaveLength(1)
    const leaderGroups = members.filter(m => m.role === 'group_leader').map(m => m.groupId)
    expect(new Set(leaderGroups)).toEqual(new Set(groups.map((g: { id: string }) => g.id)))
    // The seed is in the audit, then the year's work the demo did through the app's services.
    const actions = (await t.handle.db.selectFrom('audit_log').select('action').execute()).map(e => e.action)
    expect(actions).toEqual(expect.arrayContaining(['demo.seed', 'meeting.close', 'pledge.publish']))
    // The point rules are there, so 记积分 has something to offer.
    expect(Number((await t.handle.db.selectFrom('point_rule').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0)
  })

  it('should refuse a database that already has a branch and add nothing', async () => {
    await seedDemo(t.handle.db, { params: TEST_PASSWORD_PARAMS })
    const before = await countRows(t.handle, 'member')
    await expect(seedDemo(t.handle.db, { params: TEST_PASSWORD_PARAMS })).rejects.toBeInstanceOf(DemoRefused)
    expect(await countRows(t.handle, 'member')).toBe(before)
  })
})

const ALL_LOGINS = ['demo.admin', 'demo.leader1', 'demo.leader2', 'demo.leader3', ...Array.from({ length: 8 }, (_, i) => `demo.member${i + 1}`)]

describe('the demo\'s living year', () => {
  it('should hold entries in every status, varied scores, closed meetings with attendance and a published pledge with feedback', async () => {
    const { boardSlug } = await seedDemo(t.handle.db, { params: TEST_PASSWORD_PARAMS })
    const db = t.handle.db
    const thisYear = String(new Date().getFullYear())

    const entries = await db.selectFrom('point_entry').select(['status', 'stage', 'clipped', 'date', 'source']).execute()
    expect(new Set(entries.map(e => e.status))).toEqual(new Set(['pending', 'approved', 'returned', 'revoked']))
    // Waiting at both stages: the group leader's queue and, after the group passed it, the branch's.
    expect(new Set(entries.filter(e => e.status === 'pending').map(e => e.stage))).toEqual(new Set(['group', 'branch']))
    expect(entries.some(e => e.status === 'approved' && e.clipped > 0)).toBe(true)
    expect(entries.every(e => e.date.startsWith(thisYear) || e.date.slice(0, 4) === String(Number(thisYear) - 1))).toBe(true)
    expect(new Set(entries.map(e => e.date.slice(0, 7))).size).toBeGreaterThan(Math.min(3, new Date().getMonth()))

    // Every login works, and the year shows on the scores: not everyone at the base of 60.
    const totals: number[] = []
    for (const login of ALL_LOGINS) {
      const { client, me } = await loginAs(login)
      const summary = (await client.get('/api/points/summary')).json() as { total: number }
      expect(summary.total, login).toBeTypeOf('number')
      totals.push(summary.total)
      expect(me.login ?? login).toBe(login)
    }
    expect(new Set(totals).size).toBeGreaterThan(3)
    expect(totals.some(n => n > 60)).toBe(true)
    // …and the deductions are there too: a 缺席 at close, an organizer's 扣分.
    expect(Number((await db.selectFrom('point_ledger').select(eb => eb.fn.countAll<number>().as('n')).where('amount', '<', 0).executeTakeFirstOrThrow()).n)).toBeGreaterThanOrEqual(2)

    // Meetings: all closed but next week's, with QR check-ins, a 请假 and a 缺席.
    const meetings = await db.selectFrom('meeting').select(['id', 'status', 'starts_at']).execute()
    expect(meetings.filter(m => m.status === 'scheduled')).toHaveLength(1)
    expect(meetings.filter(m => m.status === 'closed').length).toBeGreaterThanOrEqual(10)
    const attendance = await db.selectFrom('meeting_attendance').select(['status', 'method']).execute()
    expect(attendance.filter(a => a.status === 'verified' && a.method === 'qr').length).toBeGreaterThan(30)
    expect(attendance.some(a => a.status === 'leave')).toBe(true)
    expect(attendance.some(a => a.status === 'absent')).toBe(true)

    // The member's pledge: published, with 践诺 records, one item judged 已兑现, and the public's message on the board.
    const member = await loginAs(DEMO_LOGINS.member)
    const pledges = (await member.client.get('/api/pledges')).json() as { status: string, memberId: string | null, items: { result: string | null, progressStatus: string | null }[] }[]
    const mine = pledges.find(p => p.memberId === member.me.id)!
    expect(mine.status).toBe('published')
    expect(mine.items.some(i => i.result === 'kept')).toBe(true)
    const board = await member.client.get(`/api/board/${boardSlug}`)
    expect(board.statusCode).toBe(200)
    expect(JSON.stringify(board.json())).toContain('办事窗口服务热情')
    expect(JSON.stringify(board.json())).not.toContain('希望公布抽检结果')
    expect(Number((await db.selectFrom('pledge_progress').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThanOrEqual(4)
    const statuses = (await db.selectFrom('pledge').select('status').execute()).map(p => p.status)
    expect(statuses).toEqual(expect.arrayContaining(['published', 'submitted', 'returned']))

    // 讲评: the member's group held its first-half review (closed, their averages shown), another group's is open.
    const reviews = (await member.client.get('/api/reviews')).json() as { id: string, status: string }[]
    const held = reviews.find(r => r.status === 'closed')!
    const result = (await member.client.get(`/api/reviews/${held.id}/my-result`)).json() as { overall: number | null, raters: { member: number } }
    expect(result.raters.member).toBeGreaterThanOrEqual(2)
    expect(result.overall).toBeGreaterThan(3)
    expect((await db.selectFrom('review_session').select('status').execute()).map(r => r.status).sort()).toEqual(['closed', 'open'])

    // The leader's home has work: entries of their group waiting.
    const leader = await loginAs(DEMO_LOGINS.leader)
    const queue = (await leader.client.get('/api/points/approvals')).json()
    expect(JSON.stringify(queue)).toContain('示例·')
  }, 60_000)
})

describe('npm run demo', () => {
  it('should fill a new database and print the logins and URL, then refuse to run again with exit 1', () => {
    const file = join(tmpdir(), 'xianfeng-tests', `demo-${randomUUID().slice(0, 8)}.db`)
    const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, PORT: '8123', PUBLIC_URL: '' }
    try {
      const first = spawnSync('npm', ['run', '--silent', 'demo'], { env, encoding: 'utf8', timeout: 90_000 })
      expect(first.status, first.stderr).toBe(0)
      expect(first.stdout).toContain('http://localhost:8123/login')
      for (const text of [DEMO_LOGINS.member, DEMO_LOGINS.leader, DEMO_LOGINS.admin, DEMO_PASSWORD, '示例党支部', 'http://localhost:8123/board/', '承诺审核'])
        expect(first.stdout).toContain(text)

      const second = spawnSync('npm', ['run', '--silent', 'demo'], { env, encoding: 'utf8', timeout: 90_000 })
      expect(second.status).toBe(1)
      expect(second.stderr).toMatch(/not empty/)
      expect(second.stderr).toContain(file)
    }
    finally {
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(`${file}${suffix}`, { force: true })
    }
  }, 200_000)
})
