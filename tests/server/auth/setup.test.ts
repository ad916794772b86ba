import type { TestApp } from '../helper'
import { localOrigin } from '#server/auth/origin'
import { issueSetupToken } from '#server/auth/setup'
import { loadConfig } from '#server/config'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, setUpBranch } from '../helper'

let t: TestApp
beforeEach(async () => {
  t = await buildTestApp()
})
afterEach(async () => {
  await t.close()
})

describe('first-start setup', () => {
  it('should create the branch and its first admin from the one-time token, then log them in', async () => {
    const { admin, me } = await setUpBranch(t.app, t.handle)
    expect(me).toMatchObject({ name: '管理员', role: 'branch_admin', branchName: '测试支部' })
    const res = await admin.get('/api/auth/me')
    expect(res.statusCode).toBe(200)
    expect(res.json().login).toBe('admin')
    const rows = await t.handle.db.selectFrom('member').select(['role']).execute()
    expect(rows).toEqual([{ role: 'branch_admin' }])
  })

  it('should return 400 and create nothing when the token is wrong', async () => {
    await issueSetupToken(t.handle.db)
    const res = await new Client(t.app).post('/api/setup', { token: 'not-the-token-at-all', branchName: '支部', adminName: '甲', login: 'x1', password: 'password-1' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('SETUP_TOKEN_INVALID')
    expect(await t.handle.db.selectFrom('branch').selectAll().execute()).toHaveLength(0)
  })

  it('should return 409 when setup is attempted again after an admin exists', async () => {
    await setUpBranch(t.app, t.handle)
    expect(await issueSetupToken(t.handle.db)).toBeNull()
    const res = await new Client(t.app).post('/api/setup', { token: 'x'.repeat(43), branchName: '第二支部', adminName: '乙', login: 'x2', password: 'password-1' })
    expect(res.statusCode).toBe(409)
    expect(await t.handle.db.selectFrom('branch').selectAll().execute()).toHaveLength(1)
  })

  it('should report needsSetup until the first admin exists', async () => {
    const client = new Client(t.app)
    expect((await client.get('/api/setup')).json()).toEqual({ needsSetup: true })
    await setUpBranch(t.app, t.handle)
    expect((await client.get('/api/setup')).json()).toEqual({ needsSetup: false })
  })

  it('should print the setup link at PUBLIC_URL, else at localhost or the specific HOST, over https with TLS', () => {
    expect(localOrigin(loadConfig({ PUBLIC_URL: 'https://xf.example.org/' }), 8080)).toBe('https://xf.example.org')
    expect(localOrigin(loadConfig({}), 8080)).toBe('http://localhost:8080')
    expect(localOrigin(loadConfig({ HOST: '127.0.0.1' }), 8080)).toBe('http://localhost:8080')
    expect(localOrigin(loadConfig({ HOST: '192.0.2.10' }), 8080)).toBe('http://192.0.2.10:8080')
    expect(localOrigin(loadConfig({ HOST: 'fd00::5' }), 443)).toBe('http://[fd00::5]:443')
    expect(localOrigin({ ...loadConfig({}), tlsCert: 'cert.pem', tlsKey: 'key.pem' }, 8443)).toBe('https://localhost:8443')
  })
})
