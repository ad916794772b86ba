import type { Grade } from '#shared/appraisal/constants'
import type { Me } from '#shared/schemas/auth'
import type { Person, PointsBranch } from '../server/points-helper'
import { randomUUID } from 'node:crypto'
import { ApiError } from '#app/api/client'
import { closeDb, DB_NAME, listRejected, outboxBatch, outboxCount } from '#app/db'
import { useAppraisalStore } from '#app/stores/appraisal'
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
 * 民主评议 on the phone (appraisal store, fake-indexeddb) against the real server: the admin opens
 * and steps the year offline, a member's ballot is checked by the shared rule before anything is
 * queued (too many 优秀, a vetoed member graded 优秀), queued offline under a secret kept in
 * IndexedDB that survives a reload, changed and re-queued under the same secret, and the 支委会's
 * grade needs a reason where it differs from the ballot.
 */
let b: PointsBranch
const net: { who: Person | null } = { who: null }
const YEAR = 2026

async function call<T>(url: string): Promise<T> {
  if (!net.who)
    throw new ApiError(0, 'NETWORK', 'offline')
  const res = await net.who.client.get(`/api${url}`)
  if (res.statusCode !== 200)
    throw new ApiError(res.statusCode, res.json().code, res.json().message)
  return res.json() as T
}
vi.mock('#app/components/appraisal/appraisal-api', () => ({
  appraisalApi: {
    year: (year: number) => call(`/appraisals/year/${year}`),
    results: (id: string) => call(`/appraisals/${id}/results`),
    myRecord: (year: number) => call(`/records?year=${year}`),
  },
}))

function actAs(who: Person, name: string, role: Me['role'] = 'member') {
  setActivePinia(createPinia())
  useSessionStore().me = { id: who.id, name, role, branchId: b.branchId, groupId: b.groupA, groupName: '一组' } as Me
  useSyncStore().afterWrite = () => {}
  return useAppraisalStore()
}

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  net.who = null
}, 60_000)
afterEach(async () => {
  await closeDb()
  await b?.t.close()
})

