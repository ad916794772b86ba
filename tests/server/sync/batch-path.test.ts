import type { Actor } from '#server/plugins/auth'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { profileUpdateHandler } from '#server/org/profile'
import { entryCreateHandler } from '#server/points/ops'
import { recordChange } from '#server/sync/changes'
import { pushBatch } from '#server/sync/push'
import { OpRejection, registerOp, unregisterOp } from '#server/sync/registry'
import { localDate } from '#shared/points/periods'
import { defineOp } from '#shared/sync/protocol'
import { Type } from 'typebox'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { addMember, op, push } from '../sync-helper'

/*
 * Hot op types take a run of ops at once (OpHandler.applyMany, issue 17 point 2). The run must be
 * invisible: the same answers, sync_op rows, change-log rows, counter and effects as each op run
 * on its own. `test.tally` adds to a running total per member, so order matters; it refuses a
 * negative number and breaks on `boom` (a bug), in apply and applyMany alike.
 */
const tallyDef = defineOp('test.tally', Type.Object({ n: Type.Integer(), boom: Type.Optional(Type.Boolean()) }))
let runs = 0
/** Set by a test: the database goes away when applyMany meets n = 99. */
let unplug: (() => void) | undefined
beforeAll(() => {
  const key = (actor: Actor) => `tally:${actor.id}`
  const total = async (ctx: { trx: Parameters<typeof recordChange>[0], actor: Actor }) =>
    Number((await ctx.trx.selectFrom('server_state').select('value').where('key', '=', key(ctx.actor)).executeTakeFirst())?.value ?? 0)
  const check = (p: { n: number, boom?: boolean }) => {
    if (p.boom)
      throw new TypeError('Cannot read properties of undefined (reading \'x\')')
    if (p.n < 0)
      throw new OpRejection('TEST_NEGATIVE', '不能为负 Not negative')
  }
  const store = async (ctx: { trx: Parameters<typeof recordChange>[0], actor: Actor }, value: number) => {
    await ctx.trx.insertInto('server_state').values({ key: key(ctx.actor), value: String(value) }).onConflict(oc => oc.column('key').doUpdateSet({ value: String(value) })).execute()
  }
  registerOp({
    definition: tallyDef,
    async apply(ctx, p) {
      check(p)
      const sum = await total(ctx) + p.n
      await store(ctx, sum)
      await recordChange(ctx.trx, { entity: 'tally', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: { n: p.n, sum, at: ctx.receivedAt } })
      return { sum }
    },
    async applyMany(items) {
      runs++
      const first = items[0]!.ctx
      let sum = await total(first)
      const entities = []
      for (const { ctx, payload } of items) {
        if (payload.n === 99)
          unplug?.()
        check(payload)
        sum += payload.n
        await recordChange(ctx.trx, { entity: 'tally', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: { n: payload.n, sum, at: ctx.receivedAt } })
        entities.push({ sum })
      }
      await store(first, sum)
      return entities
    },
  })
})
let apps: TestApp[] = []
afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  await Promise.all(apps.map(a => a.close()))
  apps = []
})
afterAll(() => unregisterOp('test.tally'))

async function memberApp() {
  const t = await buildTestApp()
  apps.push(t)
  const { branchId } = await setUpBranch(t.app, t.handle)
  const alice = await addMember(t.app, t.handle, branchId, 'alice')
  const row = await t.handle.db.selectFrom('member').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow()
  const actor: Actor = { id: row.id, branchId: row.branch_id, groupId: row.group_id, role: row.role, name: row.name }
  return { t, actor, client: alice.client }
}

/** A well-formed rule id that names nothing in either database. */
const NO_RULE = '00000000-0000-4000-8000-00000000dead'
const phone = (n: number) => op('profile.update', { phone: `1380000000${n}` })
const tally = (n: number, boom = false) => op('test.tally', boom ? { n, boom } : { n })

