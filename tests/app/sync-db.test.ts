import type { OutboxOp } from '#app/db'
import { closeDb, DB_NAME, DB_VERSION, getDb, getRecord, listRecords, listRejected, localWrite, outboxBatch, outboxCount, setMeta } from '#app/db'
import { listQueuedApprovals, queuedPayloads, replaceQueuedApprovals } from '#app/db/approvals'
import { openXfDb } from '#app/db/index'
import { applyPullPage, applyPushResults, discardRejected, retryRejected } from '#app/db/outcomes'
import { getLocalPhoto, prunePhotos } from '#app/db/photos'
import { getRoster, putRoster } from '#app/db/rosters'
import { ballotSecret, keepBallot, savedBallot } from '#app/db/secrets'
import { deleteDB } from 'idb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import 'fake-indexeddb/auto'

const ALICE = 'a0000000-0000-4000-8000-000000000001'
const BOB = 'b0000000-0000-4000-8000-000000000002'

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
})
afterEach(async () => {
  await closeDb()
})

function write(memberId: string, phone: string, id = memberId) {
  return localWrite({ memberId, type: 'profile.update', payload: { phone }, record: { entity: 'profile', id, data: { phone } } })
}

describe('schema and upgrades', () => {
  it('should keep every queued op when a version-1 database is upgraded to the current version', async () => {
    const v1 = await openXfDb(DB_NAME, 1)
    expect([...v1.objectStoreNames].sort()).toEqual(['meta', 'outbox'])
    await v1.put('outbox', { seq: 1, opId: 'op-1', memberId: ALICE, type: 'profile.update', payload: { phone: '1' }, clientTime: '2026-01-01T00:00:00Z', attempts: 0 } as OutboxOp)
    await v1.put('meta', { key: 'nextSeq', value: 2 })
    v1.close()

    const db = await getDb()
    expect(db.version).toBe(DB_VERSION)
    expect([...db.objectStoreNames].sort()).toEqual(['approvals', 'ballotSecrets', 'meta', 'outbox', 'photos', 'pledgeQueue', 'records', 'rejected', 'rosters'])
    expect((await outboxBatch(ALICE, 10)).map(o => o.opId)).toEqual(['op-1'])
    expect((await db.getFromIndex('outbox', 'opId', 'op-1'))?.seq).toBe(1)
    const next = await write(ALICE, '2')
    expect(next.seq).toBe(2)
  })

  it('should keep queued ops, rejected ops and records when a version-2 database gains the photo store', async () => {
    const v2 = await openXfDb(DB_NAME, 2)
    await v2.put('outbox', { seq: 1, opId: 'op-1', memberId: ALICE, type: 'profile.update', payload: { phone: '1' }, clientTime: '2026-01-01T00:00:00Z', attempts: 0 } as OutboxOp)
    await v2.put('rejected', { seq: 2, opId: 'op-2', memberId: ALICE, type: 'profile.update', payload: { phone: '2' }, clientTime: '2026-01-01T00:00:00Z', attempts: 0, code: 'X', message: 'no', rejectedAt: '2026-01-02T00:00:00Z' })
    await v2.put('records', { entity: 'profile', id: ALICE, owner: ALICE, data: { phone: '1' }, pendingOps: 1, failed: false, updatedAt: '2026-01-01T00:00:00Z' })
    await v2.put('meta', { key: 'nextSeq', value: 3 })
    v2.close()

    const db = await getDb()
    expect(db.version).toBe(DB_VERSION)
    expect((await outboxBatch(ALICE, 10)).map(o => o.opId)).toEqual(['op-1'])
    expect((await listRejected(ALICE)).map(r => r.opId)).toEqual(['op-2'])
    expect(await getRecord('profile', ALICE)).toMatchObject({ pendingOps: 1 })
    const bytes = new Uint8Array([0x89, 0x50, 0x4E, 0x47]).buffer
    await localWrite({ memberId: ALICE, type: 'entry.create', payload: { photoIds: ['p-1'] }, photos: [{ id: 'p-1', mime: 'image/jpeg', bytes }] })
    expect(new Uint8Array((await db.get('photos', 'p-1'))!.bytes)).toEqual(new Uint8Array([0x89, 0x50, 0x4E, 0x47]))
  })

  it('should keep queued ops when a version-3 database gains the organizer\'s member lists and approval queue', async () => {
    const v3 = await openXfDb(DB_NAME, 3)
    await v3.put('outbox', { seq: 1, opId: 'op-1', memberId: ALICE, type: 'entry.approve', payload: { id: 'e-1' }, clientTime: '2026-01-01T00:00:00Z', attempts: 0 } as OutboxOp)
    await v3.put('outbox', { seq: 2, opId: 'op-2', memberId: ALICE, type: 'points.adjust', payload: { id: 'e-9' }, clientTime: '2026-01-01T00:00:01Z', attempts: 0 } as OutboxOp)
    await v3.put('meta', { key: 'nextSeq', value: 3 })
    v3.close()

    const db = await getDb()
    expect(db.version).toBe(DB_VERSION)
    expect((await outboxBatch(ALICE, 10)).map(o => o.opId)).toEqual(['op-1', 'op-2'])
    await putRoster(ALICE, [{ id: 'm-1', name: '张三', groupId: null, groupName: null }])
    expect((await getRoster(ALICE))?.members.map(m => m.name)).toEqual(['张三'])
    await replaceQueuedApprovals(ALICE, [{ id: 'e-2' }, { id: 'e-1' }])
    await replaceQueuedApprovals(BOB, [{ id: 'e-3' }])
    expect(await listQueuedApprovals<{ id: string }>(ALICE)).toEqual([{ id: 'e-2' }, { id: 'e-1' }])
    expect(await queuedPayloads(ALICE, ['entry.approve'])).toEqual([{ id: 'e-1' }])
  })

  it('should keep queued ops and records when a version-3 database gains the pledge review queue store', async () => {
    const v3 = await openXfDb(DB_NAME, 3)
    await v3.put('outbox', { seq: 1, opId: 'op-1', memberId: ALICE, type: 'pledge.progress', payload: {}, clientTime: '2026-01-01T00:00:00Z', attempts: 0 } as OutboxOp)
    await v3.put('records', { entity: 'pledge', id: 'p-1', owner: ALICE, data: { status: 'draft' }, pendingOps: 1, failed: false, updatedAt: '2026-01-01T00:00:00Z' })
    v3.close()

    const db = await getDb()
    expect((await outboxBatch(ALICE, 10)).map(o => o.opId)).toEqual(['op-1'])
    expect(await getRecord('pledge', 'p-1')).toMatchObject({ pendingOps: 1 })
    await db.put('pledgeQueue', { owner: ALICE, pledges: [{ id: 'p-2' }], fetchedAt: '2026-01-02T00:00:00Z' })
    expect((await db.get('pledgeQueue', ALICE))?.pledges).toEqual([{ id: 'p-2' }])
  })

  it('should keep queued ops and records when a version-6 database gains the 民主评议 ballot secrets, one per member and appraisal', async () => {
    const v6 = await openXfDb(DB_NAME, 6)
    await v6.put('outbox', { seq: 1, opId: 'op-1', memberId: ALICE, type: 'appraisal.summary', payload: { appraisalId: 'a-1', text: '总结' }, clientTime: '2026-01-01T00:00:00Z', attempts: 0 } as OutboxOp)
    await v6.put('records', { entity: 'appraisal', id: 'a-1', owner: ALICE, data: { status: 'ballot' }, pendingOps: 0, failed: false, updatedAt: '2026-01-01T00:00:00Z' })
    v6.close()

    await getDb()
    expect((await outboxBatch(ALICE, 10)).map(o => o.opId)).toEqual(['op-1'])
    expect(await getRecord('appraisal', 'a-1')).toMatchObject({ data: { status: 'ballot' } })
    const alice = await ballotSecret(ALICE, 'a-1')
    expect(alice).toMatch(/^[\w-]{43}$/)
    expect(await ballotSecret(ALICE, 'a-1')).toBe(alice)
    expect(await ballotSecret(BOB, 'a-1')).not.toBe(alice)
    await keepBallot(ALICE, 'a-1', { 'm-1': 'excellent' })
    expect(await savedBallot(ALICE, 'a-1')).toMatchObject({ grades: { 'm-1': 'excellent' } })
    expect(await savedBallot(BOB, 'a-1')).toBeNull()
  })

  it('should write a photo with its op in one transaction, and drop it once no queued or rejected op needs it', async () => {
    await setMeta('nextSeq', 1)
    await write(ALICE, '111')
    await setMeta('nextSeq', 1) // the next op's key collides: the whole write fails, photo included
    const bytes = new Uint8Array([1, 2, 3]).buffer
    await expect(localWrite({ memberId: ALICE, type: 'entry.create', payload: { photoIds: ['p-1'] }, photos: [{ id: 'p-1', mime: 'image/jpeg', bytes }] })).rejects.toThrow()
    expect(await getLocalPhoto('p-1')).toBeUndefined()
    await setMeta('nextSeq', 2)
    const op = await localWrite({ memberId: ALICE, type: 'entry.create', payload: { photoIds: ['p-1'] }, photos: [{ id: 'p-1', mime: 'image/jpeg', bytes }] })
    expect(await prunePhotos()).toBe(0)
    await applyPushResults([op], [{ opId: op.opId, status: 'rejected', code: 'PHOTO_TYPE', message: 'no' }])
    expect(await prunePhotos()).toBe(0)
    await discardRejected(op.opId)
    expect(await prunePhotos()).toBe(1)
    expect(await getLocalPhoto('p-1')).toBeUndefined()
  })

  it('should close an old tab\'s connection when a newer version opens, so the upgrade is not blocked (case 7)', async () => {
    let closedOld = false
    const old = await openXfDb(DB_NAME, 1, () => {
      old.close()
      closedOld = true
    })
    const upgraded = await Promise.race([
      openXfDb(DB_NAME, DB_VERSION),
      new Promise<null>(resolve => setTimeout(resolve, 2000, null)),
    ])
    expect(closedOld).toBe(true)
    expect(upgraded?.version).toBe(DB_VERSION)
    upgraded?.close()
  })
})

