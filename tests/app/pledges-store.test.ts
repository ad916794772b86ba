import type { Me } from '#shared/schemas/auth'
import type { Client, TestApp } from '../server/helper'
import type { Person } from '../server/pledge-helper'
import { localPledges } from '#app/components/pledges/pledges-api'
import { closeDb, DB_NAME, getDb, listRejected } from '#app/db'
import { usePledgesStore } from '#app/stores/pledges'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce } from '#app/sync/engine'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildTestApp, setUpBranch } from '../server/helper'
import { person, pledgeBody, YEAR } from '../server/pledge-helper'
import { transport } from '../server/points-phone'
import 'fake-indexeddb/auto'

/* 公开承诺 on the phone (pledges store, fake-indexeddb) against the real server, online and offline. */
let t: TestApp
let admin: Person
let wang: Person
let alice: Person
/** Whose session the app's fetch carries; null: no network. */
let online: Client | null = null

function as(p: Person, role: Me['role'], name: string) {
  useSessionStore().me = { id: p.id, name, role, branchId: 'b', branchName: '测试支部', groupId: null, groupName: null } as unknown as Me
}

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = { client: setup.admin, id: (await setup.admin.get('/api/auth/me')).json().id }
  wang = await person(t, setup.branchId, 'wang', 'branch_admin')
  alice = await person(t, setup.branchId, 'alice')
  online = null
  // The app's API calls reach the test server with the session of `online`, or fail like a phone offline.
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    if (!online)
      throw new TypeError('Failed to fetch')
    const res = await t.app.inject({ method: init.method as 'GET', url, payload: init.body as string | undefined, headers: { ...init.headers as Record<string, string>, cookie: online.cookie } })
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode })
  })
  setActivePinia(createPinia())
  useSyncStore().afterWrite = () => {}
})
afterEach(async () => {
  vi.unstubAllGlobals()
  await closeDb()
  await t.close()
})

function input(extra: Record<string, unknown> = {}) {
  const { ownerKind: _o, ...content } = pledgeBody()
  return { ownerKind: 'member' as const, stage: null, ...content, ...extra } as Parameters<ReturnType<typeof usePledgesStore>['save']>[0]
}

