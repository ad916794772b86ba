import type { Me } from '#shared/schemas/auth'
import type { Person, PointsBranch } from '../server/points-helper'
import { ApiError } from '#app/api/client'
import { closeDb, DB_NAME, listRejected, outboxCount } from '#app/db'
import { useReviewsStore } from '#app/stores/reviews'
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
 * 讲评 on the phone (reviews store, fake-indexeddb) against the real server: the organizer's
 * session made and moved on offline, a member's 陈述 and ballot queued offline and shown at once
 * as 待同步, a ballot the shared rule refuses never queued, and the member's own result read from
 * the pulled record with no network.
 */
let b: PointsBranch
const net: { who: Person | null } = { who: null }

async function call<T>(url: string): Promise<T> {
  if (!net.who)
    throw new ApiError(0, 'NETWORK', 'offline')
  const res = await net.who.client.get(`/api${url}`)
  if (res.statusCode !== 200)
    throw new ApiError(res.statusCode, res.json().code, res.json().message)
  return res.json() as T
}
vi.mock('#app/components/reviews/reviews-api', () => ({
  reviewsApi: {
    list: () => call('/reviews'),
    detail: (id: string) => call(`/reviews/${id}`),
    results: (id: string) => call(`/reviews/${id}/results`),
    xlsxUrl: (id: string) => `/api/reviews/${id}/results.xlsx`,
  },
}))

function actAs(who: Person, name: string, role: Me['role'] = 'member') {
  setActivePinia(createPinia())
  useSessionStore().me = { id: who.id, name, role, branchId: b.branchId, groupId: b.groupA, groupName: '一组' } as Me
  useSyncStore().afterWrite = () => {}
  return useReviewsStore()
}

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  net.who = null
})
afterEach(async () => {
  await closeDb()
  await b.t.close()
})

const scores = (n: number) => ({ study: n, excel: n, serve: n, discipline: n, uphold: n })

