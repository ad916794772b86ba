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
    await seedDemo(t.handle.db, TEST_PASSWORD_PARAMS)
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
    // Newest first: the logins just made, then the seed.
    expect((await admin.client.get('/api/audit')).json().entries.find((e: { action: string }) => e.action !== 'auth.login').action).toBe('demo.seed')
    // The point rules are there, so 记积分 has something to offer.
    expect(Number((await t.handle.db.selectFrom('point_rule').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0)
  })

  it('should refuse a database that already has a branch and add nothing', async () => {
    await seedDemo(t.handle.db, TEST_PASSWORD_PARAMS)
    const before = await countRows(t.handle, 'member')
    await expect(seedDemo(t.handle.db, TEST_PASSWORD_PARAMS)).rejects.toBeInstanceOf(DemoRefused)
    expect(await countRows(t.handle, 'member')).toBe(before)
  })
})

describe('npm run demo', () => {
  it('should fill a new database and print the logins and URL, then refuse to run again with exit 1', () => {
    const file = join(tmpdir(), 'xianfeng-tests', `demo-${randomUUID().slice(0, 8)}.db`)
    const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, PORT: '8123', PUBLIC_URL: '' }
    try {
      const first = spawnSync('npm', ['run', '--silent', 'demo'], { env, encoding: 'utf8', timeout: 90_000 })
      expect(first.status, first.stderr).toBe(0)
      expect(first.stdout).toContain('http://localhost:8123/login')
      for (const text of [DEMO_LOGINS.member, DEMO_LOGINS.admin, DEMO_PASSWORD, '示例党支部'])
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
