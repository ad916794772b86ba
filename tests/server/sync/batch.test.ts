import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import { preparedOnce } from '#server/db/database'
import { recordChange } from '#server/sync/changes'
import { OpRejection, registerOp, unregisterOp } from '#server/sync/registry'
import { defineOp } from '#shared/sync/protocol'
import SQLite from 'better-sqlite3'
import { Type } from 'typebox'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { addMember, op, push } from '../sync-helper'

/*
 * A push batch is one transaction (issue 17): one bad op rolls back only itself, the change log
 * of the batch gets consecutive seqs in the order the member made the changes, and the same op
 * id twice in one batch is applied once.
 */
const markDef = defineOp('test.mark', Type.Object({ id: Type.String(), refuse: Type.Optional(Type.Boolean()) }))
beforeAll(() => registerOp({
  definition: markDef,
  async apply(ctx, p) {
    await ctx.trx.insertInto('server_state').values({ key: `mark:${p.id}`, value: p.id }).execute()
    await recordChange(ctx.trx, { entity: 'mark', entityId: p.id, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: { id: p.id } })
    if (p.refuse)
      throw new OpRejection('TEST_REFUSED', '不行 No')
    return { id: p.id }
  },
}))
let t: TestApp
let alice: { client: Client, id: string }
beforeEach(async () => {
  t = await buildTestApp()
  alice = await addMember(t.app, t.handle, (await setUpBranch(t.app, t.handle)).branchId, 'alice')
})
afterEach(async () => {
  await t.close()
})
afterAll(() => unregisterOp('test.mark'))

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
const marks = async () => (await t.handle.db.selectFrom('server_state').select('value').where('key', 'like', 'mark:%').orderBy('value').execute()).map(r => r.value)
const markLog = async () => t.handle.db.selectFrom('change_log').select(['seq', 'entity_id']).where('entity', '=', 'mark').orderBy('seq').execute()
const counter = async () => (await t.handle.db.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq

describe('a push batch in one transaction', () => {
  it('should roll back only the refused op, record it, and log the others\' changes with consecutive seqs in order (200)', async () => {
    const before = await counter()
    const ops = [op('test.mark', { id: 'a' }), op('test.mark', { id: 'b', refuse: true }), op('test.mark', { id: 'c' }), op('test.mark', { id: 'd' })]
    const res = results(await push(alice.client, ops))
    expect(res.map(r => [r.status, r.code])).toEqual([['applied', undefined], ['rejected', 'TEST_REFUSED'], ['applied', undefined], ['applied', undefined]])
    expect(await marks()).toEqual(['a', 'c', 'd'])
    const log = await markLog()
    expect(log.map(r => r.entity_id)).toEqual(['a', 'c', 'd'])
    expect(log.map(r => r.seq)).toEqual([before + 1, before + 2, before + 3])
    expect(await counter()).toBe(before + 3)
    const recorded = await t.handle.db.selectFrom('sync_op').select(['op_id', 'status']).where('type', '=', 'test.mark').execute()
    expect(recorded).toHaveLength(4)
    expect(recorded.find(r => r.op_id === ops[1]!.opId)?.status).toBe('rejected')
    // The refusal is answered the same way again, the applied ops as duplicates.
    expect(results(await push(alice.client, ops)).map(r => r.status)).toEqual(['duplicate', 'rejected', 'duplicate', 'duplicate'])
    expect(await marks()).toEqual(['a', 'c', 'd'])
  })

  it('should apply an op id given twice in one batch once and answer the second duplicate (200)', async () => {
    const o = op('test.mark', { id: 'x' })
    const res = results(await push(alice.client, [o, op('test.mark', { id: 'y' }), o]))
    expect(res.map(r => r.status)).toEqual(['applied', 'applied', 'duplicate'])
    expect(res[2]).toEqual({ ...res[0], status: 'duplicate' })
    expect(await marks()).toEqual(['x', 'y'])
    expect((await markLog()).map(r => r.entity_id)).toEqual(['x', 'y'])
  })

  it('should refuse the same op id with another payload later in the batch (200 rejected OP_ID_REUSED)', async () => {
    const o = op('test.mark', { id: 'x' })
    const res = results(await push(alice.client, [o, { ...o, payload: { id: 'z' } }]))
    expect(res.map(r => [r.status, r.code])).toEqual([['applied', undefined], ['rejected', 'OP_ID_REUSED']])
    expect(await marks()).toEqual(['x'])
  })

  it('should take 500 ops in one request with one change each (200)', async () => {
    const before = await counter()
    const ops = Array.from({ length: 500 }, (_, i) => op('test.mark', { id: `m${String(i).padStart(3, '0')}` }))
    const res = results(await push(alice.client, ops))
    expect(res.every(r => r.status === 'applied')).toBe(true)
    expect(await counter()).toBe(before + 500)
    expect((await markLog()).map(r => r.entity_id)).toEqual(ops.map(o => (o.payload as { id: string }).id))
  })
})

describe('statements prepared once on SQLite', () => {
  it('should hand back the same statement for the same SQL, forget the least recently used past its size, and never a busy one', () => {
    const raw = new SQLite(':memory:')
    const db = preparedOnce(raw, 2)
    try {
      const one = db.prepare('select 1 as n')
      expect(db.prepare('select 1 as n')).toBe(one)
      const two = db.prepare('select 2 as n')
      db.prepare('select 1 as n') // used again: now "select 2" is the oldest
      db.prepare('select 3 as n')
      expect(db.prepare('select 1 as n')).toBe(one)
      expect(db.prepare('select 2 as n')).not.toBe(two)
      const iterating = db.prepare('select 1 as n').iterate([])
      iterating.next()
      const fresh = db.prepare('select 1 as n')
      expect(fresh).not.toBe(one)
      expect(fresh.all([])).toEqual([{ n: 1 }])
      iterating.return?.()
    }
    finally {
      db.close()
    }
  })
})