describe('localWrite', () => {
  it('should write the pending record and its op together, with increasing seqs', async () => {
    const a = await write(ALICE, '111')
    const b = await write(ALICE, '222')
    expect([a.seq, b.seq]).toEqual([1, 2])
    expect(a.opId).not.toBe(b.opId)
    const record = await getRecord<{ phone: string }>('profile', ALICE)
    expect(record).toMatchObject({ data: { phone: '222' }, pendingOps: 2, failed: false, owner: ALICE })
    expect(await outboxCount()).toBe(2)
  })

  it('should write neither the record nor the op when the transaction fails', async () => {
    await write(ALICE, '111')
    await setMeta('nextSeq', 1) // the next op's key collides: the outbox add fails inside the transaction
    await expect(write(ALICE, '999', 'other-record')).rejects.toThrow()
    expect(await getRecord('profile', 'other-record')).toBeUndefined()
    expect(await outboxCount()).toBe(1)
    expect((await getRecord<{ phone: string }>('profile', ALICE))?.data.phone).toBe('111')
  })

  it('should store plain copies of reactive payloads', async () => {
    const { reactive } = await import('vue')
    const payload = reactive({ phone: '123456', nested: { a: [1, 2] } })
    await localWrite({ memberId: ALICE, type: 't', payload })
    payload.phone = 'changed'
    expect((await outboxBatch(ALICE, 1))[0]!.payload).toEqual({ phone: '123456', nested: { a: [1, 2] } })
  })
})

