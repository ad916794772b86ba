import type { OpResult } from '#shared/sync/protocol'
import type { Person, PointsBranch } from '../points-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { entryRow, ledgerOf, logEntry, pointsBranch, resubmit } from '../points-helper'
import { op, push } from '../sync-helper'

let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const shown = { memberName: 'amy', ruleName: '志愿服务', date: '2026-01-05' }

async function send(who: Person, ops: unknown[], deviceId?: string): Promise<OpResult[]> {
  const res = await push(who.client, ops, deviceId)
  expect(res.statusCode).toBe(200)
  return (res.json() as { results: OpResult[] }).results
}

const approveOp = (id: string, revision = 1) => op('entry.approve', { id, revision, shown })
function returnOp(id: string, more: { revision?: number, reason?: string, text?: string } = {}) {
  return op('entry.return', { id, revision: more.revision ?? 1, reason: more.reason ?? 'evidence_missing', ...(more.text !== undefined ? { text: more.text } : {}), shown })
}

describe('entry.approve and entry.return ops (审核 from the organizer\'s phone)', () => {
  it('should approve a group member\'s entry by op and grant it once, answering the same op again as duplicate (applied)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    const approve = approveOp(e.id)
    const [first] = await send(b.lee, [approve])
    expect(first).toMatchObject({ status: 'applied', entity: { id: e.id, status: 'approved', granted: 2, reviewerName: 'lee' } })
    const [again] = await send(b.lee, [approve])
    expect(again).toMatchObject({ status: 'duplicate', entity: { status: 'approved' } })
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2])
  })

  it('should answer the same decision sent again from the organizer\'s second phone without granting twice (applied)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await send(b.lee, [approveOp(e.id)], '00000000-0000-4000-8000-00000000000a')
    const [second] = await send(b.lee, [approveOp(e.id)], '00000000-0000-4000-8000-00000000000b')
    expect(second).toMatchObject({ status: 'applied', entity: { status: 'approved', granted: 2 } })
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(1)
    const r = await logEntry(b.t, b.ben, 'volunteer')
    await send(b.lee, [returnOp(r.id)])
    expect((await send(b.lee, [returnOp(r.id)]))[0]).toMatchObject({ status: 'applied', entity: { status: 'returned' } })
  })

  it('should return an entry by op with the reason the member reads (applied)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    const [res] = await send(b.lee, [returnOp(e.id, { text: '请补充照片' })])
    expect(res).toMatchObject({ status: 'applied', entity: { status: 'returned', returnCode: 'evidence_missing', returnReason: '缺少佐证材料：请补充照片', reviewerName: 'lee' } })
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(0)
  })

  it('should refuse a return for 其他 without words and leave the entry pending (rejected RETURN_REASON_TEXT)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    expect((await send(b.lee, [returnOp(e.id, { reason: 'other', text: '  ' })]))[0]).toMatchObject({ status: 'rejected', code: 'RETURN_REASON_TEXT' })
    expect((await entryRow(b.t, e.id)).status).toBe('pending')
  })

  it('should refuse approving an entry another organizer returned first, naming who, and keep their decision (rejected ENTRY_NOT_PENDING)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    expect((await send(b.admin, [returnOp(e.id, { reason: 'duplicate' })]))[0]!.status).toBe('applied')
    const [late] = await send(b.lee, [approveOp(e.id)])
    expect(late).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_PENDING' })
    expect(late!.message).toContain('这条记录已被管理员退回')
    expect(await entryRow(b.t, e.id)).toMatchObject({ status: 'returned', reviewed_by: b.admin.id, return_code: 'duplicate' })
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(0)
  })

  it('should refuse returning an entry another organizer approved first, naming who, and keep the grant (rejected ENTRY_NOT_PENDING)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await send(b.admin, [approveOp(e.id)])
    const [late] = await send(b.lee, [returnOp(e.id)])
    expect(late).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_PENDING' })
    expect(late!.message).toContain('这条记录已被管理员审核通过')
    expect((await entryRow(b.t, e.id)).status).toBe('approved')
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2])
  })

  it('should refuse a decision on an entry an admin revoked, naming who (rejected ENTRY_NOT_PENDING)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await send(b.admin, [approveOp(e.id)])
    expect((await b.admin.client.post(`/api/points/entries/${e.id}/revoke`, { reason: '重复记录' })).statusCode).toBe(200)
    const [late] = await send(b.lee, [returnOp(e.id)])
    expect(late).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_PENDING' })
    expect(late!.message).toContain('这条记录已被管理员撤销')
    expect((await entryRow(b.t, e.id)).status).toBe('revoked')
  })

  it('should refuse approving a version the organizer never saw: corrected and sent again since (rejected ENTRY_CHANGED)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await send(b.admin, [returnOp(e.id, { reason: 'wrong_date' })])
    expect((await resubmit(b.amy, { id: e.id, date: (await entryRow(b.t, e.id)).date, note: '改过了' })).status).toBe('applied')
    const [stale] = await send(b.lee, [approveOp(e.id, 1)])
    expect(stale).toMatchObject({ status: 'rejected', code: 'ENTRY_CHANGED' })
    expect(stale!.message).toContain('amy已修改这条记录并重新提交')
    expect(await entryRow(b.t, e.id)).toMatchObject({ status: 'pending', revision: 2 })
    // Seen again, the new version is approved.
    expect((await send(b.lee, [approveOp(e.id, 2)]))[0]).toMatchObject({ status: 'applied', entity: { status: 'approved', revision: 2 } })
  })

  it('should refuse another group\'s leader, the member themselves and a plain member, leaving the entry pending (rejected)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    expect((await send(b.kay, [approveOp(e.id)]))[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' })
    expect((await send(b.kay, [returnOp(e.id)]))[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' })
    expect((await send(b.ben, [approveOp(e.id)]))[0]).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
    const own = await logEntry(b.t, b.lee, 'volunteer')
    expect((await send(b.lee, [approveOp(own.id)]))[0]).toMatchObject({ status: 'rejected', code: 'OWN_ENTRY' })
    expect((await send(b.lee, [approveOp(crypto.randomUUID())]))[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect((await entryRow(b.t, e.id)).status).toBe('pending')
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(0)
  })

  it('should move a two-level entry on to the branch with the leader\'s op, and let only a branch admin finish it (applied, then rejected FORBIDDEN)', async () => {
    const e = await logEntry(b.t, b.amy, 'urgent-task')
    expect((await send(b.lee, [approveOp(e.id)]))[0]).toMatchObject({ status: 'applied', entity: { status: 'pending', stage: 'branch' } })
    // The leader's second phone sending a return after their own approval is told what happened.
    const [ret] = await send(b.lee, [returnOp(e.id)])
    expect(ret).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' })
    expect(ret!.message).toContain('这条记录已由lee审核通过，正等待支部审核')
    expect((await send(b.admin, [approveOp(e.id)]))[0]).toMatchObject({ status: 'applied', entity: { status: 'approved', granted: 3 } })
  })
})
