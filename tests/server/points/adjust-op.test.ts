import type { OpResult } from '#shared/sync/protocol'
import type { Person, PointsBranch } from '../points-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, entryRow, ledgerOf, pointsBranch, ruleId, summaryOf, today } from '../points-helper'
import { op, push } from '../sync-helper'

/* 加分/扣分 from the organizer's phone: the `points.adjust` op, queued offline and pushed later,
   decided by the same service as POST /api/points/approvals/adjustments. */
let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

async function adjust(by: Person, payload: Record<string, unknown>, theOp = op('points.adjust', { id: randomUUID(), date: today(), ...payload })): Promise<OpResult> {
  const res = await push(by.client, [theOp])
  expect(res.statusCode).toBe(200)
  return (res.json() as { results: OpResult[] }).results[0]!
}

const entries = () => b.t.handle.db.selectFrom('point_entry').selectAll().execute()

describe('points.adjust op', () => {
  it('should apply a branch admin\'s grant at once: approved, in the ledger and in the member\'s total', async () => {
    const r = await adjust(b.admin, { memberId: b.amy.id, reason: '抗洪抢险表现突出', category: 'excel', points: 4 })
    expect(r).toMatchObject({ status: 'applied', entity: { memberId: b.amy.id, status: 'approved', granted: 4, source: 'organizer', ruleName: '抗洪抢险表现突出' } })
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([4])
    expect((await summaryOf(b.amy)).json().total).toBe(64)
  })

  it('should hold a group leader\'s deduction for a branch admin, counting only once approved', async () => {
    const r = await adjust(b.lee, { memberId: b.amy.id, reason: '无故缺席党小组会', ruleId: await ruleId(b.t, 'absent') })
    expect(r).toMatchObject({ status: 'applied', entity: { status: 'pending', stage: 'branch', points: -2, source: 'organizer' } })
    const id = (r.entity as { id: string }).id
    expect(await entryRow(b.t, id)).toMatchObject({ group_approved_by: b.lee.id, created_by: b.lee.id })
    expect((await summaryOf(b.amy)).json().total).toBe(60)
    expect((await approve(b.admin, id)).results[0]!.entry).toMatchObject({ status: 'approved', granted: -2 })
    expect((await summaryOf(b.amy)).json().total).toBe(58)
  })

  it('should clip a grant past the rule\'s cap, as the REST route does', async () => {
    const heroic = await ruleId(b.t, 'heroic')
    const granted: unknown[] = []
    for (let i = 0; i < 3; i++)
      granted.push((await adjust(b.admin, { memberId: b.ben.id, reason: '通报表扬', ruleId: heroic })).entity)
    expect(granted).toMatchObject([{ granted: 5, clipped: 0 }, { granted: 5, clipped: 0 }, { granted: 0, clipped: 5 }])
    expect((await summaryOf(b.ben)).json().total).toBe(70)
  })

  it('should refuse, with a reason naming the problem, a member out of scope, one who left, a switched-off rule and a member\'s own op', async () => {
    const otherGroup = await adjust(b.lee, { memberId: b.cat.id, reason: '表现突出', category: 'serve', points: 1 })
    expect(otherGroup).toMatchObject({ status: 'rejected', code: 'ADJUSTMENT_NOT_IN_SCOPE' })
    expect(otherGroup.message).toContain('cat')
    const self = await adjust(b.lee, { memberId: b.lee.id, reason: '表现突出', category: 'serve', points: 1 })
    expect(self).toMatchObject({ status: 'rejected', code: 'OWN_ENTRY' })
    await b.t.handle.db.updateTable('member').set({ active: 0 }).where('id', '=', b.ben.id).execute()
    expect(await adjust(b.admin, { memberId: b.ben.id, reason: '表现突出', category: 'serve', points: 1 })).toMatchObject({ status: 'rejected', code: 'ADJUSTMENT_MEMBER_LEFT' })
    // 线上学习 ships switched off.
    const off = await adjust(b.admin, { memberId: b.amy.id, reason: '学习强国', ruleId: await ruleId(b.t, 'online-study') })
    expect(off).toMatchObject({ status: 'rejected', code: 'RULE_INACTIVE' })
    expect(await adjust(b.amy, { memberId: b.ben.id, reason: '表现突出', category: 'serve', points: 1 })).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
    expect(await adjust(b.admin, { memberId: randomUUID(), reason: '表现突出', category: 'serve', points: 1 })).toMatchObject({ status: 'rejected', code: 'ADJUSTMENT_MEMBER_UNKNOWN' })
    expect(await entries()).toHaveLength(0)
  })

  it('should count the same op pushed twice once, and refuse another op reusing the entry id', async () => {
    const theOp = op('points.adjust', { id: randomUUID(), memberId: b.amy.id, date: today(), reason: '志愿服务', category: 'serve', points: 2 })
    expect(await adjust(b.admin, {}, theOp)).toMatchObject({ status: 'applied' })
    const again = await adjust(b.admin, {}, theOp)
    expect(again).toMatchObject({ status: 'duplicate', entity: { granted: 2 } })
    const reused = await adjust(b.admin, {}, { ...theOp, opId: randomUUID() })
    expect(reused).toMatchObject({ status: 'rejected', code: 'ENTRY_ID_TAKEN' })
    expect(await entries()).toHaveLength(1)
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2])
    expect((await summaryOf(b.amy)).json().total).toBe(62)
  })

  it('should refuse a payload that is not an adjustment before anything is stored', async () => {
    const r = await adjust(b.admin, { memberId: b.amy.id, reason: '', category: 'serve', points: 1 })
    expect(r).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    const noPoints = await adjust(b.admin, { memberId: b.amy.id, reason: '表现突出', category: 'serve' })
    expect(noPoints).toMatchObject({ status: 'rejected', code: 'ADJUSTMENT_INCOMPLETE' })
    expect(await entries()).toHaveLength(0)
  })
})
