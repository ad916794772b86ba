import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { countRows, MEMBER_PASSWORD, memberRow, orgFixture } from '../org-helper'

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

const ids = (res: { json: () => unknown }) => (res.json() as { id: string }[]).map(m => m.id).sort()
const lastAudit = () => t.handle.db.selectFrom('audit_log').selectAll().orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
const newMember = { name: '王小明', login: 'wangxm', phone: '13800000000', role: 'member', titles: ['组长', ' 组长 ', '办公室主任'], groupId: null as string | null }

describe('listing and viewing members', () => {
  it('should show a branch admin every member of the branch, active or not, with group names (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { active: false })
    const res = await f.admin.client.get('/api/members')
    expect(res.statusCode).toBe(200)
    expect(ids(res)).toEqual([f.admin.id, f.leader.id, f.member.id, f.member2.id].sort())
    const m = (res.json() as { id: string }[]).find(x => x.id === f.member.id)
    expect(m).toMatchObject({ login: 'member1', role: 'member', groupId: f.group1, groupName: '第一党小组', active: true, hasPassword: true })
    expect(m).not.toHaveProperty('password_hash')
    expect(ids(await f.admin.client.get('/api/members?active=false'))).toEqual([f.member2.id])
    expect(ids(await f.admin.client.get(`/api/members?groupId=${f.group2}`))).toEqual([f.member2.id])
  })

  it('should show a group leader only their own group, whatever group they ask for (200)', async () => {
    expect(ids(await f.leader.client.get('/api/members'))).toEqual([f.leader.id, f.member.id].sort())
    expect(ids(await f.leader.client.get(`/api/members?groupId=${f.group2}`))).toEqual([f.leader.id, f.member.id].sort())
  })

  it('should let a group leader open a member of their group (200) but not of another group (403)', async () => {
    expect((await f.leader.client.get(`/api/members/${f.member.id}`)).json().name).toBe('member1')
    const res = await f.leader.client.get(`/api/members/${f.member2.id}`)
    expect(res.statusCode).toBe(403)
    expect(res.json().message).toMatch(/本党小组/)
  })

  it('should answer 404 for a member of another branch, exactly as for an id that does not exist', async () => {
    const other = await f.admin.client.get(`/api/members/${f.otherMember.id}`)
    const missing = await f.admin.client.get('/api/members/00000000-0000-4000-8000-000000000000')
    expect(other.statusCode).toBe(404)
    expect(other.json()).toEqual(missing.json())
  })
})

