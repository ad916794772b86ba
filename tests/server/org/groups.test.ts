import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { countRows, orgFixture } from '../org-helper'

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

const groupRow = (id: string) => t.handle.db.selectFrom('party_group').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const auditOf = (entityId: string) => t.handle.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('created_at').execute()

describe('listing groups', () => {
  it('should show every member of the branch its groups with active member counts, by name (200)', async () => {
    const res = await f.member.client.get('/api/groups')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      { id: f.group1, name: '第一党小组', memberCount: 2 },
      { id: f.group2, name: '第二党小组', memberCount: 1 },
    ])
  })

  it('should not count deactivated members and never show another branch\'s groups (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member.id}`, { active: false })
    const res = await f.otherAdmin.client.get('/api/groups')
    expect(res.json()).toEqual([{ id: f.otherGroup, name: '外支部小组', memberCount: 1 }])
    const own = await f.admin.client.get('/api/groups')
    expect(own.json()[0]).toMatchObject({ id: f.group1, memberCount: 1 })
  })
})

describe('creating and renaming groups', () => {
  it('should create a group with a trimmed name, audit it and publish it to the branch (200)', async () => {
    const res = await f.admin.client.post('/api/groups', { name: '  第三党小组 ' })
    expect(res.statusCode).toBe(200)
    const group = res.json()
    expect(group).toMatchObject({ name: '第三党小组', memberCount: 0 })
    expect((await groupRow(group.id)).branch_id).toBe(f.branchId)
    const [audit] = await auditOf(group.id)
    expect(audit).toMatchObject({ action: 'group.create', actor_id: f.admin.id, branch_id: f.branchId })
    expect(JSON.parse(audit!.data)).toEqual({ name: '第三党小组' })
    const change = await t.handle.db.selectFrom('change_log').selectAll().where('entity_id', '=', group.id).executeTakeFirstOrThrow()
    expect(change).toMatchObject({ entity: 'group', op: 'upsert', member_id: null, branch_id: f.branchId })
  })

  it('should refuse a second active group with the same name (409) and create nothing', async () => {
    const before = await countRows(t.handle, 'party_group')
    const res = await f.admin.client.post('/api/groups', { name: '第一党小组' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('GROUP_NAME_TAKEN')
    expect(await countRows(t.handle, 'party_group')).toBe(before)
  })

  it('should allow the same name as a group in another branch (200)', async () => {
    const res = await f.admin.client.post('/api/groups', { name: '外支部小组' })
    expect(res.statusCode).toBe(200)
  })

  it('should rename a group and record the old and new name in the audit log (200)', async () => {
    const res = await f.admin.client.patch(`/api/groups/${f.group1}`, { name: '机关第一党小组' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: f.group1, name: '机关第一党小组', memberCount: 2 })
    expect((await groupRow(f.group1)).name).toBe('机关第一党小组')
    const [audit] = await auditOf(f.group1)
    expect(audit!.action).toBe('group.rename')
    expect(JSON.parse(audit!.data)).toEqual({ from: '第一党小组', to: '机关第一党小组' })
  })

  it('should refuse to rename a group to another group\'s name (409)', async () => {
    const res = await f.admin.client.patch(`/api/groups/${f.group1}`, { name: '第二党小组' })
    expect(res.statusCode).toBe(409)
    expect((await groupRow(f.group1)).name).toBe('第一党小组')
  })
})

describe('removing groups', () => {
  it('should refuse to remove a group that still has active members, saying to move them first (409)', async () => {
    const res = await f.admin.client.delete(`/api/groups/${f.group1}`)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'GROUP_NOT_EMPTY' })
    expect(res.json().message).toContain('2')
    expect(res.json().message).toMatch(/移到其他党小组.*move them/)
    expect((await groupRow(f.group1)).removed_at).toBeNull()
  })

  it('should remove an emptied group but keep its row and history (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { groupId: f.group1 })
    const res = await f.admin.client.delete(`/api/groups/${f.group2}`)
    expect(res.statusCode).toBe(200)
    expect((await groupRow(f.group2)).removed_at).not.toBeNull()
    expect((await f.member.client.get('/api/groups')).json().map((g: { id: string }) => g.id)).toEqual([f.group1])
    const actions = (await auditOf(f.group2)).map(a => a.action)
    expect(actions).toEqual(['group.remove'])
    const change = await t.handle.db.selectFrom('change_log').selectAll().where('entity_id', '=', f.group2).executeTakeFirstOrThrow()
    expect(change.op).toBe('delete')
  })

  it('should allow removing a group whose only members are deactivated (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { active: false })
    expect((await f.admin.client.delete(`/api/groups/${f.group2}`)).statusCode).toBe(200)
  })

  it('should treat a removed group as gone: renaming it, removing it again or moving someone into it is 404', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { groupId: f.group1 })
    await f.admin.client.delete(`/api/groups/${f.group2}`)
    expect((await f.admin.client.patch(`/api/groups/${f.group2}`, { name: '复活' })).statusCode).toBe(404)
    expect((await f.admin.client.delete(`/api/groups/${f.group2}`)).statusCode).toBe(404)
    expect((await f.admin.client.patch(`/api/members/${f.member.id}`, { groupId: f.group2 })).statusCode).toBe(404)
  })

  it('should let a new group take the name of a removed one (200)', async () => {
    await f.admin.client.patch(`/api/members/${f.member2.id}`, { groupId: f.group1 })
    await f.admin.client.delete(`/api/groups/${f.group2}`)
    expect((await f.admin.client.post('/api/groups', { name: '第二党小组' })).statusCode).toBe(200)
  })
})
