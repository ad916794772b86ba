import type { PointsBranch } from '../points-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, logEntry, pointsBranch, today } from '../points-helper'

/*
 * point_total (migration 2026_12_03_1900_upper_figures) is what the upper organization's figures sum:
 * it must equal the ledger's sums per member, year and category after every kind of write — the
 * app's grants and revocations, and rows written straight into the ledger as a restore, the demo or
 * a seed does — on SQLite and on PostgreSQL (TEST_PG_URL).
 */
let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

type Sums = Record<string, number>
const keyOf = (r: { branch_id: string, member_id: string, year: number, category: string }) => `${r.branch_id}|${r.member_id}|${r.year}|${r.category}`

/** Without zeros: a total whose rows were all deleted stays as 0, a sum of no rows is absent — both add nothing. */
const counting = (sums: Sums): Sums => Object.fromEntries(Object.entries(sums).filter(([, n]) => n !== 0))

async function ledgerSums(): Promise<Sums> {
  const rows = await b.t.handle.db.selectFrom('point_ledger')
    .select(['branch_id', 'member_id', 'year', 'category', eb => eb.fn.sum<number>('amount').as('sum')])
    .groupBy(['branch_id', 'member_id', 'year', 'category'])
    .execute()
  return Object.fromEntries(rows.map(r => [keyOf(r), Number(r.sum)]))
}

async function totals(): Promise<Sums> {
  const rows = await b.t.handle.db.selectFrom('point_total').selectAll().execute()
  return Object.fromEntries(rows.map(r => [keyOf(r), Number(r.amount)]))
}

function ledgerRow(memberId: string, year: number, category: string, amount: number) {
  return { id: randomUUID(), branch_id: b.branchId, member_id: memberId, year, month: 3, date: `${year}-03-10`, category, rule_id: null, entry_id: null, kind: amount < 0 ? 'deduction' as const : 'grant' as const, amount, requested: amount, clipped: 0, reason: 'fixture', reverses_id: null, actor_id: null, created_at: new Date().toISOString() }
}

describe('point_total beside the ledger', () => {
  it('should equal the ledger\'s sums after grants and a revocation through the app', async () => {
    const year = Number(today().slice(0, 4))
    const kept = await logEntry(b.t, b.amy, 'volunteer')
    const revoked = await logEntry(b.t, b.amy, 'volunteer')
    const other = await logEntry(b.t, b.cat, 'volunteer')
    await approve(b.lee, kept.id, revoked.id)
    await approve(b.kay, other.id)
    const res = await b.admin.client.post(`/api/points/entries/${revoked.id}/revoke`, { reason: '重复申报' })
    expect(res.json()).toMatchObject({ status: 'revoked' })

    expect(counting(await totals())).toEqual(counting(await ledgerSums()))
    // Two grants of 2, one taken back: amy's 志愿服务 counts 2, cat's 2.
    const amy = await b.t.handle.db.selectFrom('point_total').select('amount').where('member_id', '=', b.amy.id).where('year', '=', year).execute()
    expect(amy.map(r => Number(r.amount))).toEqual([2])
    expect((await totals())).toMatchObject({ [`${b.branchId}|${b.cat.id}|${year}|serve`]: 2 })
  })

  it('should count rows written straight into the ledger in one statement, and follow an update and a delete', async () => {
    const db = b.t.handle.db
    const rows = [
      ledgerRow(b.amy.id, 2025, 'study', 3),
      ledgerRow(b.amy.id, 2025, 'study', 2),
      ledgerRow(b.amy.id, 2025, 'serve', -1),
      ledgerRow(b.ben.id, 2025, 'study', 4),
      ledgerRow(b.ben.id, 2026, 'study', 1),
    ]
    await db.insertInto('point_ledger').values(rows).execute()
    expect(counting(await totals())).toEqual(counting(await ledgerSums()))
    expect(await totals()).toMatchObject({ [`${b.branchId}|${b.amy.id}|2025|study`]: 5, [`${b.branchId}|${b.amy.id}|2025|serve`]: -1 })

    // Nothing in the app edits or deletes ledger rows; a repair by hand must still leave the totals right.
    await db.updateTable('point_ledger').set({ category: 'serve', amount: 6 }).where('id', '=', rows[0]!.id).execute()
    await db.deleteFrom('point_ledger').where('id', '=', rows[3]!.id).execute()
    expect(counting(await totals())).toEqual(counting(await ledgerSums()))
    expect(await totals()).toMatchObject({ [`${b.branchId}|${b.amy.id}|2025|study`]: 2, [`${b.branchId}|${b.amy.id}|2025|serve`]: 5, [`${b.branchId}|${b.ben.id}|2025|study`]: 0 })
  })

  it('should count two servers\' grants to the same total at the same time', async () => {
    const db = b.t.handle.db
    // Separate transactions racing for one (member, year, category): both must count.
    await Promise.all(Array.from({ length: 8 }, (_, i) => db.transaction().execute(trx => trx.insertInto('point_ledger').values(ledgerRow(b.amy.id, 2026, 'study', i + 1)).execute())))
    expect(await totals()).toMatchObject({ [`${b.branchId}|${b.amy.id}|2026|study`]: 36 })
    expect(counting(await totals())).toEqual(counting(await ledgerSums()))
  })
})
