import type { PointsBranch } from '../points-helper'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, ledgerOf, logEntry, pointsBranch, ruleId, summaryOf, today } from '../points-helper'

let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const year = () => Number(today().slice(0, 4))

/** Some history: amy +2 +2 −1, ben +1 and a revoked +2, cat +3 (another group), one pending. */
async function history() {
  const a1 = await logEntry(b.t, b.amy, 'volunteer')
  const a2 = await logEntry(b.t, b.amy, 'micro-wish')
  const b1 = await logEntry(b.t, b.ben, 'study-notes')
  const b2 = await logEntry(b.t, b.ben, 'volunteer')
  await logEntry(b.t, b.ben, 'reflection')
  await approve(b.lee, a1.id, a2.id, b1.id, b2.id)
  await b.admin.client.post(`/api/points/entries/${b2.id}/revoke`, { reason: '重复' })
  await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.amy.id, date: today(), reason: '迟到', ruleId: await ruleId(b.t, 'late') })
  const c1 = await logEntry(b.t, b.cat, 'training', { variant: 'long' })
  await approve(b.kay, c1.id)
}

describe('党员平时积分记录表', () => {
  it('should give one member\'s year sheet with a running total that ends at the score (200)', async () => {
    await history()
    const res = await b.amy.client.get(`/api/points/sheet?scope=member&period=year&year=${year()}`)
    expect(res.statusCode).toBe(200)
    const sheet = res.json()
    expect(sheet.title).toBe(`党员平时积分记录表（${year()}年）`)
    expect(sheet.members).toHaveLength(1)
    const amy = sheet.members[0]
    expect(amy).toMatchObject({ name: 'amy', groupName: '一组', base: 60, opening: 60, periodSum: 3, total: 63 })
    expect(amy.rows.map((r: { points: number, running: number }) => [r.points, r.running])).toEqual([[2, 62], [2, 64], [-1, 63]])
    expect(amy.rows[0].reviewer).toBe('lee')
    expect(amy.total).toBe((await summaryOf(b.amy)).json().total)
  })

  it('should give a group\'s month sheet whose totals equal the ledger\'s, reversals included (200)', async () => {
    await history()
    const m = Number(today().slice(5, 7))
    const sheet = (await b.lee.client.get(`/api/points/sheet?scope=group&id=${b.groupA}&period=month&year=${year()}&index=${m}`)).json()
    expect(sheet.members.map((x: { name: string }) => x.name)).toEqual(['amy', 'ben', 'lee'])
    for (const member of sheet.members) {
      const ledger = await ledgerOf(b.t, member.memberId)
      expect(member.periodSum).toBe(ledger.reduce((s, l) => s + l.amount, 0))
    }
    const ben = sheet.members.find((x: { name: string }) => x.name === 'ben')
    expect(ben.rows.map((r: { kind: string }) => r.kind)).toEqual(['grant', 'grant', 'reversal'])
    expect(ben.total).toBe(61)
  })

  it('should export the branch as an .xlsx whose 汇总 totals equal each member\'s score (200)', async () => {
    await history()
    const res = await b.admin.client.get(`/api/points/sheet.xlsx?scope=branch&period=year&year=${year()}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const summarySheet = wb.getWorksheet('汇总')!
    const totals = new Map<string, number>()
    summarySheet.eachRow((row, n) => {
      if (n > 1)
        totals.set(String(row.getCell(1).value), Number(row.getCell(5).value))
    })
    expect(totals.size).toBe(6)
    for (const [name, who] of [['amy', b.amy], ['ben', b.ben], ['cat', b.cat], ['lee', b.lee]] as const)
      expect(totals.get(name)).toBe((await summaryOf(b.admin, who.id)).json().total)
    expect(totals.get('amy')).toBe(63)
    expect(totals.get('cat')).toBe(63)
    const rows = wb.getWorksheet('积分记录表')!
    expect(String(rows.getRow(1).getCell(1).value)).toContain('党员平时积分记录表')
    const sumOfPoints = rows.getColumn(6).values.filter((v): v is number => typeof v === 'number')
    const ledger = await b.t.handle.db.selectFrom('point_ledger').select('amount').execute()
    // Each member's rows plus their 合计 row: the rows alone add up to the ledger.
    expect(sumOfPoints.reduce((s, v) => s + v, 0)).toBe(2 * ledger.reduce((s, l) => s + l.amount, 0))
  })

  it('should refuse the branch export to a leader and another group\'s sheet to a leader (403)', async () => {
    expect((await b.lee.client.get(`/api/points/sheet.xlsx?scope=branch&period=year&year=${year()}`)).statusCode).toBe(403)
    expect((await b.lee.client.get(`/api/points/sheet?scope=group&id=${b.groupB}&period=year&year=${year()}`)).statusCode).toBe(403)
    expect((await b.amy.client.get(`/api/points/sheet?scope=member&id=${b.ben.id}&period=year&year=${year()}`)).statusCode).toBe(403)
    expect((await b.amy.client.get(`/api/points/sheet?scope=member&period=quarter&year=${year()}`)).statusCode).toBe(400)
  })
})
