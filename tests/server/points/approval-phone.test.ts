import type { PointsBranch } from '../points-helper'
import { get } from '#app/api/client'
import { listRejected } from '#app/db'
import { useApprovalsStore } from '#app/stores/approvals'
import { syncOnce } from '#app/sync/engine'
import { appOp } from '#app/sync/op-types'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { entryRow, ledgerOf, logEntry, pointsBranch } from '../points-helper'
import { phoneOf, transport } from '../points-phone'

// The store asks the server through the app's API client: here it goes to the test server as lee, or fails as with no signal.
vi.mock('#app/api/client', async original => ({ ...await original<typeof import('#app/api/client')>(), get: vi.fn() }))

let b: PointsBranch
let offline = false
beforeEach(async () => {
  b = await pointsBranch()
  offline = false
  vi.mocked(get).mockImplementation(async (path: string) => {
    if (offline)
      throw new Error('no network')
    return (await b.lee.client.get(`/api${path}`)).json()
  })
})
afterEach(async () => {
  await b.t.close()
})

describe('the organizer\'s 待审核 queue on the phone', () => {
  it('should keep the queue with no signal, take decided entries out at once, and show a refused one in 同步失败 naming who decided first', async () => {
    const first = await logEntry(b.t, b.amy, 'volunteer')
    const second = await logEntry(b.t, b.ben, 'volunteer')
    await phoneOf(b, b.lee, b.groupA)
    const queue = useApprovalsStore()
    await queue.refresh()
    expect(queue.items.map(e => e.id).sort()).toEqual([first.id, second.id].sort())

    // No signal: the queue kept in IndexedDB is still there, and still decided on.
    offline = true
    await expect(queue.refresh()).rejects.toThrow()
    expect(queue.items).toHaveLength(2)
    const amys = queue.items.find(e => e.id === first.id)!
    const bens = queue.items.find(e => e.id === second.id)!
    await queue.approve([amys])
    expect(queue.items.map(e => e.id)).toEqual([second.id])
    expect(queue.waiting).toMatchObject([{ id: first.id, decision: 'approve', shown: { memberName: 'amy' } }])

    // Meanwhile the branch admin returns ben's entry; lee, still offline, returns it too.
    expect((await b.admin.client.post(`/api/points/approvals/${second.id}/return`, { reason: 'duplicate' })).statusCode).toBe(200)
    await queue.giveBack(bens, 'evidence_missing', '请补充照片')
    expect(queue.items).toHaveLength(0)
    expect(queue.waiting.map(d => d.decision)).toEqual(['approve', 'return'])

    // Signal again, before the ops went out: amy's entry (still pending on the server) stays out of the queue.
    offline = false
    await queue.refresh()
    expect(queue.items).toHaveLength(0)

    const result = await syncOnce(transport(b.lee), b.lee.id)
    expect(result.kind).toBe('done')
    await queue.load()
    expect(queue.waiting).toHaveLength(0)
    expect(await entryRow(b.t, first.id)).toMatchObject({ status: 'approved', reviewed_by: b.lee.id })
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2])
    // Ben's entry keeps the admin's decision; lee's return is refused and shown with who did it.
    expect(await entryRow(b.t, second.id)).toMatchObject({ status: 'returned', reviewed_by: b.admin.id, return_code: 'duplicate' })
    const refused = await listRejected(b.lee.id)
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({ type: 'entry.return', code: 'ENTRY_NOT_PENDING' })
    expect(refused[0]!.message).toContain('这条记录已被管理员退回')
    expect(appOp('entry.return')!.summary!(refused[0]!.payload)).toContain('ben')
  })
})
