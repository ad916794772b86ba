import type { Actor } from '#server/plugins/auth'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { pushBatch } from '#server/sync/push'
import { registerOp, unregisterOp } from '#server/sync/registry'
import { defineOp } from '#shared/sync/protocol'
import { Type } from 'typebox'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, freshDatabase, setUpBranch, TEST_PASSWORD_PARAMS } from '../helper'
import { addMember, op, push } from '../sync-helper'

/*
 * One op failing on the server never stalls the queue, and two tabs pushing the same op never
 * get a 500 (DESIGN §1 case 3). `test.claim` writes a row keyed by the payload's id, like every
 * feature's create op; it throws a plain bug for `boom`, and its text goes into a text column,
 * where PostgreSQL refuses NUL.
 */
const claimDef = defineOp('test.claim', Type.Object({ id: Type.String(), text: Type.String(), boom: Type.Optional(Type.Boolean()) }))
let bugFixed = false
/** Set by a test: the database goes away when a `unplug` op runs. */
let unplug: (() => void) | undefined
beforeAll(() => registerOp({
  definition: claimDef,
  async apply(ctx, payload) {
    if (payload.text === 'unplug')
      unplug?.()
    if (payload.boom && !bugFixed)
      throw new TypeError('Cannot read properties of undefined (reading \'x\')')
    await ctx.trx.insertInto('server_state').values({ key: `claim:${payload.id}`, value: payload.text }).execute()
    return { id: payload.id }
  },
}))

let t: TestApp
let alice: { client: Client, id: string }
beforeEach(async () => {
  t = await buildTestApp()
  const { branchId } = await setUpBranch(t.app, t.handle)
  alice = await addMember(t.app, t.handle, branchId, 'alice')
  bugFixed = false
})
afterEach(async () => {
  await t.close()
})
afterAll(() => unregisterOp('test.claim'))

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
const claim = (id: string, extra: { text?: string, boom?: boolean } = {}) => op('test.claim', { id, text: extra.text ?? id, ...(extra.boom ? { boom: true } : {}) })
const claims = async () => (await t.handle.db.selectFrom('server_state').select('key').where('key', 'like', 'claim:%').orderBy('key').execute()).map(r => r.key.slice(6))
const recorded = async (opId: string) => t.handle.db.selectFrom('sync_op').select('status').where('op_id', '=', opId).executeTakeFirst()

describe('one op failing on the server', () => {
  it('should answer that op rejected OP_SERVER_ERROR in words, apply the ops around it, and log its op id (200)', async () => {
    const ops = [claim('a'), claim('b', { boom: true }), claim('c')]
    const logged: unknown[] = []
    const member = await t.handle.db.selectFrom('member').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow()
    const actor: Actor = { id: member.id, branchId: member.branch_id, groupId: member.group_id, role: member.role, name: member.name }
    const res = await pushBatch(t.handle.db, actor, '00000000-0000-4000-8000-000000000001', ops, { error: (obj: unknown) => logged.push(obj) } as never)
    expect(res.map(r => [r.status, r.code])).toEqual([['applied', undefined], ['rejected', 'OP_SERVER_ERROR'], ['applied', undefined]])
    expect(res[1]!.message).toMatch(/^服务器处理这条记录时出错.*重试/)
    expect(await claims()).toEqual(['a', 'c'])
    expect(logged).toEqual([expect.objectContaining({ opId: ops[1]!.opId, opType: 'test.claim', err: expect.any(TypeError) })])
  })

  it('should not record that answer, so the same op reaching a fixed server is applied once (200)', async () => {
    const bad = claim('b', { boom: true })
    expect(results(await push(alice.client, [bad]))[0]).toMatchObject({ status: 'rejected', code: 'OP_SERVER_ERROR' })
    expect(await recorded(bad.opId)).toBeUndefined()
    bugFixed = true
    expect(results(await push(alice.client, [bad]))[0]).toMatchObject({ status: 'applied' })
    expect(results(await push(alice.client, [bad]))[0]).toMatchObject({ status: 'duplicate' })
    expect(await claims()).toEqual(['b'])
  })

  it('should reject text PostgreSQL refuses (NUL) as that op\'s failure and keep the batch going (200)', async () => {
    const res = results(await push(alice.client, [claim('a'), claim('n', { text: 'x\u0000y' }), claim('c')]))
    // SQLite stores NUL; PostgreSQL refuses it in text with an error no rule foresaw.
    const expected = t.handle.kind === 'postgres' ? ['applied', 'rejected', 'applied'] : ['applied', 'applied', 'applied']
    expect(res.map(r => r.status)).toEqual(expected)
    expect(await claims()).toEqual(t.handle.kind === 'postgres' ? ['a', 'c'] : ['a', 'c', 'n'])
  })

  it('should answer an op type carrying a control character malformed, not fail on storing it (200)', async () => {
    const res = results(await push(alice.client, [op('nope\u0000never', {}), claim('a')]))
    expect(res.map(r => [r.status, r.code])).toEqual([['rejected', 'OP_MALFORMED'], ['applied', undefined]])
  })
})

