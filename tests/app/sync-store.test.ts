import type { Me } from '#shared/schemas/auth'
import { randomUUID } from 'node:crypto'
import { useContactPhone } from '#app/components/sync/useContactPhone'
import { closeDb, DB_NAME, getRecord, outboxBatch, outboxCount } from '#app/db'
import { applyPushResults } from '#app/db/outcomes'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { queueWrite } from '#app/sync/write'
import { ENTITY, profileUpdate } from '#shared/sync/ops'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import 'fake-indexeddb/auto'

/* 同步失败 and the contact phone through the sync store, on fake-indexeddb: what the member sees and taps. */
const member = (name: string) => ({ id: randomUUID(), name, role: 'member', branchId: randomUUID(), groupId: null }) as Me
let amy: Me
let sync: ReturnType<typeof useSyncStore>

beforeEach(() => {
  setActivePinia(createPinia())
  amy = member('amy')
  useSessionStore().me = amy
  sync = useSyncStore()
  // The sync a write schedules is the runner's business (tests/app/sync-*.test.ts): here only that it is asked for.
  sync.afterWrite = vi.fn()
})
afterEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
})

/** amy changes her phone; the server refuses the change. */
async function refusedPhone(phone: string) {
  const op = await queueWrite(profileUpdate, { phone }, { entity: ENTITY.profile, id: amy.id, data: { id: amy.id, phone } })
  await applyPushResults([op], [{ opId: op.opId, status: 'rejected', code: 'OP_FORBIDDEN', message: '没有权限 No permission' }])
  return op
}

describe('同步失败 through the sync store', () => {
  it('should list a refused op with its reason, and on 重试 queue it again under a new id, 待同步 again, with a sync asked for', async () => {
    const op = await refusedPhone('13800000001')
    expect(sync.afterWrite).toHaveBeenCalledTimes(1)
    await sync.loadFailed()
    expect(sync.failed.map(o => [o.opId, o.code, o.message])).toEqual([[op.opId, 'OP_FORBIDDEN', '没有权限 No permission']])
    expect((await getRecord(ENTITY.profile, amy.id))?.failed).toBe(true)

    await sync.retryFailed(op.opId)
    expect(sync.failed).toEqual([])
    const queued = await outboxBatch(amy.id, 10)
    expect(queued).toHaveLength(1)
    expect(queued[0]).toMatchObject({ type: 'profile.update', payload: { phone: '13800000001' } })
    expect(queued[0]!.opId).not.toBe(op.opId)
    expect(await getRecord(ENTITY.profile, amy.id)).toMatchObject({ pendingOps: 1, failed: false })
    expect(sync.afterWrite).toHaveBeenCalledTimes(2)
  })

  it('should drop a discarded op, send nothing, and take back the change the server never had', async () => {
    const op = await refusedPhone('13800000001')
    await sync.loadFailed()
    const before = sync.version
    await sync.discardFailed(op.opId)
    expect(sync.failed).toEqual([])
    expect(await outboxCount(amy.id)).toBe(0)
    expect(await getRecord(ENTITY.profile, amy.id)).toBeUndefined()
    // Every list on screen reloads (and the counts in the status bar).
    expect(sync.version).toBeGreaterThan(before)
    await sync.refreshCounts()
    expect(sync.rejected).toBe(0)
  })

  it('should never show one member\'s refused ops to the next one logging in on this phone', async () => {
    await refusedPhone('13800000001')
    await sync.loadFailed()
    expect(sync.failed).toHaveLength(1)
    useSessionStore().me = member('bob')
    await nextTick()
    expect(sync.failed).toEqual([])
    await sync.loadFailed()
    expect(sync.failed).toEqual([])
  })
})

describe('the contact phone (useContactPhone)', () => {
  it('should open a refused change from 同步失败 with its number, and saving the correction replace it', async () => {
    const op = await refusedPhone('13800000009')
    const phone = useContactPhone()
    const refused = await phone.refusedPhone(op.opId)
    expect(refused).toEqual({ phone: '13800000009', opId: op.opId })
    await phone.save('13800000002', refused!.opId)
    expect(phone.record.value).toMatchObject({ data: { phone: '13800000002' }, pendingOps: 1 })
    await sync.loadFailed()
    expect(sync.failed).toEqual([])
    expect((await outboxBatch(amy.id, 10)).map(o => o.payload)).toEqual([{ phone: '13800000002' }])
    // The refused op is gone: 修改 a second time finds nothing to correct.
    expect(await phone.refusedPhone(op.opId)).toBeUndefined()
  })
})

describe('queueWrite gets the member from the sync store', () => {
  it('should queue into the logged-in member\'s outbox, and refuse (queueing nothing) with nobody logged in', async () => {
    const bob = member('bob')
    useSessionStore().me = bob
    await queueWrite(profileUpdate, { phone: null }, { entity: ENTITY.profile, id: bob.id, data: { id: bob.id, phone: null } })
    expect(await outboxCount(bob.id)).toBe(1)
    expect(await outboxCount(amy.id)).toBe(0)
    useSessionStore().me = null
    await expect(queueWrite(profileUpdate, { phone: null })).rejects.toThrow('not logged in')
    expect(await outboxCount()).toBe(1)
  })
})