describe('outbox ordering', () => {
  it('should hand out a member\'s ops oldest first, in batches, and never another member\'s', async () => {
    for (let i = 0; i < 7; i++)
      await write(i % 2 ? BOB : ALICE, `${i}00000`, `r${i}`)
    expect((await outboxBatch(ALICE, 10)).map(o => o.seq)).toEqual([1, 3, 5, 7])
    expect((await outboxBatch(ALICE, 2)).map(o => o.seq)).toEqual([1, 3])
    expect((await outboxBatch(BOB, 10)).map(o => o.seq)).toEqual([2, 4, 6])
    expect(await outboxCount(ALICE)).toBe(4)
  })
})

describe('answers from the server', () => {
  it('should clear answered ops, move rejected ones with their reason, and keep unanswered ones', async () => {
    const applied = await write(ALICE, '111', 'r1')
    const rejected = await write(ALICE, '222', 'r2')
    const unanswered = await write(ALICE, '333', 'r3')
    const res = await applyPushResults([applied, rejected, unanswered], [
      { opId: applied.opId, status: 'applied', entity: { phone: '111', updatedAt: 'x' } },
      { opId: rejected.opId, status: 'rejected', code: 'OP_FORBIDDEN', message: '没有权限 No' },
    ])
    expect(res).toEqual({ answered: 2, rejected: 1 })
    expect((await outboxBatch(ALICE, 10)).map(o => [o.opId, o.attempts])).toEqual([[unanswered.opId, 1]])
    expect(await getRecord('profile', 'r1')).toMatchObject({ pendingOps: 0, failed: false, data: { phone: '111', updatedAt: 'x' } })
    expect(await getRecord('profile', 'r2')).toMatchObject({ pendingOps: 0, failed: true, data: { phone: '222' } })
    expect((await listRejected(ALICE)).map(r => [r.opId, r.code, r.message])).toEqual([[rejected.opId, 'OP_FORBIDDEN', '没有权限 No']])
  })

  it('should treat duplicate like applied', async () => {
    const op = await write(ALICE, '111')
    await applyPushResults([op], [{ opId: op.opId, status: 'duplicate' }])
    expect(await outboxCount()).toBe(0)
    expect(await getRecord('profile', ALICE)).toMatchObject({ pendingOps: 0, failed: false })
  })

  it('should restore the server\'s version when a rejected change is discarded, and drop a record the server never had', async () => {
    await applyPullPage(ALICE, 'cursor', { changes: [{ seq: 1, entity: 'profile', entityId: 'r1', op: 'upsert', data: { phone: 'server' } }], cursor: 'e.1' })
    const a = await write(ALICE, 'local', 'r1')
    const b = await write(ALICE, 'new', 'r2')
    await applyPushResults([a, b], [a, b].map(o => ({ opId: o.opId, status: 'rejected' as const, code: 'X', message: 'no' })))
    await discardRejected(a.opId)
    await discardRejected(b.opId)
    expect(await getRecord('profile', 'r1')).toMatchObject({ data: { phone: 'server' }, failed: false })
    expect(await getRecord('profile', 'r2')).toBeUndefined()
    expect(await listRejected(ALICE)).toEqual([])
  })

  it('should queue a retried op again under a new id and the next seq', async () => {
    const a = await write(ALICE, '111', 'r1')
    await applyPushResults([a], [{ opId: a.opId, status: 'rejected', code: 'X', message: 'no' }])
    const again = await retryRejected(a.opId)
    expect(again?.opId).not.toBe(a.opId)
    expect(again?.seq).toBe(2)
    expect(again?.payload).toEqual({ phone: '111' })
    expect(await listRejected(ALICE)).toEqual([])
    expect(await getRecord('profile', 'r1')).toMatchObject({ pendingOps: 1, failed: false })
  })

  it('should apply a pulled page with its cursor, keep local pending versions, and on reset drop only settled records', async () => {
    await applyPullPage(ALICE, 'cursor', { changes: [
      { seq: 1, entity: 'notice', entityId: 'n1', op: 'upsert', data: { t: 1 } },
      { seq: 2, entity: 'notice', entityId: 'n2', op: 'upsert', data: { t: 2 } },
    ], cursor: 'e.2' })
    await write(ALICE, 'mine', 'p1')
    await applyPullPage(ALICE, 'cursor', { changes: [{ seq: 3, entity: 'profile', entityId: 'p1', op: 'upsert', data: { phone: 'older' } }, { seq: 4, entity: 'notice', entityId: 'n2', op: 'delete', data: null }], cursor: 'e.4' })
    expect(await getRecord('profile', 'p1')).toMatchObject({ data: { phone: 'mine' }, server: { phone: 'older' }, pendingOps: 1 })
    expect(await getRecord('notice', 'n2')).toBeUndefined()
    expect((await (await getDb()).get('meta', 'cursor'))?.value).toBe('e.4')
    await applyPullPage(ALICE, 'cursor', { changes: [], cursor: 'f.0', reset: true })
    expect((await listRecords(ALICE)).map(r => r.id)).toEqual(['p1'])
  })
})
