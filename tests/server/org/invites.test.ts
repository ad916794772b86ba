import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, TEST_PASSWORD_PARAMS } from '../helper'
import { MEMBER_PASSWORD, memberRow, orgFixture, tokenOf } from '../org-helper'

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

describe('the origin of an invite link (no Host header injection)', () => {
  const apps: Awaited<ReturnType<typeof buildApp>>[] = []
  async function appWith(env: Record<string, string>) {
    const app = await buildApp({ config: loadConfig({ PORT: '0', ...env }), database: t.handle, passwordParams: TEST_PASSWORD_PARAMS })
    apps.push(app)
    return app
  }
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(a => a.close()))
  })
  const inviteWith = (headers: Record<string, string>, app = t.app) => app.inject({
    method: 'POST',
    url: `/api/members/${f.member.id}/invite`,
    headers: { 'x-xianfeng': '1', 'cookie': f.admin.client.cookie, ...headers },
  })
  const invites = () => t.handle.db.selectFrom('invite').selectAll().where('member_id', '=', f.member.id).execute()

  it('should refuse a Host that is not the server\'s own without PUBLIC_URL (400 naming PUBLIC_URL) and issue nothing', async () => {
    const res = await inviteWith({ host: 'evil.example' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('PUBLIC_URL_NEEDED')
    expect(res.json().message).toMatch(/^无法生成链接.*PUBLIC_URL/)
    expect(res.body).not.toContain('evil.example')
    expect(await invites()).toHaveLength(0)
    for (const host of ['localhost.evil.example', 'evil.example@localhost', 'localhost/evil', '127.0.0.1.evil.example'])
      expect((await inviteWith({ host })).statusCode).toBe(400)
  })

  it('should build the link from a loopback Host, or from the configured HOST address', async () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080'])
      expect((await inviteWith({ host })).json().url).toMatch(new RegExp(`^http://${host.replace(/[.[\]]/g, '\\$&')}/invite#`))
    const lan = await appWith({ HOST: '192.0.2.10' })
    expect((await inviteWith({ host: '192.0.2.10:8080' }, lan)).json().url).toMatch(/^http:\/\/192\.0\.2\.10:8080\/invite#/)
    expect((await inviteWith({ host: '192.0.2.11:8080' }, lan)).statusCode).toBe(400)
  })

  it('should always use PUBLIC_URL when it is set, whatever Host or X-Forwarded-Host say', async () => {
    const app = await appWith({ PUBLIC_URL: 'https://xf.example.org', TRUST_PROXY: 'true' })
    const res = await inviteWith({ 'host': 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' }, app)
    expect(res.json().url).toMatch(/^https:\/\/xf\.example\.org\/invite#/)
  })

  it('should refuse an X-Forwarded-Host that is not the server\'s own under TRUST_PROXY, and ignore it without', async () => {
    const proxied = await appWith({ TRUST_PROXY: 'true' })
    expect((await inviteWith({ 'host': 'localhost:8080', 'x-forwarded-host': 'evil.example' }, proxied)).statusCode).toBe(400)
    const direct = await inviteWith({ 'host': 'localhost:8080', 'x-forwarded-host': 'evil.example' })
    expect(direct.json().url).toMatch(/^http:\/\/localhost:8080\/invite#/)
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
