import type { PointsBranch } from '../points-helper'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { approve, ledgerOf, logEntry, pointsBranch, summaryOf } from '../points-helper'

/* The year boundary, with the clock set: 2027-01-03 10:00 in Beijing. Only Date is faked, so the
   database drivers' timers run as usual; the clock still advances so timestamps stay ordered. */
let b: PointsBranch
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
  vi.setSystemTime(new Date('2027-01-03T02:00:00Z'))
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
  vi.useRealTimers()
})

describe('the year boundary', () => {
  it('should count an entry dated 31 December, synced and approved in January, in the old year, with its own cap (200)', async () => {
    // 学习笔记 has a cap of 4 a year: 4 approved in 2026 do not block 2027.
    const old = []
    for (let i = 0; i < 5; i++)
      old.push((await logEntry(b.t, b.amy, 'study-notes', { date: '2026-12-31' })).id)
    const fresh = await logEntry(b.t, b.amy, 'study-notes', { date: '2027-01-02' })
    expect(fresh.status).toBe('applied')
    const res = await approve(b.lee, ...old, fresh.id)
    expect(res.results.map(r => r.entry?.granted)).toEqual([1, 1, 1, 1, 0, 1])
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.year)).toEqual([2026, 2026, 2026, 2026, 2026, 2027])
    expect((await summaryOf(b.amy, undefined, 2026)).json()).toMatchObject({ year: 2026, total: 64 })
    expect((await summaryOf(b.amy)).json()).toMatchObject({ year: 2027, base: 60, total: 61 })
  })

  it('should close last year for new entries after the first days of January (200 rejected ENTRY_YEAR_CLOSED)', async () => {
    vi.setSystemTime(new Date('2027-01-20T02:00:00Z'))
    expect(await logEntry(b.t, b.amy, 'volunteer', { date: '2026-12-31' })).toMatchObject({ status: 'rejected', code: 'ENTRY_YEAR_CLOSED' })
    expect(await logEntry(b.t, b.amy, 'volunteer', { date: '2027-01-19' })).toMatchObject({ status: 'applied' })
  })

  it('should count "today" in Beijing time: 1 January 00:30 there is already the new year (200 applied)', async () => {
    vi.setSystemTime(new Date('2026-12-31T16:30:00Z'))
    expect(await logEntry(b.t, b.amy, 'volunteer', { date: '2027-01-01' })).toMatchObject({ status: 'applied' })
  })
})
