import type { Me } from '#shared/schemas/auth'
import type { Person, PointsBranch } from '../server/points-helper'
import { ApiError } from '#app/api/client'
import { closeDb, DB_NAME, getDb, listRejected } from '#app/db'
import { useMeetingsStore } from '#app/stores/meetings'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce } from '#app/sync/engine'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { meetingBody } from '../server/meeting-helper'
import { pointsBranch } from '../server/points-helper'
import { transport } from '../server/points-phone'
import 'fake-indexeddb/auto'

/*
 * The organizer's meetings on the phone (meetings store, fake-indexeddb) against the real server:
 * created and closed offline, shown at once as 待同步, refused ones in 同步失败, and what closing
 * will record shown by the shared rule.
 */
let b: PointsBranch
/** The online calls go to the test server as this person, or fail as with no network. */
const net: { who: Person | null } = { who: null }

async function call<T>(method: 'GET' | 'POST', url: string): Promise<T> {
  if (!net.who)
    throw new ApiError(0, 'NETWORK', 'offline')
  const res = method === 'GET' ? await net.who.client.get(`/api${url}`) : await net.who.client.post(`/api${url}`)
  if (res.statusCode !== 200)
    throw new ApiError(res.statusCode, res.json().code, res.json().message)
  return res.json() as T
}
vi.mock('#app/components/meetings/meetings-api', () => ({
  meetingsApi: {
    list: (view: string) => call('GET', `/meetings?view=${view}`),
    one: (id: string) => call('GET', `/meetings/${id}`),
    attendance: (id: string) => call('GET', `/meetings/${id}/attendance`),
    screen: (id: string) => call('GET', `/meetings/${id}/screen`),
  },
}))

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  setActivePinia(createPinia())
  useSessionStore().me = { id: b.lee.id, name: 'lee', role: 'group_leader', branchId: b.branchId, groupId: b.groupA, groupName: '一组' } as Me
  useSyncStore().afterWrite = () => {}
  net.who = null
})
afterEach(async () => {
  await closeDb()
  await b.t.close()
})

const sync = () => syncOnce(transport(b.lee), b.lee.id)

describe('the organizer\'s meetings on the phone', () => {
  it('should list a meeting created offline at once as 待同步, open it, and say its 签到 screen needs one sync', async () => {
    const store = useMeetingsStore()
    const id = await store.create(meetingBody({ type: 'group_meeting', groupId: b.groupA, topic: '离线小组会' }), '一组')
    expect(store.organized.find(m => m.id === id)).toMatchObject({ topic: '离线小组会', groupName: '一组', status: 'scheduled', canOrganize: true, syncPending: true })
    expect(await store.meeting(id)).toMatchObject({ topic: '离线小组会', syncPending: true })
    expect(await store.screen(id)).toEqual({ problem: 'needsSync' })

    expect(await sync()).toMatchObject({ kind: 'done', pushed: 1, rejected: 0 })
    expect((await b.t.handle.db.selectFrom('meeting').select('topic').where('id', '=', id).executeTakeFirst())?.topic).toBe('离线小组会')
    await store.load()
    expect(store.organized.find(m => m.id === id)).toMatchObject({ syncPending: false, syncFailed: false })
    net.who = b.lee
    expect(await store.screen(id)).toMatchObject({ screen: { meeting: { id } } })
  })

  it('should not list another group\'s meeting pulled by mistake, by the shared visibility rule', async () => {
    net.who = b.admin as Person
    const other = (await b.admin.client.post('/api/meetings', meetingBody({ type: 'group_meeting', groupId: b.groupB, topic: '二组的会' }))).json().id as string
    net.who = null
    await sync()
    const store = useMeetingsStore()
    await store.load()
    expect(store.meetings.some(m => m.id === other)).toBe(false)
  })

  it('should show a close another organizer got in first as 同步失败 with their name, and the server\'s state', async () => {
    const id = (await b.lee.client.post('/api/meetings', meetingBody({ type: 'group_meeting', groupId: b.groupA, topic: '谁先结束' }))).json().id as string
    await sync()
    const store = useMeetingsStore()
    await store.load()
    expect((await b.admin.client.post(`/api/meetings/${id}/close`)).statusCode).toBe(200)
    await store.close(store.organized.find(m => m.id === id)!)
    expect(store.organized.find(m => m.id === id)).toMatchObject({ status: 'closed', syncPending: true })
    expect(await sync()).toMatchObject({ kind: 'done', rejected: 1 })
    const [refused] = await listRejected(b.lee.id)
    expect(refused).toMatchObject({ type: 'meeting.close', code: 'MEETING_CLOSED', payload: { topic: '谁先结束' } })
    expect(refused!.message).toContain('会议已由管理员结束')
    await store.load()
    expect(store.organized.find(m => m.id === id)).toMatchObject({ status: 'closed', syncFailed: true })
  })

  it('should lay a queued 代签到 over the attendance list and show what closing will record, points by the branch\'s rules', async () => {
    const id = (await b.lee.client.post('/api/meetings', meetingBody({ type: 'group_meeting', groupId: b.groupA, topic: '小组会考勤' }))).json().id as string
    await sync()
    net.who = b.lee
    const store = useMeetingsStore()
    const first = await store.detail(id)
    const amy = first.summary!.rows.find(r => r.memberId === b.amy.id)!
    expect(amy).toMatchObject({ status: null, syncPending: false })
    // The signal goes: the list read a moment ago stays, the decision is queued.
    net.who = null
    await store.decide(first.meeting!, amy, 'checkin')
    const shown = await store.detail(id)
    expect(shown.offline).toBe(true)
    expect(shown.summary!.rows.find(r => r.memberId === b.amy.id)).toMatchObject({ status: 'manual', syncPending: true })
    expect(shown.summary!.counts.present).toBe(1)
    const plan = await store.closePlan(shown.summary!)
    const by = new Map(plan.members.map(m => [m.memberId, m]))
    expect(by.get(b.amy.id)).toMatchObject({ outcome: 'present', points: 2 })
    expect(by.get(b.ben.id)).toMatchObject({ outcome: 'absent', points: -2 })
    expect(by.get(b.lee.id)).toMatchObject({ outcome: 'present', writes: 'organizer' })
    expect((await (await getDb()).getAll('outbox'))[0]).toMatchObject({ type: 'meeting.attendance', payload: { meetingId: id, memberId: b.amy.id, action: 'checkin', memberName: 'amy' } })

    expect(await sync()).toMatchObject({ kind: 'done', pushed: 1, rejected: 0 })
    net.who = b.lee
    expect((await store.detail(id)).summary!.rows.find(r => r.memberId === b.amy.id)).toMatchObject({ status: 'manual', syncPending: false })
  })
})
