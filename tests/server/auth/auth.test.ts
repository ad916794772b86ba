import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client } from '../helper'
import { MEMBER_PASSWORD, orgFixture } from '../org-helper'

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

const login = (body: unknown, client = new Client(t.app)) => client.post('/api/auth/login', body)
const sessionsOf = (memberId: string) => t.handle.db.selectFrom('session').selectAll().where('member_id', '=', memberId).execute()

describe('logging in', () => {
  it('should log in with the login name in any case and set an HttpOnly session cookie (200)', async () => {
    const res = await login({ login: 'MEMBER1', password: MEMBER_PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: f.member.id, role: 'member', groupId: f.group1 })
    const cookie = res.cookies.find(c => c.name === 'xf_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })

  it('should answer a wrong password and an unknown login with the same generic 401', async () => {
    const wrong = await login({ login: 'member1', password: 'not-the-password' })
    const unknown = await login({ login: 'nobody-here', password: 'not-the-password' })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
    expect(wrong.json().message).toMatch(/登录名或密码不正确/)
    expect(wrong.cookies).toHaveLength(0)
  })

  it('should refuse a member who has no password yet (401)', async () => {
    const id = (await f.admin.client.post('/api/members', { name: '新人', login: 'newbie', role: 'member', groupId: null })).json().id
    expect(id).toBeTruthy()
    expect((await login({ login: 'newbie', password: '' })).statusCode).toBe(400)
    expect((await login({ login: 'newbie', password: 'anything-1' })).statusCode).toBe(401)
  })
})

describe('logging out and sessions', () => {
  it('should revoke the session on logout so the old cookie no longer works (401)', async () => {
    const stolen = f.member.client.cookie
    expect((await f.member.client.post('/api/auth/logout')).statusCode).toBe(200)
    const replay = new Client(t.app)
    replay.cookie = stolen
    expect((await replay.get('/api/auth/me')).statusCode).toBe(401)
    expect((await sessionsOf(f.member.id)).every(s => s.revoked_at !== null)).toBe(true)
  })

  it('should store only hashes of session tokens', async () => {
    const token = f.member.client.cookie.split('=')[1]
    const rows = await sessionsOf(f.member.id)
    expect(rows.map(r => r.token_hash)).not.toContain(token)
  })

  it('should answer 401 to every protected route without a session', async () => {
    const anon = new Client(t.app)
    expect((await anon.get('/api/auth/me')).statusCode).toBe(401)
    expect((await anon.post('/api/auth/password', { currentPassword: 'a', newPassword: 'b'.repeat(8) })).statusCode).toBe(401)
  })
})

describe('the app\'s session check at start', () => {
  it('should answer nobody with 200 {member: null}, not 401, and the member once logged in', async () => {
    const anon = new Client(t.app)
    const none = await anon.get('/api/auth/session')
    expect(none.statusCode).toBe(200)
    expect(none.json()).toEqual({ member: null })
    const mine = await f.member.client.get('/api/auth/session')
    expect(mine.statusCode).toBe(200)
    expect(mine.json().member).toMatchObject({ id: f.member.id, role: 'member', groupId: f.group1 })
  })

  it('should answer {member: null} for a revoked session, so the phone ends on the login page', async () => {
    const stolen = f.member.client.cookie
    await f.member.client.post('/api/auth/logout')
    const replay = new Client(t.app)
    replay.cookie = stolen
    const res = await replay.get('/api/auth/session')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ member: null })
  })
})

describe('changing the password', () => {
  it('should change it, keep this device logged in and log out every other device (200)', async () => {
    const phone2 = new Client(t.app)
    await login({ login: 'member1', password: MEMBER_PASSWORD }, phone2)
    const res = await f.member.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: 'brand-new-pass' })
    expect(res.statusCode).toBe(200)
    expect((await f.member.client.get('/api/auth/me')).statusCode).toBe(200)
    expect((await phone2.get('/api/auth/me')).statusCode).toBe(401)
    expect((await login({ login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(401)
    expect((await login({ login: 'member1', password: 'brand-new-pass' })).statusCode).toBe(200)
  })

  it('should refuse a wrong current password (400) and keep the old one', async () => {
    const res = await f.member.client.post('/api/auth/password', { currentPassword: 'wrong-current', newPassword: 'brand-new-pass' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('WRONG_PASSWORD')
    expect((await login({ login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(200)
  })

  it('should refuse a new password shorter than 8 characters (400)', async () => {
    const res = await f.member.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: 'short' })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/newPassword/)
  })
})
