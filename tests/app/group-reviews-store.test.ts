import type { Me } from '#shared/schemas/auth'
import type { Person, PointsBranch } from '../server/points-helper'
import { ApiError } from '#app/api/client'
import { closeDb, DB_NAME, listRejected } from '#app/db'
import { GroupBallotRefused, useGroupReviewsStore } from '#app/stores/groupReviews'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce } from '#app/sync/engine'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { pointsBranch } from '../server/points-helper'
import { transport } from '../server/points-phone'
import 'fake-indexeddb/auto'

/*
 * The 五个好 ballot on the branch admin's phone (groupReviews store, fake-indexeddb) against the
 * real server: rated with no signal, shown at once as 待同步, stored once synced; a ballot for a
 * review closed meanwhile lands in 同步失败 with the server's words.
 */
let b: PointsBranch
const net: { who: Person | null } = { who: null }

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  if (!net.who)
    throw new ApiError(0, 'NETWORK', 'offline')
  const res = method === 'GET' ? await net.who.client.get(`/api${url}`) : await net.who.client.post(`/api${url}`, body ?? {})
  if (res.statusCode !== 200)
    throw new ApiError(res.statusCode, res.json().code, res.json().message)
  return res.json() as T
}
vi.mock('#app/components/reviews/group-reviews-api', () => ({
  groupReviewsApi: {
    list: async () => (await call<{ reviews: unknown[] }>('GET', '/group-reviews')).reviews,
    one: (id: string) => call('GET', `/group-reviews/${id}`),
    create: (period: string) => call('POST', '/group-reviews', { period }),
    invite: (id: string, memberId: string) => call('POST', `/group-reviews/${id}/raters`, { memberId }),
    close: (id: string) => call('POST', `/group-reviews/${id}/close`),
    exportUrl: (id: string) => `/api/group-reviews/${id}/export.xlsx`,
  },
}))

const YEAR = new Date().getFullYear()
const all = (n: number) => ({ leadership: n, members: n, mechanism: n, results: n, masses: n })

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  setActivePinia(createPinia())
  useSessionStore().me = { id: b.admin.id, name: '管理员', role: 'branch_admin', branchId: b.branchId, groupId: null, groupName: null } as unknown as Me
  useSyncStore().afterWrite = () => {}
  net.who = b.admin as Person
}, 30_000)
afterEach(async () => {
  await closeDb()
  await b.t.close()
})

const sync = () => syncOnce(transport(b.admin as Person), b.admin.id)

describe('the 五个好 ballot on the phone', () => {
  it('should keep a ballot rated offline as 待同步, then store it once synced', async () => {
    const store = useGroupReviewsStore()
    const id = await store.create(`${YEAR}-Y`)
    net.who = null
    await store.rate([{ groupId: b.groupA, scores: all(4), comment: '班子团结' }])
    expect(store.ballot).toMatchObject({ reviewId: id, syncPending: true, syncFailed: false })
    expect(store.scoresFor(b.groupA)).toEqual({ scores: all(4), comment: '班子团结' })
    expect(await b.t.handle.db.selectFrom('group_review_rating').selectAll().execute()).toEqual([])

    expect(await sync()).toMatchObject({ kind: 'done', pushed: 1, rejected: 0 })
    const stored = await b.t.handle.db.selectFrom('group_review_rating').selectAll().execute()
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ group_id: b.groupA, leadership: 4, masses: 4, comment: '班子团结' })
    net.who = b.admin as Person
    await store.open(id)
    expect(store.ballot).toMatchObject({ syncPending: false, syncFailed: false })
    expect(store.current!.groups.find(g => g.id === b.groupA)!.mine).toEqual({ scores: all(4), comment: '班子团结' })
  })

  it('should refuse a score off the scale on the phone, and file a ballot for a review closed meanwhile in 同步失败', async () => {
    const store = useGroupReviewsStore()
    await store.create(`${YEAR}-Y`)
    await expect(store.rate([{ groupId: b.groupA, scores: { ...all(4), masses: 5 } }])).rejects.toBeInstanceOf(GroupBallotRefused)
    net.who = null
    await store.rate([{ groupId: b.groupA, scores: all(2) }])
    // Closed on another device before this phone is back online.
    await b.admin.client.post(`/api/group-reviews/${store.current!.id}/close`, {})
    expect(await sync()).toMatchObject({ rejected: 1 })
    const [failed] = await listRejected(b.admin.id)
    expect(failed).toMatchObject({ type: 'group_review.ballot', code: 'GROUP_REVIEW_CLOSED' })
    expect(failed!.message).toContain('已由管理员结束')
    expect(await b.t.handle.db.selectFrom('group_review_rating').selectAll().execute()).toEqual([])
  })
})
