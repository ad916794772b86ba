import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, Client } from '../helper'
import { countRows, MEMBER_PASSWORD, orgFixture, tokenOf } from '../org-helper'

/* Who logged in, changed a password or accepted an invite, and when, is in the branch's audit
   log (GET /api/audit); what they typed is not. */
let t: TestApp
let f: OrgFixture
beforeAll(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterAll(async () => t?.close())

async function auditAfter(before: number) {
  const rows = await t.handle.db.selectFrom('audit_log').selectAll().orderBy('created_at').orderBy('id').execute()
  return rows.slice(before)
}

async function allAuditText(): Promise<string> {
  return JSON.stringify(await t.handle.db.selectFrom('audit_log').selectAll().execute())
}

describe('audit of logins, password changes and invite acceptance', () => {
  it('should record a successful login with who and when, and nothing for a wrong password (200, 401)', async () => {
    const before = await countRows(t.handle, 'audit_log')
    expect((await new Client(t.app).post('/api/auth/login', { login: 'member1', password: 'not-the-password' })).statusCode).toBe(401)
    expect((await new Client(t.app).post('/api/auth/login', { login: 'nobody-here', password: 'not-the-password' })).statusCode).toBe(401)
    expect(await countRows(t.handle, 'audit_log')).toBe(before)

    const started = new Date().toISOString()
    const res = await new Client(t.app).post('/api/auth/login', { login: 'member1', password: MEMBER_PASSWORD })
    expect(res.statusCode).toBe(200)
    const rows = await auditAfter(before)
    expect(rows).toEqual([expect.objectContaining({ action: 'auth.login', actor_id: f.member.id, branch_id: f.branchId, entity: 'member', entity_id: f.member.id })])
    expect(rows[0]!.created_at >= started).toBe(true)
    expect(await allAuditText()).not.toContain(MEMBER_PASSWORD)
  })

  it('should record a password change by its member without the old or new password, and nothing for a wrong current one (200, 400)', async () => {
    const person = new Client(t.app)
    await person.post('/api/auth/login', { login: 'member2', password: MEMBER_PASSWORD })
    const before = await countRows(t.handle, 'audit_log')
    expect((await person.post('/api/auth/password', { currentPassword: 'wrong-current-1', newPassword: 'brand-new-pass-1' })).statusCode).toBe(400)
    expect(await countRows(t.handle, 'audit_log')).toBe(before)

    expect((await person.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: 'brand-new-pass-1' })).statusCode).toBe(200)
    const rows = await auditAfter(before)
    expect(rows).toEqual([expect.objectContaining({ action: 'auth.password', actor_id: f.member2.id, branch_id: f.branchId, entity_id: f.member2.id })])
    const text = await allAuditText()
    expect(text).not.toContain('brand-new-pass-1')
    expect(text).not.toContain(MEMBER_PASSWORD)
    const hash = (await t.handle.db.selectFrom('member').select('password_hash').where('id', '=', f.member2.id).executeTakeFirstOrThrow()).password_hash!
    expect(text).not.toContain(hash)
  })

  it('should record an invite accepted by the invited member, shown to the branch admin, without the password or the token (200)', async () => {
    const created = await f.admin.client.post('/api/members', { name: '王五', login: 'wangwu', role: 'member', groupId: f.group1 })
    const memberId = created.json().id as string
    const { url } = (await f.admin.client.post(`/api/members/${memberId}/invite`)).json() as { url: string }
    const before = await countRows(t.handle, 'audit_log')
    expect((await new Client(t.app).post(`/api/invites/${tokenOf(url)}/accept`, { password: 'wangwu-pass-1' })).statusCode).toBe(200)
    // A second use of the link is refused and leaves no row.
    expect((await new Client(t.app).post(`/api/invites/${tokenOf(url)}/accept`, { password: 'wangwu-pass-2' })).statusCode).toBe(410)
    const rows = await auditAfter(before)
    expect(rows).toEqual([expect.objectContaining({ action: 'invite.accept', actor_id: memberId, branch_id: f.branchId, entity_id: memberId })])
    expect(JSON.parse(rows[0]!.data)).toEqual({ login: 'wangwu' })
    const text = await allAuditText()
    expect(text).not.toContain('wangwu-pass-1')
    expect(text).not.toContain(tokenOf(url))

    const shown = (await f.admin.client.get('/api/audit?pageSize=5')).json().entries as { action: string, actorName: string | null }[]
    expect(shown[0]).toMatchObject({ action: 'invite.accept', actorName: '王五' })
    // Another branch's admin does not see it.
    const other = (await f.otherAdmin.client.get('/api/audit?pageSize=50')).json().entries as { action: string, actorId: string }[]
    expect(other.some(e => e.actorId === memberId)).toBe(false)
  })
})
