import type { Db } from '#server/db/database'
import type { OpResult } from '#shared/sync/protocol'
import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { recordChange } from '#server/sync/changes'
import { FLOOR_KEY } from '#server/sync/pull'
import { OpRejection, registerOp, requireSelf, unregisterOp } from '#server/sync/registry'
import { LIMITS } from '#shared/constants'
import { defineOp, PushResponse, SYNC_PROTOCOL } from '#shared/sync/protocol'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, freshDatabase, setUpBranch, TEST_PASSWORD_PARAMS } from '../helper'
import { addMember, op, push } from '../sync-helper'

/* Test-only op types that exercise the mechanism itself. */
const noteDef = defineOp('test.note', Type.Object({ memberId: Type.String(), text: Type.String({ maxLength: 20 }) }, { additionalProperties: false }))
const adminDef = defineOp('test.admin', Type.Object({}))
const failLateDef = defineOp('test.failLate', Type.Object({ text: Type.String() }))
const flakyDef = defineOp('test.flaky', Type.Object({ n: Type.Integer() }))
const broadcastDef = defineOp('test.broadcast', Type.Object({ text: Type.String() }))
let dbDown = false

beforeAll(() => {
  registerOp({
    definition: noteDef,
    async apply(ctx, payload) {
      requireSelf(ctx, payload.memberId)
      await recordChange(ctx.trx, { entity: 'note', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: payload })
      return { id: ctx.opId, ...payload }
    },
  })
  registerOp({ definition: adminDef, role: 'branch_admin', apply: async () => ({ ok: true }) })
  registerOp({
    definition: failLateDef,
    async apply(ctx, payload) {
      await recordChange(ctx.trx, { entity: 'note', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: payload })
      throw new OpRejection('TEST_LATE', '太晚了 Too late')
    },
  })
  registerOp({
    definition: flakyDef,
    async apply(ctx, payload) {
      if (dbDown)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      await recordChange(ctx.trx, { entity: 'flaky', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: payload })
    },
  })
  registerOp({
    definition: broadcastDef,
    async apply(ctx, payload) {
      await recordChange(ctx.trx, { entity: 'notice', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: null, op: 'upsert', data: payload })
    },
  })
})
let t: TestApp
let branchId: string
let alice: { client: Client, id: string }
let bob: { client: Client, id: string }
/* Other features write their own rows at setup (e.g. default point rules): count from here on. */
const base = { sync_op: 0, change_log: 0, counter: 0 }
const countAll = async (table: 'sync_op' | 'change_log') => Number((await t.handle.db.selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
const counter = async () => (await t.handle.db.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq
beforeEach(async () => {
  t = await buildTestApp()
  branchId = (await setUpBranch(t.app, t.handle)).branchId
  alice = await addMember(t.app, t.handle, branchId, 'alice')
  bob = await addMember(t.app, t.handle, branchId, 'bob')
  dbDown = false
  Object.assign(base, { sync_op: await countAll('sync_op'), change_log: await countAll('change_log'), counter: await counter() })
})
afterEach(async () => {
  await t.close()
})

afterAll(() => {
  for (const type of ['test.note', 'test.admin', 'test.failLate', 'test.flaky', 'test.broadcast'])
    unregisterOp(type)
})

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
const count = async (table: 'sync_op' | 'change_log') => await countAll(table) - base[table]
const phoneOf = async (id: string) => (await t.handle.db.selectFrom('member').select('phone').where('id', '=', id).executeTakeFirstOrThrow()).phone

describe('sync push', () => {
  it('should apply a profile.update for the session member and record the op with its change in one go (200 applied)', async () => {
    const o = op('profile.update', { phone: '13800000001' })
    const res = await push(alice.client, [o])
    expect(res.statusCode).toBe(200)
    expect(results(res)).toEqual([{ opId: o.opId, status: 'applied', entity: expect.objectContaining({ id: alice.id, phone: '13800000001' }) }])
    expect(await phoneOf(alice.id)).toBe('13800000001')
    const row = await t.handle.db.selectFrom('sync_op').selectAll().where('op_id', '=', o.opId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ op_id: o.opId, member_id: alice.id, status: 'applied', type: 'profile.update' })
    expect(await count('change_log')).toBe(1)
  })

  it('should answer the same op pushed again as duplicate with the stored entity and apply nothing twice (200 duplicate)', async () => {
    const o = op('profile.update', { phone: '13800000001' })
    const first = results(await push(alice.client, [o]))[0]!
    const again = results(await push(alice.client, [o]))[0]!
    expect(again).toEqual({ ...first, status: 'duplicate' })
    expect(await count('sync_op')).toBe(1)
    expect(await count('change_log')).toBe(1)
  })

  it('should apply the same op pushed twice at the same moment exactly once (200 applied + duplicate)', async () => {
    const o = op('test.note', { memberId: alice.id, text: 'hi' })
    const [a, b] = await Promise.all([push(alice.client, [o]), push(alice.client, [o])])
    expect([results(a)[0]!.status, results(b)[0]!.status].sort()).toEqual(['applied', 'duplicate'])
    expect(await count('sync_op')).toBe(1)
    expect(await count('change_log')).toBe(1)
  })

  it('should apply the ops of a batch in the order the member made them (200)', async () => {
    const res = await push(alice.client, [op('profile.update', { phone: '111111' }), op('profile.update', { phone: '222222' })])
    expect(results(res).map(r => r.status)).toEqual(['applied', 'applied'])
    expect(await phoneOf(alice.id)).toBe('222222')
  })

  it('should reject an op id reused with a different payload and leave the first effect alone (200 rejected OP_ID_REUSED)', async () => {
    const o = op('profile.update', { phone: '13800000001' })
    await push(alice.client, [o])
    const res = results(await push(alice.client, [{ ...o, payload: { phone: '13900000009' } }]))[0]!
    expect(res).toMatchObject({ opId: o.opId, status: 'rejected', code: 'OP_ID_REUSED' })
    expect(res.message).toMatch(/编号/)
    expect(await phoneOf(alice.id)).toBe('13800000001')
    expect(await count('sync_op')).toBe(1)
  })

  it('should reject another member reusing an op id even with the same payload (200 rejected OP_ID_REUSED)', async () => {
    const o = op('profile.update', { phone: '13800000001' })
    await push(alice.client, [o])
    expect(results(await push(bob.client, [o]))[0]).toMatchObject({ status: 'rejected', code: 'OP_ID_REUSED' })
    expect(await phoneOf(bob.id)).toBeNull()
  })

  it('should reject an unknown op type, record it, and answer a retry the same way (200 rejected OP_UNKNOWN_TYPE)', async () => {
    const o = op('nope.never', { x: 1 })
    const first = results(await push(alice.client, [o]))[0]!
    expect(first).toMatchObject({ opId: o.opId, status: 'rejected', code: 'OP_UNKNOWN_TYPE' })
    expect(results(await push(alice.client, [o]))[0]).toEqual(first)
    expect(await t.handle.db.selectFrom('sync_op').select(['status', 'op_id']).where('op_id', '=', o.opId).execute()).toEqual([{ status: 'rejected', op_id: o.opId }])
    expect(await count('sync_op')).toBe(1)
  })

  it('should reject a payload that fails its schema and apply nothing (200 rejected OP_INVALID_PAYLOAD)', async () => {
    const res = results(await push(alice.client, [op('profile.update', { phone: 'call me maybe' }), op('profile.update', { phone: '123456', memberId: bob.id })]))
    expect(res.map(r => r.code)).toEqual(['OP_INVALID_PAYLOAD', 'OP_INVALID_PAYLOAD'])
    expect(res[0]!.message).toMatch(/phone/)
    expect(await phoneOf(alice.id)).toBeNull()
    expect(await phoneOf(bob.id)).toBeNull()
    expect(await count('change_log')).toBe(0)
  })

  it('should reject a malformed op and still apply the next one in the batch (200 rejected OP_MALFORMED)', async () => {
    const good = op('profile.update', { phone: '123456' })
    const res = results(await push(alice.client, [{ type: 'profile.update', payload: {} }, { ...op('profile.update', { phone: '1' }), seq: 0 }, good]))
    expect(res.map(r => [r.status, r.code])).toEqual([['rejected', 'OP_MALFORMED'], ['rejected', 'OP_MALFORMED'], ['applied', undefined]])
    expect(await phoneOf(alice.id)).toBe('123456')
  })

  it('should answer every kind of result in the shape PushResponse declares, as JSON (200)', async () => {
    // The route sends the answers as push stored them (sync_op.result) instead of through the schema's serializer.
    const applied = op('profile.update', { phone: '13800000001' })
    const res = await push(alice.client, [applied, applied, { type: 'x' }, op('profile.update', { phone: 'no' }), op('test.nothing', {})])
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = res.json() as unknown
    expect([...Compile(PushResponse).Errors(body)]).toEqual([])
    expect((body as { results: OpResult[] }).results.map(r => r.code ?? r.status)).toEqual(['applied', 'duplicate', 'OP_MALFORMED', 'OP_INVALID_PAYLOAD', 'OP_UNKNOWN_TYPE'])
    expect((body as { results: OpResult[] }).results[1]).toMatchObject({ opId: applied.opId, status: 'duplicate', entity: { phone: '13800000001' } })
  })

  it('should reject an op about another member and write nothing (200 rejected OP_NOT_YOURS)', async () => {
    const o = op('test.note', { memberId: bob.id, text: 'for bob' })
    expect(results(await push(alice.client, [o]))[0]).toMatchObject({ status: 'rejected', code: 'OP_NOT_YOURS' })
    expect(await count('change_log')).toBe(0)
    expect(await t.handle.db.selectFrom('sync_op').select(['status', 'member_id']).where('op_id', '=', o.opId).execute()).toEqual([{ status: 'rejected', member_id: alice.id }])
  })

  it('should reject an op the member may not do by role (200 rejected OP_FORBIDDEN)', async () => {
    expect(results(await push(alice.client, [op('test.admin', {})]))[0]).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
  })

  it('should roll back what a handler wrote before it rejected, and record the rejection (200 rejected)', async () => {
    const res = results(await push(alice.client, [op('test.failLate', { text: 'x' })]))[0]!
    expect(res).toMatchObject({ status: 'rejected', code: 'TEST_LATE', message: '太晚了 Too late' })
    expect(await count('change_log')).toBe(0)
    expect(await counter()).toBe(base.counter)
    expect(await count('sync_op')).toBe(1)
  })

  it('should answer 413 with the limit for a batch over it and record nothing', async () => {
    const ops = Array.from({ length: LIMITS.syncBatchOps + 1 }, () => op('test.broadcast', { text: 'x' }))
    const res = await push(alice.client, ops)
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ code: 'SYNC_BATCH_TOO_LARGE' })
    expect(res.json().message).toContain(String(LIMITS.syncBatchOps))
    expect(await count('sync_op')).toBe(0)
  })

  it('should answer 400 to another protocol version', async () => {
    const res = await alice.client.post('/api/sync/push', { protocol: SYNC_PROTOCOL + 1, deviceId: randomUUID(), ops: [op('profile.update', { phone: null })] })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('SYNC_PROTOCOL')
    expect(await count('sync_op')).toBe(0)
  })

  it('should answer 401 without a session and apply nothing', async () => {
    const res = await push(new Client(t.app), [op('profile.update', { phone: '123456' })])
    expect(res.statusCode).toBe(401)
    expect(await count('sync_op')).toBe(0)
  })

  it('should answer 503 and acknowledge nothing when the database fails mid-batch; the retry then applies each op once', async () => {
    const ops = [op('test.flaky', { n: 1 }), op('test.flaky', { n: 2 })]
    dbDown = false
    const first = results(await push(alice.client, [ops[0]!]))
    expect(first[0]!.status).toBe('applied')
    dbDown = true
    const res = await push(alice.client, ops)
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ code: 'DB_UNAVAILABLE' })
    expect(res.json().results).toBeUndefined()
    dbDown = false
    expect(results(await push(alice.client, ops)).map(r => r.status)).toEqual(['duplicate', 'applied'])
    expect(await count('change_log')).toBe(2)
  })
})

