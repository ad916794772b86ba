import type { Rule } from '#shared/points/schemas'
import type { Me } from '#shared/schemas/auth'
import type { Person, PointsBranch } from '../server/points-helper'
import { closeDb, DB_NAME, getDb, listRejected } from '#app/db'
import { useOrganizerStore } from '#app/stores/organizer'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce } from '#app/sync/engine'
import { appOp } from '#app/sync/op-types'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { entryRow, pointsBranch, summaryOf, today } from '../server/points-helper'
import { transport } from '../server/points-phone'
import 'fake-indexeddb/auto'

/* 记分/扣分 on the group leader's phone (organizer store, fake-indexeddb) → the real server. */
let b: PointsBranch
let online = true

/** The app's fetch, answered by the test server as `who`; or no network at all. */
function serveFetchAs(who: Person) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    if (!online)
      throw new TypeError('Failed to fetch')
    const res = await b.t.app.inject({ method: (init.method ?? 'GET') as 'GET', url, headers: { ...(init.headers as Record<string, string>), cookie: who.client.cookie }, payload: init.body as string | undefined })
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } })
  })
}

async function rule(key: string): Promise<Rule> {
  return ((await b.lee.client.get('/api/points/rules')).json().rules as Rule[]).find(r => r.key === key)!
}

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  online = true
  setActivePinia(createPinia())
  useSessionStore().me = { id: b.lee.id, name: 'lee', role: 'group_leader', branchId: b.branchId, groupId: b.groupA } as Me
  useSyncStore().afterWrite = () => {}
  serveFetchAs(b.lee)
})
afterEach(async () => {
  vi.unstubAllGlobals()
  await closeDb()
  await b.t.close()
})

describe('记分/扣分 offline', () => {
  it('should offer the group\'s members with no signal, from the list saved when last online', async () => {
    await useOrganizerStore().loadMembers()
    online = false
    setActivePinia(createPinia())
    useSessionStore().me = { id: b.lee.id, name: 'lee', role: 'group_leader', branchId: b.branchId, groupId: b.groupA } as Me
    const organizer = useOrganizerStore()
    await organizer.loadMembers()
    expect(organizer.pickable.map(m => m.name).sort()).toEqual(['amy', 'ben'])
    // Only what the picker shows is kept on the phone.
    expect(Object.keys(organizer.members[0]!).sort()).toEqual(['groupId', 'groupName', 'id', 'name'])
  })

  it('should say so when the phone is offline and never saved the list', async () => {
    online = false
    await expect(useOrganizerStore().loadMembers()).rejects.toMatchObject({ isNetwork: true })
  })

  it('should show each adjustment at once as 待同步, then as the server decided: a deduction waits for the branch, one for a member who moved group is refused into 同步失败', async () => {
    const organizer = useOrganizerStore()
    await organizer.loadMembers()
    online = false
    const late = await rule('late')
    const queued = await organizer.adjust({ memberIds: [b.amy.id, b.ben.id], body: { date: today(), reason: '迟到 10 分钟', ruleId: late.id }, rule: late })
    expect(queued).toEqual({ queued: 2, waiting: 2 })
    expect(organizer.adjustments.map(e => [e.memberName, e.points, e.syncPending]).sort()).toEqual([['amy', -1, true], ['ben', -1, true]])
    expect((await (await getDb()).getAll('outbox')).map(o => o.type)).toEqual(['points.adjust', 'points.adjust'])

    // While the leader was offline, amy moved to 二组.
    await b.t.handle.db.updateTable('member').set({ group_id: b.groupB }).where('id', '=', b.amy.id).execute()
    online = true
    expect(await syncOnce(transport(b.lee), b.lee.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 1 })
    await organizer.loadAdjustments()
    const ben = organizer.adjustments.find(e => e.memberId === b.ben.id)!
    expect(ben).toMatchObject({ syncPending: false, syncFailed: false, status: 'pending', stage: 'branch' })
    expect(await entryRow(b.t, ben.id)).toMatchObject({ points: -1, status: 'pending', group_approved_by: b.lee.id })
    expect((await summaryOf(b.ben)).json().total).toBe(60)
    expect(organizer.adjustments.find(e => e.memberId === b.amy.id)).toMatchObject({ syncFailed: true })

    const [refused] = await listRejected(b.lee.id)
    expect(refused).toMatchObject({ type: 'points.adjust', code: 'ADJUSTMENT_NOT_IN_SCOPE' })
    expect(refused!.message).toContain('amy')
    expect(appOp('points.adjust')!.summary!(refused!.payload)).toContain('amy')
    expect(appOp('points.adjust')!.summary!(refused!.payload)).toContain('-1')
  })
})
