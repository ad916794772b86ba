import type { TestApp } from './helper'
import type { OrgFixture } from './org-helper'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, TEST_PASSWORD_PARAMS } from './helper'
import { MEMBER_PASSWORD, memberRow, orgFixture, tokenOf } from './org-helper'

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

async function createMember(login = 'zhangsan') {
  const res = await f.admin.client.post('/api/members', { name: '张三', login, role: 'member', groupId: f.group1 })
  return res.json().id as string
}
const invite = (memberId: string) => f.admin.client.post(`/api/members/${memberId}/invite`)
const accept = (token: string, password = 'new-password-1') => new Client(t.app).post(`/api/invites/${token}/accept`, { password })

describe('inviting a new member', () => {
  it('should give a one-time link that lets the member set a password and then log in (200)', async () => {
    const id = await createMember()
    const res = await invite(id)
    expect(res.statusCode).toBe(200)
    const { url, expiresAt } = res.json()
    expect(url).toMatch(/^http:\/\/localhost(?::\d+)?\/invite#[\w-]{43}$/)
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThan(7.1)

    const info = await new Client(t.app).get(`/api/invites/${tokenOf(url)}`)
    expect(info.json()).toMatchObject({ memberName: '张三', login: 'zhangsan', branchName: '测试支部' })
    const member = new Client(t.app)
    const accepted = await member.post(`/api/invites/${tokenOf(url)}/accept`, { password: 'new-password-1' })
    expect(accepted.statusCode).toBe(200)
    expect((await member.get('/api/auth/me')).json()).toMatchObject({ id, groupName: '第一党小组' })
    const login = await new Client(t.app).post('/api/auth/login', { login: 'zhangsan', password: 'new-password-1' })
    expect(login.statusCode).toBe(200)
    expect((await memberRow(t.handle, id)).password_hash).not.toBeNull()
  })

  it('should store only a hash of the token and audit the invite without the token', async () => {
    const id = await createMember()
    const { url } = (await invite(id)).json()
    const row = await t.handle.db.selectFrom('invite').selectAll().where('member_id', '=', id).executeTakeFirstOrThrow()
    expect(row.token_hash).not.toBe(tokenOf(url))
    expect(row.created_by).toBe(f.admin.id)
    const audit = await t.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.invite').executeTakeFirstOrThrow()
    expect(audit.data).not.toContain(tokenOf(url))
  })

  it('should answer 410 when the link is used a second time, and keep the first password', async () => {
    const id = await createMember()
    const token = tokenOf((await invite(id)).json().url)
    expect((await accept(token)).statusCode).toBe(200)
    const hash = (await memberRow(t.handle, id)).password_hash
    const again = await accept(token, 'another-pass-2')
    expect(again.statusCode).toBe(410)
    expect(again.json().code).toBe('INVITE_USED')
    expect((await memberRow(t.handle, id)).password_hash).toBe(hash)
  })

  it('should answer 410 with "expired" for a link past its expiry and set no password', async () => {
    const id = await createMember()
    const token = tokenOf((await invite(id)).json().url)
    await t.handle.db.updateTable('invite').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('member_id', '=', id).execute()
    const res = await accept(token)
    expect(res.statusCode).toBe(410)
    expect(res.json().code).toBe('INVITE_EXPIRED')
    expect((await memberRow(t.handle, id)).password_hash).toBeNull()
  })

  it('should make an earlier unused link stop working when a new one is issued (410 old, 200 new)', async () => {
    const id = await createMember()
    const first = tokenOf((await invite(id)).json().url)
    const second = tokenOf((await invite(id)).json().url)
    expect((await accept(first)).statusCode).toBe(410)
    expect((await accept(second)).statusCode).toBe(200)
  })

  it('should refuse to invite a deactivated member (409) and kill their pending link on deactivation (410)', async () => {
    const id = await createMember()
    const token = tokenOf((await invite(id)).json().url)
    await f.admin.client.patch(`/api/members/${id}`, { active: false })
    expect((await accept(token)).statusCode).toBe(410)
    const res = await invite(id)
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('MEMBER_INACTIVE')
  })

  it('should answer 404 for an invite to a member of another branch and issue nothing', async () => {
    const res = await invite(f.otherMember.id)
    expect(res.statusCode).toBe(404)
    expect(await t.handle.db.selectFrom('invite').selectAll().execute()).toHaveLength(0)
  })

  it('should use PUBLIC_URL as the link\'s origin when it is configured', async () => {
    const config = loadConfig({ PORT: '0', PUBLIC_URL: 'https://xf.example.org/' })
    const app = await buildApp({ config, database: t.handle, passwordParams: TEST_PASSWORD_PARAMS })
    const admin = new Client(app)
    admin.cookie = f.admin.client.cookie
    const res = await admin.post(`/api/members/${f.member.id}/invite`)
    expect(res.json().url).toMatch(/^https:\/\/xf\.example\.org\/invite#/)
  })
})

describe('a lost password', () => {
  it('should be replaced through a new invite, which logs out the member\'s old devices (200)', async () => {
    const res = await invite(f.member.id)
    expect(res.statusCode).toBe(200)
    const audit = await t.handle.db.selectFrom('audit_log').select('data').where('action', '=', 'member.invite').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.data).resetsPassword).toBe(true)
    expect((await accept(tokenOf(res.json().url), 'fresh-password-9')).statusCode).toBe(200)
    expect((await f.member.client.get('/api/auth/me')).statusCode).toBe(401)
    expect((await new Client(t.app).post('/api/auth/login', { login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(401)
    expect((await new Client(t.app).post('/api/auth/login', { login: 'member1', password: 'fresh-password-9' })).statusCode).toBe(200)
  })
})