describe('sync pull', () => {
  const pull = async (client: Client, since = '', limit?: number) => {
    const res = await client.get(`/api/sync/pull?since=${encodeURIComponent(since)}${limit ? `&limit=${limit}` : ''}`)
    expect(res.statusCode).toBe(200)
    const page = res.json() as { changes: { seq: number, entity: string, entityId: string, data: any }[], cursor: string, hasMore: boolean, reset?: boolean }
    // Only this test's entities: other features add branch-wide rows of their own at setup.
    return { ...page, all: page.changes, changes: page.changes.filter(c => ['profile', 'notice', 'note'].includes(c.entity)) }
  }

  it('should return branch-wide changes and the member\'s own, never another member\'s or another branch\'s (200)', async () => {
    await push(alice.client, [op('profile.update', { phone: '111111' })])
    await push(bob.client, [op('profile.update', { phone: '222222' }), op('test.broadcast', { text: '开会' })])
    await t.handle.db.transaction().execute(async (trx) => {
      await recordChange(trx, { entity: 'notice', entityId: randomUUID(), branchId: randomUUID(), memberId: null, op: 'upsert', data: {} })
    })
    const page = await pull(alice.client)
    expect(page.changes.map(c => [c.entity, c.data.phone ?? c.data.text])).toEqual([['profile', '111111'], ['notice', '开会']])
    expect(page.hasMore).toBe(false)
    expect((await pull(bob.client)).changes.map(c => c.data.phone ?? c.data.text)).toEqual(['222222', '开会'])
  })

  it('should page through changes in seq order with the cursor and never repeat one (200 hasMore)', async () => {
    await push(alice.client, Array.from({ length: 5 }, (_, i) => op('test.broadcast', { text: `n${i}` })))
    const seen: string[] = []
    let cursor = ''
    let pages = 0
    for (;;) {
      const page = await pull(bob.client, cursor, 2)
      seen.push(...page.changes.map(c => c.data.text as string))
      cursor = page.cursor
      pages++
      if (!page.hasMore)
        break
    }
    expect(seen).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
    expect(pages).toBeGreaterThanOrEqual(3)
    await push(alice.client, [op('test.broadcast', { text: 'n5' })])
    expect((await pull(bob.client, cursor)).changes.map(c => c.data.text)).toEqual(['n5'])
  })

  it('should move the cursor past changes the member cannot see (200)', async () => {
    await push(bob.client, [op('profile.update', { phone: '222222' })])
    const page = await pull(alice.client)
    expect(page.changes).toEqual([])
    expect(page.cursor.split('.')[1]).toBe(String(await counter()))
  })

  it('should answer reset with every change for a cursor from another database or older than the log keeps (200 reset)', async () => {
    await push(alice.client, [op('test.broadcast', { text: 'a' }), op('test.broadcast', { text: 'b' })])
    const { cursor } = await pull(alice.client)
    const foreign = await pull(alice.client, `zzzzzzzz.${cursor.split('.')[1]}`)
    expect(foreign.reset).toBe(true)
    expect(foreign.changes).toHaveLength(2)
    expect(foreign.all.length).toBe((await pull(alice.client)).all.length)
    expect((await pull(alice.client, 'garbage')).reset).toBe(true)
    const epoch = cursor.split('.')[0]
    const head = await counter()
    await t.handle.db.insertInto('server_state').values({ key: FLOOR_KEY, value: String(head - 1) }).execute()
    expect((await pull(alice.client, `${epoch}.${head - 2}`)).reset).toBe(true)
    const fine = await pull(alice.client, `${epoch}.${head}`)
    expect(fine.reset).toBeUndefined()
    expect(fine.changes).toEqual([])
  })

  it('should answer 401 to a pull without a session', async () => {
    expect((await new Client(t.app).get('/api/sync/pull')).statusCode).toBe(401)
  })
})