describe('creating members', () => {
  it('should create a member without a password, clean the titles and audit it (200)', async () => {
    const res = await f.admin.client.post('/api/members', { ...newMember, groupId: f.group2 })
    expect(res.statusCode).toBe(200)
    const m = res.json()
    expect(m).toMatchObject({ name: '王小明', login: 'wangxm', phone: '13800000000', titles: ['组长', '办公室主任'], groupId: f.group2, groupName: '第二党小组', active: true, hasPassword: false })
    const row = await memberRow(t.handle, m.id)
    expect(row).toMatchObject({ branch_id: f.branchId, password_hash: null, active: 1 })
    expect(await lastAudit()).toMatchObject({ action: 'member.create', entity_id: m.id, actor_id: f.admin.id })
  })

  it('should refuse a login already used in any branch, ignoring case (409), and create nothing', async () => {
    const before = await countRows(t.handle, 'member')
    const res = await f.admin.client.post('/api/members', { ...newMember, login: 'OtherMember' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('LOGIN_TAKEN')
    expect(await countRows(t.handle, 'member')).toBe(before)
  })

  it('should refuse a group leader without a group (400)', async () => {
    const res = await f.admin.client.post('/api/members', { ...newMember, role: 'group_leader' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('LEADER_NEEDS_GROUP')
  })

  it('should answer 404 for a group of another branch and create nothing', async () => {
    const before = await countRows(t.handle, 'member')
    const res = await f.admin.client.post('/api/members', { ...newMember, groupId: f.otherGroup })
    expect(res.statusCode).toBe(404)
    expect(await countRows(t.handle, 'member')).toBe(before)
  })
})

describe('editing, moving, deactivating', () => {
  it('should edit only the given fields and audit what changed from what (200)', async () => {
    const res = await f.admin.client.patch(`/api/members/${f.member.id}`, { name: '李四', titles: ['副组长'], phone: null })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: '李四', login: 'member1', titles: ['副组长'], phone: null, groupId: f.group1 })
    const audit = await lastAudit()
    expect(audit.action).toBe('member.update')
    expect(JSON.parse(audit.data)).toEqual({ name: { from: 'member1', to: '李四' }, titles: { from: [], to: ['副组长'] } })
  })

  it('should move a member to another group and log it as a move; the member pulls their new group (200)', async () => {
    const res = await f.admin.client.patch(`/api/members/${f.member.id}`, { groupId: f.group2 })
    expect(res.json()).toMatchObject({ groupId: f.group2, groupName: '第二党小组' })
    expect((await lastAudit()).action).toBe('member.move')
    const pull = await f.member.client.get('/api/sync/pull')
    const change = (pull.json().changes as { entity: string, entityId: string, data: { groupId: string } }[]).find(c => c.entity === 'member')
    expect(change).toMatchObject({ entityId: f.member.id, data: { groupId: f.group2 } })
    expect((await f.member2.client.get('/api/sync/pull')).json().changes.filter((c: { entity: string }) => c.entity === 'member')).toEqual([])
  })

  it('should deactivate a member, log them out everywhere and keep their row; reactivating lets them log in again (200)', async () => {
    const res = await f.admin.client.patch(`/api/members/${f.member.id}`, { active: false })
    expect(res.statusCode).toBe(200)
    expect(res.json().active).toBe(false)
    expect((await f.member.client.get('/api/auth/me')).statusCode).toBe(401)
    expect((await memberRow(t.handle, f.member.id)).active).toBe(0)
    expect((await lastAudit()).action).toBe('member.deactivate')
    expect((await f.member.client.post('/api/auth/login', { login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(401)

    expect((await f.admin.client.patch(`/api/members/${f.member.id}`, { active: true })).statusCode).toBe(200)
    expect((await lastAudit()).action).toBe('member.reactivate')
    expect((await f.member.client.post('/api/auth/login', { login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(200)
  })

  it('should refuse to let the last active branch admin demote or deactivate themself (409)', async () => {
    for (const body of [{ role: 'member' }, { active: false }]) {
      const res = await f.admin.client.patch(`/api/members/${f.admin.id}`, body)
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('LAST_ADMIN')
    }
    expect(await memberRow(t.handle, f.admin.id)).toMatchObject({ role: 'branch_admin', active: 1 })
  })

  it('should let an admin step down once another active admin exists; the other branch\'s admin does not count (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { role: 'branch_admin' })
    const res = await f.admin.client.patch(`/api/members/${f.admin.id}`, { role: 'member' })
    expect(res.statusCode).toBe(200)
    expect((await f.admin.client.get('/api/members')).statusCode).toBe(403)
  })

  it('should refuse a login taken by someone else (409) but accept a change of case of one\'s own', async () => {
    expect((await f.admin.client.patch(`/api/members/${f.member.id}`, { login: 'LEADER1' })).statusCode).toBe(409)
    expect((await f.admin.client.patch(`/api/members/${f.member.id}`, { login: 'Member1' })).json().login).toBe('Member1')
  })

  it('should refuse to leave a group leader without a group (400) and change nothing', async () => {
    const res = await f.admin.client.patch(`/api/members/${f.leader.id}`, { groupId: null })
    expect(res.statusCode).toBe(400)
    expect((await memberRow(t.handle, f.leader.id)).group_id).toBe(f.group1)
  })

  it('should write no audit row when nothing actually changes (200)', async () => {
    const before = await countRows(t.handle, 'audit_log')
    expect((await f.admin.client.patch(`/api/members/${f.member.id}`, { name: 'member1' })).statusCode).toBe(200)
    expect(await countRows(t.handle, 'audit_log')).toBe(before)
  })
})