/** Everything a push leaves behind, with this database's member and branch ids and counter start taken out. */
async function outcome(t: TestApp, actor: Actor, answers: OpResult[][], counterBefore: number) {
  const db = t.handle.db
  const syncOps = await db.selectFrom('sync_op').selectAll().where('member_id', '=', actor.id).orderBy('op_id').execute()
  const changes = (await db.selectFrom('change_log').select(['seq', 'entity', 'entity_id', 'branch_id', 'member_id', 'group_id', 'scope', 'op', 'data', 'created_at']).where('seq', '>', counterBefore).orderBy('seq').execute())
    .map(row => ({ ...row, seq: Number(row.seq) - counterBefore }))
  const counter = Number((await db.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq) - counterBefore
  const member = await db.selectFrom('member').select(['phone', 'updated_at']).where('id', '=', actor.id).executeTakeFirstOrThrow()
  const tallies = await db.selectFrom('server_state').select('value').where('key', '=', `tally:${actor.id}`).execute()
  return JSON.parse(JSON.stringify({ answers, syncOps, changes, counter, member, tallies }).replaceAll(actor.id, '<member>').replaceAll(actor.branchId, '<branch>'))
}

async function counterNow(t: TestApp) {
  return Number((await t.handle.db.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq)
}

describe('a run of ops through the handler\'s batch path', () => {
  it('should leave exactly what the per-op path leaves: answers, sync_op and change-log rows, counter, effects', async () => {
    const a1 = phone(1)
    const a2 = phone(2)
    const a5 = phone(5)
    const first = [
      a1,
      a2,
      a1, // the same op again inside the run: a duplicate of what the run answers
      op('profile.update', { phone: 'not a phone' }), // refused before it runs: ends the run
      a5,
      tally(2),
      tally(-1), // refused inside applyMany: the run falls back to one op at a time
      tally(3),
      { opId: 'not an op' }, // malformed
      tally(7, true), // a bug: OP_SERVER_ERROR, not recorded
      tally(4),
      { ...a2, payload: { phone: '13900000000' } }, // a known op id with another payload
      phone(6),
    ]
    const second = [a5, tally(1), tally(10), phone(7), phone(8)]
    const log = { error: () => {} }
    const results = []
    for (const batchPaths of [true, false]) {
      const { t, actor } = await memberApp()
      // One clock for both runs: the per-op and the batch path stamp the same instants.
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date('2026-12-03T09:00:00.000Z'))
      const before = await counterNow(t)
      const spied = vi.spyOn(profileUpdateHandler, 'applyMany')
      runs = 0
      const answers = [
        await pushBatch(t.handle.db, actor, '00000000-0000-4000-8000-000000000001', first, log, { batchPaths }),
        await pushBatch(t.handle.db, actor, '00000000-0000-4000-8000-000000000001', second, log, { batchPaths }),
      ]
      vi.useRealTimers()
      // The batch path did run (and fell back once for the refused tally); the per-op path never.
      expect([spied.mock.calls.length > 0, runs > 0]).toEqual([batchPaths, batchPaths])
      spied.mockRestore()
      results.push(await outcome(t, actor, answers, before))
    }
    const [batched, perOp] = results
    expect(batched).toEqual(perOp)
    // And what that is, in the member's terms.
    expect(batched.answers[0].map((r: OpResult) => r.code ?? r.status)).toEqual(['applied', 'applied', 'duplicate', 'OP_INVALID_PAYLOAD', 'applied', 'applied', 'TEST_NEGATIVE', 'applied', 'OP_MALFORMED', 'OP_SERVER_ERROR', 'applied', 'OP_ID_REUSED', 'applied'])
    expect(batched.answers[1].map((r: OpResult) => r.status)).toEqual(['duplicate', 'applied', 'applied', 'applied', 'applied'])
    expect(batched.member.phone).toBe('13800000008')
    expect(batched.tallies).toEqual([{ value: '20' }])
    expect(batched.changes.map((c: { entity: string }) => c.entity)).toEqual(['profile', 'profile', 'profile', 'tally', 'tally', 'tally', 'profile', 'tally', 'tally', 'profile', 'profile'])
    expect(batched.changes.map((c: { seq: number }) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(batched.counter).toBe(11)
  })

  it('should answer the same phone changes pushed from two tabs at once applied once and duplicate once', async () => {
    const { t, client } = await memberApp()
    const before = await counterNow(t)
    for (let round = 0; round < 10; round++) {
      const ops = [phone(1), phone(2), phone(3), phone(4)]
      const [a, b] = await Promise.all([push(client as Client, ops), push(client as Client, [...ops].reverse())])
      expect([a.statusCode, b.statusCode]).toEqual([200, 200])
      const both = [...a.json().results, ...b.json().results] as OpResult[]
      for (const o of ops)
        expect(both.filter(r => r.opId === o.opId).map(r => r.status).sort()).toEqual(['applied', 'duplicate'])
    }
    // One change-log row per op, whichever tab applied it.
    expect(await counterNow(t) - before).toBe(40)
    expect(await t.handle.db.selectFrom('sync_op').select('op_id').where('type', '=', 'profile.update').execute()).toHaveLength(40)
  })

  it('should answer 503 and acknowledge nothing when the database goes away inside a run', async () => {
    const { t, actor } = await memberApp()
    const state = { down: false }
    // Push sends ready SQL text, which skips transformQuery: a statement loses its answer instead.
    const db = t.handle.db.withPlugin({
      transformQuery: args => args.node,
      transformResult: async (args) => {
        if (state.down)
          throw new Error('socket hang up')
        return args.result
      },
    })
    unplug = () => {
      state.down = true
    }
    const before = await counterNow(t)
    const ops = [tally(1), tally(99), tally(2)]
    try {
      await expect(pushBatch(db, actor, '00000000-0000-4000-8000-000000000001', ops, { error: () => {} })).rejects.toMatchObject({ statusCode: 503 })
    }
    finally {
      unplug = undefined
      state.down = false
    }
    // Nothing of the batch was committed: no answer recorded, no change, no effect.
    expect(await counterNow(t)).toBe(before)
    expect(await t.handle.db.selectFrom('sync_op').select('op_id').where('type', '=', 'test.tally').execute()).toEqual([])
    expect(await t.handle.db.selectFrom('server_state').select('value').where('key', '=', `tally:${actor.id}`).execute()).toEqual([])
    // The phone keeps the ops and pushes them again: each applied once.
    const again = await pushBatch(db, actor, '00000000-0000-4000-8000-000000000001', ops, { error: () => {} })
    expect(again.map(r => r.entity)).toEqual([{ sum: 1 }, { sum: 100 }, { sum: 102 }])
    expect(await counterNow(t)).toBe(before + 3)
  })

  it('should leave for a run of 记积分 exactly what entry.create one op at a time leaves, refusals included', async () => {
    const clock = new Date('2026-12-03T09:00:00.000Z')
    const today = localDate(clock)
    // Fixed op and entry ids, so both databases get the same ops; only the rule ids are each database's.
    const fixed = Array.from({ length: 12 }, () => ({ opId: randomUUID(), entryId: randomUUID() }))
    const entry = (k: number, ruleId: string, extra: Record<string, unknown> = {}) => op('entry.create', { id: fixed[k]!.entryId, ruleId, date: today, note: `志愿服务第${k}次`, ...extra }, { opId: fixed[k]!.opId, seq: 100 + k })
    const phoneChange = phone(1)
    const batches = (rules: Map<string, string>) => {
      const volunteer = rules.get('volunteer')!
      const study = rules.get('reflection')!
      return [
        [
          entry(0, volunteer),
          entry(1, study),
          entry(2, NO_RULE), // no such rule: refused inside the run, which falls back
          entry(3, volunteer),
          { ...entry(4, volunteer), payload: { id: fixed[0]!.entryId, ruleId: volunteer, date: today, note: '同一条' } }, // an entry id already used
          entry(5, volunteer, { date: '2099-01-01' }), // in the future
          phoneChange, // another type ends the run
          entry(6, volunteer),
          entry(7, study), // a clean run: applyMany takes it whole
        ],
        [entry(0, volunteer), entry(8, study), entry(9, volunteer)],
        [entry(10, volunteer, { points: 5 }), entry(11, volunteer)], // points the rule does not give
      ]
    }
    const log = { error: () => {} }
    const results = []
    for (const batchPaths of [true, false]) {
      const { t, actor } = await memberApp()
      const rules = new Map((await t.handle.db.selectFrom('point_rule').select(['id', 'key']).where('branch_id', '=', actor.branchId).execute()).map(r => [r.key ?? r.id, r.id]))
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(clock)
      const before = await counterNow(t)
      const spied = vi.spyOn(entryCreateHandler, 'applyMany')
      const answers = []
      for (const ops of batches(rules))
        answers.push(await pushBatch(t.handle.db, actor, '00000000-0000-4000-8000-000000000001', ops, log, { batchPaths }))
      vi.useRealTimers()
      // The batch path took whole runs (and fell back for the runs with a refusal); the per-op path never ran it.
      expect(spied.mock.settledResults.filter(r => r.type === 'fulfilled')).toHaveLength(batchPaths ? 2 : 0)
      expect(spied.mock.settledResults.filter(r => r.type === 'rejected')).toHaveLength(batchPaths ? 2 : 0)
      spied.mockRestore()
      const entries = await t.handle.db.selectFrom('point_entry').selectAll().where('member_id', '=', actor.id).orderBy('id').execute()
      const events = await t.handle.db.selectFrom('point_entry_event').select(['entry_id', 'actor_id', 'action', 'data', 'created_at']).orderBy('entry_id').execute()
      const versions = await t.handle.db.selectFrom('point_rule_version').select(['id', 'rule_id']).execute()
      let text = JSON.stringify({ ...await outcome(t, actor, answers, before), entries, events }).replaceAll(actor.id, '<member>').replaceAll(actor.branchId, '<branch>')
      const keyOf = new Map([...rules].map(([key, id]) => [id, key]))
      for (const v of versions)
        text = text.replaceAll(v.id, `<version of ${keyOf.get(v.rule_id)}>`)
      for (const [key, id] of rules)
        text = text.replaceAll(id, `<rule ${key}>`)
      const got = JSON.parse(text)
      // A payload's hash covers its rule id, which is each database's own.
      for (const row of got.syncOps)
        delete row.payload_hash
      results.push(got)
    }
    const [batched, perOp] = results
    expect(batched).toEqual(perOp)
    expect(batched.answers.map((a: OpResult[]) => a.map(r => r.code ?? r.status))).toEqual([
      ['applied', 'applied', 'ENTRY_UNKNOWN_RULE', 'applied', 'ENTRY_ID_TAKEN', 'ENTRY_DATE_FUTURE', 'applied', 'applied', 'applied'],
      ['duplicate', 'applied', 'applied'],
      ['ENTRY_POINTS_NOT_ALLOWED', 'applied'],
    ])
    expect(batched.entries).toHaveLength(8)
    expect(batched.events).toHaveLength(8)
  })
})