async function openBallot(): Promise<string> {
  const store = actAs(b.admin, 'admin', 'branch_admin')
  const id = await store.open({ year: YEAR, scope: 'branch', startsOn: '2026-12-01', endsOn: '2026-12-31', excellentNum: 1, excellentDen: 3 })
  const shown = await store.load(YEAR)
  await store.step(shown.appraisal!)
  expect(await syncOnce(transport(b.admin), b.admin.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
  return id
}

describe('民主评议 on the phone', () => {
  it('should open the year offline, shown at once as 待同步, and step it on once synced', async () => {
    const store = actAs(b.admin, 'admin', 'branch_admin')
    const id = await store.open({ year: YEAR, scope: 'branch', startsOn: '2026-12-01', endsOn: '2026-12-31', excellentNum: 1, excellentDen: 3 })
    expect(await store.load(YEAR)).toMatchObject({ offline: true, appraisal: { id, status: 'summaries', syncPending: true } })
    await store.step((await store.load(YEAR)).appraisal!)
    expect((await store.load(YEAR)).appraisal).toMatchObject({ status: 'ballot', syncPending: true })
    expect(await syncOnce(transport(b.admin), b.admin.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
    expect((await b.t.handle.db.selectFrom('appraisal').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('ballot')
    expect((await store.load(YEAR)).appraisal).toMatchObject({ status: 'ballot', syncPending: false })
  }, 60_000)

  it('should refuse an over-quota ballot and a vetoed 优秀 on the phone, queue a good one offline, keep its secret over a reload and re-queue a change', async () => {
    const id = await openBallot()
    await b.t.handle.db.insertInto('point_veto').values({ id: randomUUID(), branch_id: b.branchId, member_id: b.cat.id, year: YEAR, decision: '党内警告', decided_on: '2026-05-01', reason: '测试', created_by: b.admin.id, created_at: new Date().toISOString(), revoked_at: null, revoked_by: null, revoke_reason: null }).execute()

    // Amy opens the page once online (whom she grades, the quota), then loses the signal.
    let store = actAs(b.amy, 'amy')
    net.who = b.amy
    const online = await store.load(YEAR)
    expect(online.ballot).toMatchObject({ quota: 2 })
    expect(online.ballot!.members.map(m => m.id).sort()).toEqual([b.admin.id, b.lee.id, b.ben.id, b.kay.id, b.cat.id].sort())
    net.who = null
    const shown = await store.load(YEAR)
    expect(shown).toMatchObject({ offline: true, voted: false, myBallot: null, appraisal: { status: 'ballot' } })

    const grades = (excellent: string[]): Record<string, Grade> => Object.fromEntries(shown.ballot!.members.map(m => [m.id, excellent.includes(m.id) ? 'excellent' : 'qualified']))
    // 6 members: at most ⌊6/3⌋ = 2 优秀; the numbers in words, nothing queued.
    expect(await store.saveBallot(shown, grades([b.admin.id, b.lee.id, b.ben.id]))).toBe('优秀最多 2 人，您选了 3 人')
    expect(await store.saveBallot(shown, grades([b.cat.id]))).toContain('本年度有一票否决，不能评为优秀')
    const incomplete = grades([b.lee.id])
    delete incomplete[b.kay.id]
    expect(await store.saveBallot(shown, incomplete)).toBe('请给每一位党员选一个等次（还有 1 人未评）')
    expect(await outboxCount(b.amy.id)).toBe(0)

    expect(await store.saveBallot(shown, grades([b.lee.id, b.ben.id]))).toBeNull()
    expect(await outboxCount(b.amy.id)).toBe(1)
    expect(await store.load(YEAR)).toMatchObject({ voted: true, myBallot: { syncPending: true, grades: { [b.lee.id]: 'excellent', [b.kay.id]: 'qualified' } } })
    const [first] = await outboxBatch(b.amy.id, 10)
    const secret = (first!.payload as { secret: string }).secret
    expect(secret).toMatch(/^[\w-]{43}$/)

    // The phone restarts (database closed, the app's memory gone): the ballot and its secret are still there.
    await closeDb()
    store = actAs(b.amy, 'amy')
    const reloaded = await store.load(YEAR)
    expect(reloaded.myBallot).toMatchObject({ syncPending: true, grades: { [b.ben.id]: 'excellent' } })
    expect(await store.saveBallot(reloaded, grades([b.ben.id]))).toBeNull()
    const ops = await outboxBatch(b.amy.id, 10)
    expect(ops.map(o => (o.payload as { secret: string }).secret)).toEqual([secret, secret])

    expect(await syncOnce(transport(b.amy), b.amy.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
    // One ballot on the server, the changed one, and nothing that names amy beside it.
    const ballots = await b.t.handle.db.selectFrom('appraisal_ballot').selectAll().where('appraisal_id', '=', id).execute()
    expect(ballots).toHaveLength(1)
    expect(JSON.parse(ballots[0]!.grades)).toMatchObject({ [b.ben.id]: 'excellent', [b.lee.id]: 'qualified' })
    expect(JSON.stringify(ballots[0])).not.toContain(b.amy.id)
    expect(await store.load(YEAR)).toMatchObject({ voted: true, myBallot: { syncPending: false } })

    // Once the ballot has closed, a change is refused on the phone in the server's words.
    await actAs(b.admin, 'admin', 'branch_admin').step({ ...(await store.load(YEAR)).appraisal!, status: 'ballot' })
    await syncOnce(transport(b.admin), b.admin.id)
    store = actAs(b.amy, 'amy')
    net.who = b.amy
    const closed = await store.load(YEAR)
    expect(closed.appraisal!.status).toBe('counted')
    expect(await store.saveBallot(closed, grades([]))).toBe('投票已结束，不能再投票或修改')
    expect(closed.result).toMatchObject({ excellent: 0, qualified: 0, finalGrade: null })
  }, 60_000)

  it('should take a 个人总结 offline, and the 支委会\'s grade only with a reason where it differs from the ballot', async () => {
    const id = await openBallot()
    let store = actAs(b.amy, 'amy')
    net.who = b.amy
    const shown = await store.load(YEAR)
    net.who = null
    expect(await store.saveSummary(shown.appraisal!, '一年来带头学习，带头服务群众')).toBeNull()
    expect((await store.load(YEAR)).summary).toMatchObject({ text: '一年来带头学习，带头服务群众', syncPending: true })
    const everyone = Object.fromEntries(shown.ballot!.members.map(m => [m.id, m.id === b.ben.id ? 'excellent' : 'qualified'])) as Record<string, Grade>
    expect(await store.saveBallot(shown, everyone)).toBeNull()
    await syncOnce(transport(b.amy), b.amy.id)

    store = actAs(b.admin, 'admin', 'branch_admin')
    net.who = b.admin
    await store.step((await store.load(YEAR)).appraisal!)
    await syncOnce(transport(b.admin), b.admin.id)
    const table = await store.results(id)
    expect(table.voters).toBe(1)
    const ben = table.members.find(m => m.memberId === b.ben.id)!
    expect(ben).toMatchObject({ excellent: 1, ballotGrade: 'excellent', finalGrade: null })
    expect(table.members.find(m => m.memberId === b.amy.id)).toMatchObject({ summary: '一年来带头学习，带头服务群众' })

    // Differing from the ballot without a reason: refused here, nothing queued.
    expect(await store.decide(id, ben, 'qualified', '  ')).toBe('ben 的确定等次与投票结果（优秀）不同，请填写理由')
    expect(await outboxCount(b.admin.id)).toBe(0)
    net.who = null
    expect(await store.decide(id, ben, 'qualified', '全年两次无故缺席组织生活')).toBeNull()
    net.who = b.admin
    expect((await store.results(id)).members.find(m => m.memberId === b.ben.id)).toMatchObject({ finalGrade: 'qualified', syncPending: true })
    for (const m of table.members.filter(m => m.memberId !== b.ben.id))
      expect(await store.decide(id, m, m.ballotGrade ?? 'qualified', '')).toBeNull()
    await syncOnce(transport(b.admin), b.admin.id)
    expect(await listRejected(b.admin.id)).toEqual([])
    expect((await store.results(id)).members.find(m => m.memberId === b.ben.id)).toMatchObject({ finalGrade: 'qualified', reason: '全年两次无故缺席组织生活', syncPending: false })
    await store.step((await store.load(YEAR)).appraisal!)
    await syncOnce(transport(b.admin), b.admin.id)

    // Ben sees his own counts and final grade.
    store = actAs(b.ben, 'ben')
    net.who = b.ben
    expect((await store.load(YEAR)).result).toMatchObject({ excellent: 1, finalGrade: 'qualified', reason: '全年两次无故缺席组织生活' })
  }, 60_000)
})