describe('a member writes and submits a pledge offline', () => {
  it('should show it at once as 待审核 (待同步) under the phone\'s id, and the server holds exactly that after sync', async () => {
    as(alice, 'member', 'alice-name')
    const store = usePledgesStore()
    const id = await store.save(input(), { submit: true })
    await store.loadMine()
    expect(store.offline).toBe(true)
    expect(store.mine).toHaveLength(1)
    expect(store.mine[0]).toMatchObject({ id, status: 'submitted', ownerName: 'alice-name', syncPending: true, syncFailed: false })
    expect((await (await getDb()).getAll('outbox')).map(o => o.type)).toEqual(['pledge.save', 'pledge.submit'])

    expect(await syncOnce(transport(alice), alice.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
    const server = (await alice.client.get(`/api/pledges/${id}`)).json()
    expect(server).toMatchObject({ id, status: 'submitted', memberId: alice.id, supervisor: '张书记' })
    await store.loadMine()
    expect(store.mine[0]).toMatchObject({ id, status: 'submitted', syncPending: false })
  })

  it('should open its own draft offline for editing and refuse content the server would refuse before queueing anything', async () => {
    as(alice, 'member', 'alice-name')
    const store = usePledgesStore()
    const id = await store.save(input())
    expect(await store.localCopy(id)).toMatchObject({ id, status: 'draft', items: [{ target: '全年完成检验报告 200 份，差错率为零' }, {}] })
    const body = input()
    await expect(store.save({ ...body, items: [{ ...body.items[0]!, dueDate: `${YEAR + 3}-01-01` }] }, { id })).rejects.toThrow('第 1 项')
    await expect(store.save(input({ supervisor: '  ' }), { id })).rejects.toThrow('监督人')
    expect(await (await getDb()).count('outbox')).toBe(1)
  })
  it('should open a draft written online but not yet sent from the phone\'s copy, though the server does not know it yet', async () => {
    as(alice, 'member', 'alice-name')
    online = alice.client
    const store = usePledgesStore()
    const id = await store.save(input())
    expect(await store.loadDetail(id)).toMatchObject({ id, status: 'draft', syncPending: true, progress: [] })
    await syncOnce(transport(alice), alice.id)
    expect(await store.loadDetail(id)).toMatchObject({ id, status: 'draft', syncPending: false })
  })
})

describe('an organizer decides the review queue offline', () => {
  async function queuedPledge() {
    as(alice, 'member', 'alice-name')
    const id = await usePledgesStore().save(input(), { submit: true })
    await syncOnce(transport(alice), alice.id)
    setActivePinia(createPinia())
    useSyncStore().afterWrite = () => {}
    as(admin, 'branch_admin', '管理员')
    return id
  }

  it('should keep the queue on the phone, show an approval at once as 待同步, and the server approves it after sync', async () => {
    const id = await queuedPledge()
    const store = usePledgesStore()
    online = admin.client
    await store.loadQueue()
    expect(store.queue.map(p => p.id)).toEqual([id])
    online = null
    await store.loadQueue()
    expect(store.offline).toBe(true)
    await store.decide(store.queue[0]!, 'approve')
    await store.loadQueue()
    expect(store.queue[0]).toMatchObject({ id, status: 'approved', syncPending: true })
    expect(await syncOnce(transport(admin), admin.id)).toMatchObject({ kind: 'done', rejected: 0 })
    expect((await admin.client.get(`/api/pledges/${id}`)).json().status).toBe('approved')
    // The decision is a record on the organizer's phone, but the pledge is not theirs: not under 我的承诺.
    await store.loadMine()
    expect(store.mine).toEqual([])
    expect(await localPledges(admin.id)).toEqual([])
  })

  it('should show 同步失败 with who returned it first when another organizer decided while this one was offline, keeping their return', async () => {
    const id = await queuedPledge()
    const store = usePledgesStore()
    online = admin.client
    await store.loadQueue()
    online = null
    const seen = store.queue[0]!
    await store.decide(seen, 'approve')
    expect((await wang.client.post(`/api/pledges/${id}/return`, { reason: '目标不够具体' })).statusCode).toBe(200)

    expect(await syncOnce(transport(admin), admin.id)).toMatchObject({ kind: 'done', rejected: 1 })
    const [refused] = await listRejected(admin.id)
    expect(refused).toMatchObject({ type: 'pledge.review', code: 'PLEDGE_DECIDED' })
    expect(refused!.message).toContain('wang-name')
    expect(refused!.message).toContain('目标不够具体')
    await store.loadQueue()
    expect(store.queue.find(p => p.id === id)).toMatchObject({ syncFailed: true })
    expect((await admin.client.get(`/api/pledges/${id}`)).json()).toMatchObject({ status: 'returned', returnReason: '目标不够具体' })
  })

  it('should not offer a move the shared rules forbid (publishing what is not approved)', async () => {
    const id = await queuedPledge()
    const store = usePledgesStore()
    online = admin.client
    await store.loadQueue()
    await expect(store.decide(store.queue.find(p => p.id === id)!, 'publish')).rejects.toThrow()
    expect(await (await getDb()).count('outbox')).toBe(0)
  })

  it('should show 评诺 made offline at once on the pledge (待同步) and grant the points once synced', async () => {
    const id = await queuedPledge()
    for (const step of ['approve', 'publish'])
      expect((await admin.client.post(`/api/pledges/${id}/${step}`)).statusCode).toBe(200)
    const store = usePledgesStore()
    online = admin.client
    const pledge = await store.loadDetail(id)
    online = null
    await store.evaluate(pledge, [{ itemId: pledge.items[0]!.id, result: 'kept' }])
    const shown = await store.loadDetail(id, pledge)
    expect(shown).toMatchObject({ syncPending: true, items: [{ result: 'kept' }, { result: null }] })
    await expect(store.evaluate(shown, [{ itemId: pledge.items[0]!.id, result: 'broken' }])).rejects.toThrow()
    expect(await syncOnce(transport(admin), admin.id)).toMatchObject({ kind: 'done', rejected: 0 })
    const server = (await admin.client.get(`/api/pledges/${id}`)).json()
    expect(server.items[0]).toMatchObject({ result: 'kept', pointsAmount: 5 })
  })
})
