import type { Me } from '#shared/schemas/auth'
import type { Member } from '#shared/schemas/org'
import { useAdminStore } from '#app/stores/admin'
import { useSessionStore } from '#app/stores/session'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'

/* 党员管理 through the admin store, against a fake server. */
const admin = (id: string) => ({ id, name: '书记', role: 'branch_admin', branchId: 'b1', groupId: null }) as Me
const member = (id: string, name: string, active = true) => ({ id, name, login: id, phone: null, role: 'member', titles: [], groupId: 'g1', groupName: '第一党小组', active, hasPassword: true }) as unknown as Member
const group = { id: 'g1', name: '第一党小组', memberCount: 2 }
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

let server: ReturnType<typeof vi.fn>
beforeEach(() => {
  setActivePinia(createPinia())
  useSessionStore().me = admin('a1')
  server = vi.fn(async (url: string, init: RequestInit) => {
    if (url === '/api/members' && init.method === 'GET')
      return json([member('m1', '张三'), member('m2', '李四')])
    if (url === '/api/groups')
      return json([group])
    if (url === '/api/members/m2' && init.method === 'PATCH')
      return json(member('m2', '李四', JSON.parse(String(init.body)).active))
    return json({ code: 'NOT_FOUND', message: '找不到 Not found' }, 404)
  })
  vi.stubGlobal('fetch', server)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the admin store', () => {
  it('should show a member as 已停用 in the list as soon as the server has deactivated them', async () => {
    const store = useAdminStore()
    await store.loadMembers()
    expect(store.members.map(m => [m.name, m.active])).toEqual([['张三', true], ['李四', true]])
    expect(store.groups).toEqual([group])
    const updated = await store.updateMember('m2', { active: false })
    expect(updated.active).toBe(false)
    expect(store.members.map(m => [m.name, m.active])).toEqual([['张三', true], ['李四', false]])
  })

  it('should pass on the server\'s refusal with its words, and change nothing', async () => {
    const store = useAdminStore()
    await store.loadMembers()
    await expect(store.updateMember('m9', { active: false })).rejects.toThrow('找不到 Not found')
    expect(store.members.every(m => m.active)).toBe(true)
  })

  it('should never show one organizer\'s lists to the next one logging in on this phone', async () => {
    const store = useAdminStore()
    await store.loadMembers()
    expect(store.members).toHaveLength(2)
    useSessionStore().me = admin('a2')
    await nextTick()
    expect(store.members).toEqual([])
    expect(store.groups).toEqual([])
  })
})
