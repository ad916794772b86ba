import type { DbHandle } from '#server/db/database'
import type { Actor } from '#server/plugins/auth'
import { randomUUID } from 'node:crypto'
import { changesAfter, changesAfterByFilter, changesQuery, pullChanges } from '#server/sync/pull'
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../helper'

/* The pull reads a member's changes through three indexed arms (branch rows, group rows, own rows)
   instead of filtering the whole branch. It must answer exactly what the filter answered: the same
   changes, in the same pages, with the same cursors, for every kind of member and row. */

let handle: DbHandle
let drop: () => Promise<void>

const GROUPS: Record<string, string[]> = { b1: ['g1', 'g2', 'g3'], b2: ['g4'] }
const MEMBERS: Record<string, string[]> = { b1: ['m1', 'm2', 'm3', 'm4', 'm5'], b2: ['m6', 'm7'] }

/** A small seeded generator, so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

beforeAll(async () => {
  ;({ handle, drop } = await freshDatabase())
  // Every combination the log holds: branch-wide, one member's, one group's, a group's with its
  // creator (who may since have moved to another group), and the odd row of a member of another branch.
  const r = rng(20261203)
  const rows = Array.from({ length: 1500 }, (_, i) => {
    const branch = r() < 0.85 ? 'b1' : 'b2'
    const kind = r()
    const member = kind < 0.55 ? pick(r, MEMBERS[branch]!) : kind < 0.75 ? pick(r, [...MEMBERS.b1!, ...MEMBERS.b2!]) : null
    const group = kind >= 0.55 && kind < 0.9 ? pick(r, GROUPS[branch]!) : null
    return {
      seq: i + 1,
      entity: 'thing',
      entity_id: randomUUID(),
      branch_id: branch,
      member_id: member,
      group_id: group,
      op: 'upsert' as const,
      data: JSON.stringify({ i }),
      created_at: new Date().toISOString(),
    }
  })
  for (let i = 0; i < rows.length; i += 500)
    await handle.db.insertInto('change_log').values(rows.slice(i, i + 500)).execute()
  await handle.db.updateTable('sync_counter').set({ seq: rows.length }).where('id', '=', 1).execute()
})
afterAll(async () => {
  await handle?.db.destroy()
  await drop?.()
})

const actors: Actor[] = [
  { id: 'm1', branchId: 'b1', groupId: 'g1', role: 'member', name: '党员' },
  { id: 'm2', branchId: 'b1', groupId: 'g2', role: 'group_leader', name: '组长' },
  { id: 'm3', branchId: 'b1', groupId: null, role: 'member', name: '未分组' },
  { id: 'm4', branchId: 'b1', groupId: 'g3', role: 'branch_admin', name: '书记' },
  { id: 'm5', branchId: 'b1', groupId: null, role: 'branch_admin', name: '支委' },
  { id: 'm6', branchId: 'b2', groupId: 'g4', role: 'member', name: '二支部党员' },
  { id: 'nobody', branchId: 'b1', groupId: 'g2', role: 'member', name: '新党员' },
]

describe('the indexed pull', () => {
  it('answers every kind of member with the same rows as the branch filter, from random cursors at random page sizes', async () => {
    const r = rng(7)
    for (const actor of actors) {
      for (let trial = 0; trial < 12; trial++) {
        const from = trial === 0 ? 0 : Math.floor(r() * 1500)
        const head = trial % 3 === 2 ? Math.floor(from + r() * (1500 - from)) : 1500
        const limit = pick(r, [1, 3, 20, 200, 1000])
        const indexed = await changesAfter(handle.db, actor, from, head, limit)
        expect({ actor: actor.name, from, head, limit, seqs: indexed.map(c => c.seq) })
          .toEqual({ actor: actor.name, from, head, limit, seqs: (await changesAfterByFilter(handle.db, actor, from, head, limit)).map(c => c.seq) })
      }
    }
  })

  it('pages a phone through the same pages and cursors as before, to the end', async () => {
    for (const actor of [actors[0]!, actors[3]!]) {
      let since = ''
      for (let pages = 0; pages < 30; pages++) {
        const indexed = await pullChanges(handle.db, actor, since, 40)
        expect(indexed).toEqual(await pullChanges(handle.db, actor, since, 40, changesAfterByFilter))
        since = indexed.cursor
        if (!indexed.hasMore)
          break
      }
      expect(since).toMatch(/\.1500$/)
    }
  })

  it('returns each visible change once and nothing of another branch or group (a member of 第一党小组)', async () => {
    const all = await changesAfter(handle.db, actors[0]!, 0, 1500, 5000)
    const seqs = all.map(c => c.seq)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const rows = await handle.db.selectFrom('change_log').selectAll().where('seq', 'in', seqs).execute()
    for (const row of rows) {
      expect(row.branch_id).toBe('b1')
      expect(row.member_id === 'm1' || row.group_id === 'g1' || (row.member_id === null && row.group_id === null)).toBe(true)
    }
    const expected = await changesAfterByFilter(handle.db, actors[0]!, 0, 1500, 5000)
    expect(all.length).toBe(expected.length)
    expect(all.length).toBeGreaterThan(100)
  })

  it('reads a member\'s own rows and a group\'s rows through the partial indexes (2026_12_03_2100), on either database', async () => {
    // Rows without a member or a group are no longer in those indexes: an equality on the column
    // must still let the planner use them. PostgreSQL is told not to scan the table, so a plan that
    // could not use an index would show a Seq Scan; SQLite plans by its rules without statistics.
    const postgres = handle.kind === 'postgres'
    const planOf = (actor: Actor) => handle.db.transaction().execute(async (trx) => {
      if (postgres)
        await sql`set local enable_seqscan = off`.execute(trx)
      const query = changesQuery(trx as never, actor, 0, 1500, 50).compile()
      const rows = (await trx.executeQuery(CompiledQuery.raw(`${postgres ? 'explain (costs off)' : 'explain query plan'} ${query.sql}`, [...query.parameters]))).rows as Record<string, string>[]
      return rows.map(r => r.detail ?? r['QUERY PLAN']).join('\n')
    })
    const member = await planOf(actors[0]!)
    expect(member).toMatch(/change_log_group_seq/)
    expect(member).toMatch(/change_log_member_seq/)
    expect(member).not.toMatch(/Seq Scan|SCAN change_log/)
    const admin = await planOf(actors[3]!)
    expect(admin).toMatch(/change_log_member_seq/)
    expect(admin).not.toMatch(/Seq Scan|SCAN change_log/)
  })
})