describe('sync with the database unreachable', () => {
  it('should answer 503 to push and pull while every query fails to connect, acknowledging nothing', async () => {
    // The same database, behind a switch that makes every query fail like a refused connection.
    const fresh = await freshDatabase()
    const state = { down: false }
    const db = fresh.handle.db.withPlugin({
      transformQuery(args) {
        if (state.down)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        return args.node
      },
      transformResult: async args => args.result,
    })
    const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database: { db, kind: fresh.handle.kind }, passwordParams: TEST_PASSWORD_PARAMS })
    await app.ready()
    try {
      const { branchId: b } = await setUpBranch(app, { db, kind: fresh.handle.kind })
      const carol = await addMember(app, { db, kind: fresh.handle.kind }, b, 'carol')
      state.down = true
      const res = await push(carol.client, [op('profile.update', { phone: '123456' })])
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ code: 'DB_UNAVAILABLE' })
      expect(res.json().results).toBeUndefined()
      expect((await carol.client.get('/api/sync/pull')).statusCode).toBe(503)
      state.down = false
      expect(await phoneOfIn(db, carol.id)).toBeNull()
    }
    finally {
      state.down = false
      await app.close()
      await fresh.drop()
    }
  })
})

async function phoneOfIn(db: Db, id: string) {
  return (await db.selectFrom('member').select('phone').where('id', '=', id).executeTakeFirstOrThrow()).phone
}
