import type { Records, RecordsQuery } from '#app/stores/records'
import type { Me } from '#shared/schemas/auth'
import { ApiError } from '#app/api/client'
import { closeDb, DB_NAME } from '#app/db'
import { useRecordsStore } from '#app/stores/records'
import { useSessionStore } from '#app/stores/session'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import 'fake-indexeddb/auto'

/*
 * The records store (年度积分与表现记录) on the phone: a member's own year is kept each time it
 * loads and shown, with its load time, when there is no signal; an organizer's group or branch is
 * never kept; a refusal is never hidden behind a saved copy.
 */
const ME = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
const net: { online: boolean, status: number, total: number } = { online: true, status: 200, total: 42 }

function records(q: RecordsQuery): Records {
  const member = (id: string, name: string) => ({ memberId: id, name, groupName: '一组', total: net.total, byCategory: { study: 0, excel: 0, serve: 0, discipline: 0, uphold: 0 }, months: Array.from({ length: 12 }, () => 0), pledges: { made: 0, kept: 0 }, attendance: { present: 0, expected: 0, rate: null }, review: null, appraisalGrade: null, commendations: [], veto: null })
  return { year: q.year, branchName: '测试党支部', base: 40, members: q.scope === 'branch' ? [member(ME, '张一'), member('b', '李二')] : [member(ME, '张一')] }
}
vi.mock('#app/components/records/records-api', () => ({
  recordsApi: {
    year: async (q: RecordsQuery) => {
      if (!net.online)
        throw new ApiError(0, 'NETWORK', 'offline')
      if (net.status !== 200)
        throw new ApiError(net.status, 'FORBIDDEN', '无权查看')
      return records(q)
    },
    xlsx: async () => new Blob([]),
  },
}))

function store() {
  setActivePinia(createPinia())
  useSessionStore().me = { id: ME, name: '张一', role: 'branch_admin', branchId: 'b1', groupId: 'g1', groupName: '一组' } as Me
  return useRecordsStore()
}

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  Object.assign(net, { online: true, status: 200, total: 42 })
})
afterEach(async () => {
  await closeDb()
})

describe('the annual record on the phone', () => {
  it('should show the member\'s own year as last loaded, and when, with no signal', async () => {
    const s = store()
    await s.load({ year: 2026, scope: 'member' })
    const loadedAt = s.loadedAt
    expect(s.saved).toBe(false)
    expect(s.records?.members[0]?.total).toBe(42)

    net.online = false
    const again = store()
    await again.load({ year: 2026, scope: 'member' })
    expect(again.saved).toBe(true)
    expect(again.loadedAt).toBe(loadedAt)
    expect(again.records?.members[0]?.total).toBe(42)
    // Another year was never loaded here: the error shows, not another year's figures.
    await expect(again.load({ year: 2025, scope: 'member' })).rejects.toMatchObject({ code: 'NETWORK' })
    expect(again.records).toBeNull()
  })

  it('should replace the kept copy with each fresh load', async () => {
    const s = store()
    await s.load({ year: 2026 })
    net.total = 55
    await s.load({ year: 2026 })
    net.online = false
    const offline = store()
    await offline.load({ year: 2026 })
    expect(offline.records?.members[0]?.total).toBe(55)
  })

  it('should keep no copy of a whole branch, and not hide a refusal behind the kept copy', async () => {
    const s = store()
    await s.load({ year: 2026, scope: 'member' })
    await s.load({ year: 2026, scope: 'branch' })
    expect(s.records?.members).toHaveLength(2)
    net.online = false
    await expect(store().load({ year: 2026, scope: 'branch' })).rejects.toMatchObject({ code: 'NETWORK' })

    net.online = true
    net.status = 403
    const refused = store()
    await expect(refused.load({ year: 2026, scope: 'member' })).rejects.toMatchObject({ status: 403 })
    expect(refused.records).toBeNull()
  })
})