describe('the database going away while ops fail', () => {
  it('should answer 503 and acknowledge nothing, even for an error the classification does not know', async () => {
    const fresh = await freshDatabase()
    const state = { down: false }
    const db = fresh.handle.db.withPlugin({
      transformQuery(args) {
        if (state.down)
          throw new Error('socket hang up')
        return args.node
      },
      // Push sends its hot statements as ready SQL text, which skips transformQuery: those lose their answer instead.
      transformResult: async (args) => {
        if (state.down)
          throw new Error('socket hang up')
        return args.result
      },
    })
    const handle = { db, kind: fresh.handle.kind }
    const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database: handle, passwordParams: TEST_PASSWORD_PARAMS })
    await app.ready()
    try {
      const { branchId } = await setUpBranch(app, handle)
      const carol = await addMember(app, handle, branchId, 'carol')
      unplug = () => {
        state.down = true
      }
      // The second op pulls the plug and fails with an error nobody classified: the batch is one
      // transaction, so the first op's effect is rolled back with it and nothing is acknowledged.
      const ops = [claim('a'), claim('b', { text: 'unplug' }), claim('c')]
      const res = await push(carol.client, ops)
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ code: 'DB_UNAVAILABLE' })
      expect(res.json().results).toBeUndefined()
      state.down = false
      unplug = undefined
      expect(results(await push(carol.client, ops)).map(r => r.status)).toEqual(['applied', 'applied', 'applied'])
      expect(await db.selectFrom('server_state').select('key').where('key', 'like', 'claim:%').execute()).toHaveLength(3)
    }
    finally {
      unplug = undefined
      state.down = false
      await app.close()
      await fresh.drop()
    }
  })
})

describe('two tabs pushing the same ops at once (DESIGN §1 case 3)', () => {
  it('should answer every op applied in one tab and duplicate in the other, never 500, one row each', async () => {
    const rounds = 60
    const statuses: Record<string, number> = {}
    const ids: string[] = []
    for (let round = 0; round < rounds; round++) {
      const names = Array.from({ length: 4 }, (_, i) => `r${String(round).padStart(3, '0')}-${i}`)
      ids.push(...names)
      const ops = names.map(name => claim(name))
      // The second tab sends the same ops in another order, so the two meet in the middle.
      const [a, b] = await Promise.all([push(alice.client, ops), push(alice.client, [...ops].reverse())])
      expect([a.statusCode, b.statusCode]).toEqual([200, 200])
      const both = [...results(a), ...results(b)]
      for (const r of both)
        statuses[r.status] = (statuses[r.status] ?? 0) + 1
      for (const o of ops)
        expect(both.filter(r => r.opId === o.opId).map(r => r.status).sort()).toEqual(['applied', 'duplicate'])
    }
    expect(statuses).toEqual({ applied: rounds * 4, duplicate: rounds * 4 })
    expect(await claims()).toEqual(ids.sort())
    const ops = await t.handle.db.selectFrom('sync_op').select('op_id').where('type', '=', 'test.claim').execute()
    expect(ops).toHaveLength(rounds * 4)
  }, 60_000)
})
