import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { recordChange } from '#server/sync/changes'
import { pullChanges } from '#server/sync/pull'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'

/* DESIGN §1 case 6: on PostgreSQL two writers commit in the reverse order of their start; a pull in
   between must not move its cursor past a change that commits later. Only meaningful on PostgreSQL. */
describe.skipIf(!process.env.TEST_PG_URL)('pull while writers commit in reverse order (PostgreSQL)', () => {
  let t: TestApp
  let branchId: string
  let start: string
  let startSeq: number
  let actor: { id: string, branchId: string, groupId: null, role: 'member', name: string }
  beforeEach(async () => {
    t = await buildTestApp()
    branchId = (await setUpBranch(t.app, t.handle)).branchId
    actor = { id: randomUUID(), branchId, groupId: null, role: 'member', name: 'x' }
    // Other features write rows at setup: start from the cursor after them.
    start = (await pullChanges(t.handle.db, actor, '', 1000)).cursor
    startSeq = Number(start.split('.')[1])
  })
  afterEach(async () => {
    await t.close()
  })

  it('should deliver every change exactly once across pulls taken while the transactions are open', async () => {
    const db = t.handle.db
    const events: string[] = []
    const change = (name: string) => ({ entity: 'notice', entityId: randomUUID(), branchId, memberId: null, op: 'upsert' as const, data: { name } })

    // Writer A starts first and takes its seq, then stalls before committing.
    let releaseA!: () => void
    const aMayCommit = new Promise<void>((resolve) => {
      releaseA = resolve
    })
    let aHasSeq!: () => void
    const aTookSeq = new Promise<void>((resolve) => {
      aHasSeq = resolve
    })
    const writerA = db.transaction().execute(async (trx) => {
      await recordChange(trx, change('A'))
      aHasSeq()
      await aMayCommit
      events.push('A committed')
    })
    await aTookSeq
    // Writer B starts later and wants to commit at once.
    const writerB = db.transaction().execute(async (trx) => {
      await recordChange(trx, change('B'))
      events.push('B committed')
    })
    await new Promise(resolve => setTimeout(resolve, 300))

    const seen: string[] = []
    const first = await pullChanges(db, actor, start, 100)
    seen.push(...first.changes.map(c => (c.data as { name: string }).name))
    expect(first.changes).toEqual([])

    releaseA()
    await Promise.all([writerA, writerB])
    expect(events).toEqual(['A committed', 'B committed'])
    const second = await pullChanges(db, actor, first.cursor, 100)
    seen.push(...second.changes.map(c => (c.data as { name: string }).name))
    expect(seen).toEqual(['A', 'B'])
    expect(second.changes.map(c => c.seq - startSeq)).toEqual([1, 2])
  })

  it('should not skip a change whose writer bumped the counter before a later writer that commits first (many writers)', async () => {
    const db = t.handle.db
    const writers = Array.from({ length: 8 }, (_, i) => db.transaction().execute(async (trx) => {
      await new Promise(resolve => setTimeout(resolve, (8 - i) * 15))
      await recordChange(trx, change(i))
      await new Promise(resolve => setTimeout(resolve, Math.random() * 30))
    }))
    function change(i: number) {
      return { entity: 'notice', entityId: randomUUID(), branchId, memberId: null, op: 'upsert' as const, data: { i } }
    }
    const seen: number[] = []
    let cursor = start
    const state = { finished: false }
    void Promise.all(writers).then(() => {
      state.finished = true
    })
    while (!state.finished) {
      const page = await pullChanges(db, actor, cursor, 100)
      seen.push(...page.changes.map(c => c.seq - startSeq))
      cursor = page.cursor
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const last = await pullChanges(db, actor, cursor, 100)
    seen.push(...last.changes.map(c => c.seq - startSeq))
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })
})