describe('讲评 on the phone', () => {
  it('should hold a whole review offline: session, 陈述, ballots, close, and the member\'s own result', async () => {
    // The leader creates and opens rating with no signal: shown at once as 待同步.
    let store = actAs(b.lee, 'lee', 'group_leader')
    const id = await store.create({ groupId: b.groupA, period: '2026-H1', meetingId: null, title: '一组上半年讲评' }, { groupName: '一组', meetingTopic: null, members: [] })
    expect(store.reviews.find(r => r.id === id)).toMatchObject({ title: '一组上半年讲评', status: 'draft', canOrganize: true, syncPending: true })
    const local = (await store.detail(id))!
    expect(local).toMatchObject({ offline: true, session: { status: 'draft', syncPending: true } })
    await store.advance(local.session, 'open')
    await store.advance({ ...local.session, status: 'open' }, 'rating')
    expect((await store.detail(id))!.session.status).toBe('rating')
    expect(await syncOnce(transport(b.lee), b.lee.id)).toMatchObject({ kind: 'done', pushed: 3, rejected: 0 })
    expect((await b.t.handle.db.selectFrom('review_session').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('rating')

    // Amy pulls it, then writes her 陈述 and rates offline.
    store = actAs(b.amy, 'amy')
    await syncOnce(transport(b.amy), b.amy.id)
    const shown = (await store.detail(id))!
    expect(shown.session.members.map(m => m.name).sort()).toEqual(['amy', 'ben', 'lee'])
    await store.saveStatement(id, { participation: '参加了全部组织生活', pledges: '承诺已兑现', improvement: '多学习' }, shown.myRecord)
    expect((await store.detail(id))!.myStatement).toMatchObject({ participation: '参加了全部组织生活', syncPending: true })

    // The shared rule refuses a self-rating and an unfinished sheet on the phone: nothing is queued.
    const before = await outboxCount(b.amy.id)
    expect(await store.saveBallot(shown.session, [{ rateeId: b.amy.id, scores: scores(4) }])).toBe('不能给自己评分')
    expect(await store.saveBallot(shown.session, [{ rateeId: b.ben.id, scores: { study: 4 } }])).toContain('请给 ben 的五个方面各选一个评价')
    expect(await outboxCount(b.amy.id)).toBe(before)

    expect(await store.saveBallot(shown.session, [{ rateeId: b.ben.id, scores: scores(3), comment: '多参加志愿服务' }, { rateeId: b.lee.id, scores: scores(4) }])).toBeNull()
    expect((await store.detail(id))!.myBallot).toMatchObject({ syncPending: true, ratings: [{ rateeId: b.ben.id }, { rateeId: b.lee.id }] })
    expect(await syncOnce(transport(b.amy), b.amy.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
    expect(await b.t.handle.db.selectFrom('review_rating').select('ratee_id').where('session_id', '=', id).execute()).toHaveLength(2)

    // Ben rates Amy; the leader closes; Amy, offline, reads her own result from what she pulled.
    store = actAs(b.ben, 'ben')
    await syncOnce(transport(b.ben), b.ben.id)
    const forBen = (await store.detail(id))!
    expect(forBen.myBallot).toBeNull()
    expect(forBen.statements.map(s => s.memberName)).toEqual(['amy'])
    expect(await store.saveBallot(forBen.session, [{ rateeId: b.amy.id, scores: { study: 4, excel: 3, serve: 4, discipline: 4, uphold: 3 }, comment: '学习认真' }])).toBeNull()
    await syncOnce(transport(b.ben), b.ben.id)

    // (One test phone serves three people here; the leader reads the session from the server.)
    store = actAs(b.lee, 'lee', 'group_leader')
    net.who = b.lee
    const toClose = (await store.detail(id))!
    expect(toClose).toMatchObject({ offline: false, ballots: 2, session: { canOrganize: true, status: 'rating' } })
    await store.advance(toClose.session, 'closed')
    net.who = null
    await syncOnce(transport(b.lee), b.lee.id)

    store = actAs(b.amy, 'amy')
    await syncOnce(transport(b.amy), b.amy.id)
    const closed = (await store.detail(id))!
    expect(closed).toMatchObject({ offline: true, session: { status: 'closed', closedByName: 'lee' }, myResult: { memberId: b.amy.id, overall: 3.6, averages: { study: 4, excel: 3 }, raters: { member: 1, guest: 0 }, comments: [{ text: '学习认真' }] } })
    // A ballot after closing is refused on the phone in the server's words.
    expect(await store.saveBallot(closed.session, [{ rateeId: b.ben.id, scores: scores(1) }])).toContain('讲评已结束')
  })

  it('should file an organizer\'s close that another organizer made first in 同步失败 with the reason', async () => {
    let store = actAs(b.lee, 'lee', 'group_leader')
    const id = await store.create({ groupId: b.groupA, period: '2026-H2', meetingId: null, title: '下半年讲评' }, { groupName: '一组', meetingTopic: null, members: [] })
    const s = (await store.detail(id))!.session
    await store.advance(s, 'rating')
    await syncOnce(transport(b.lee), b.lee.id)
    // Offline, the leader closes; meanwhile the branch admin closed it online.
    await store.advance({ ...s, status: 'rating' }, 'closed')
    const { op } = await import('../server/sync-helper')
    const { push } = await import('../server/sync-helper')
    expect((await push(b.admin.client, [op('review.advance', { sessionId: id, to: 'closed' })])).json().results[0].status).toBe('applied')
    expect(await syncOnce(transport(b.lee), b.lee.id)).toMatchObject({ kind: 'done', rejected: 1 })
    const [refused] = await listRejected(b.lee.id)
    expect(refused).toMatchObject({ type: 'review.advance', code: 'REVIEW_CLOSED' })
    expect(refused!.message).toContain('讲评已由')
    store = actAs(b.lee, 'lee', 'group_leader')
    expect((await store.detail(id))!.session).toMatchObject({ status: 'closed', syncFailed: true })
  })
})
