import type { PointsBranch } from '../points-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, entryRow, ledgerOf, logEntry, pointsBranch, ruleId, summaryOf, today } from '../points-helper'

let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

describe('approval queue and permissions', () => {
  it('should show a group leader only the pending entries of their group, without their own (200)', async () => {
    const amy = await logEntry(b.t, b.amy, 'volunteer')
    await logEntry(b.t, b.cat, 'volunteer')
    await logEntry(b.t, b.lee, 'volunteer')
    const res = await b.lee.client.get('/api/points/approvals')
    expect(res.statusCode).toBe(200)
    expect(res.json().items.map((e: { id: string }) => e.id)).toEqual([amy.id])
    expect(res.json().total).toBe(1)
  })

  it('should refuse the approval queue to a plain member (403)', async () => {
    expect((await b.amy.client.get('/api/points/approvals')).statusCode).toBe(403)
    expect((await b.amy.client.post('/api/points/approvals/approve', { ids: [crypto.randomUUID()] })).statusCode).toBe(403)
  })

  it('should refuse a leader approving another group\'s entry or their own, and leave both pending (200 with per-entry 403s)', async () => {
    const cat = await logEntry(b.t, b.cat, 'volunteer')
    const own = await logEntry(b.t, b.lee, 'volunteer')
    const res = await approve(b.lee, cat.id, own.id)
    expect(res.results.map(r => [r.ok, r.code])).toEqual([[false, 'FORBIDDEN'], [false, 'OWN_ENTRY']])
    expect((await entryRow(b.t, cat.id)).status).toBe('pending')
    expect((await entryRow(b.t, own.id)).status).toBe('pending')
    expect(await ledgerOf(b.t, b.cat.id)).toHaveLength(0)
  })

  it('should never let a branch admin approve their own entry (200 with OWN_ENTRY)', async () => {
    const own = await logEntry(b.t, b.admin, 'volunteer')
    expect((await approve(b.admin, own.id)).results[0]).toMatchObject({ ok: false, code: 'OWN_ENTRY' })
  })

  it('should let a leader approve many entries at once and grant each (200)', async () => {
    const ids = [(await logEntry(b.t, b.amy, 'volunteer')).id, (await logEntry(b.t, b.ben, 'study-notes')).id, (await logEntry(b.t, b.amy, 'micro-wish')).id]
    const res = await approve(b.lee, ...ids)
    expect(res.results.map(r => r.entry?.status)).toEqual(['approved', 'approved', 'approved'])
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2, 2])
    expect((await summaryOf(b.amy)).json()).toMatchObject({ total: 64, pending: 0 })
    // Approving again is refused without a second ledger row.
    expect((await approve(b.lee, ids[0]!)).results[0]).toMatchObject({ ok: false, code: 'ENTRY_NOT_PENDING' })
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(2)
  })
})

describe('two-level approval', () => {
  it('should need the group leader and then a branch admin for a 小组长→支部 rule (200)', async () => {
    const e = await logEntry(b.t, b.amy, 'urgent-task')
    const first = await approve(b.lee, e.id)
    expect(first.results[0]).toMatchObject({ ok: true, entry: { status: 'pending', stage: 'branch', granted: null } })
    expect(await ledgerOf(b.t, b.amy.id)).toHaveLength(0)
    expect((await b.lee.client.get('/api/points/approvals')).json().items).toHaveLength(0)
    expect((await b.admin.client.get('/api/points/approvals')).json().items.map((x: { id: string }) => x.id)).toEqual([e.id])
    // The leader cannot finish it.
    expect((await approve(b.lee, e.id)).results[0]).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const second = await approve(b.admin, e.id)
    expect(second.results[0]).toMatchObject({ ok: true, entry: { status: 'approved', granted: 3, reviewerName: '管理员' } })
    const row = await entryRow(b.t, e.id)
    expect(row.group_approved_by).toBe(b.lee.id)
    expect(row.reviewed_by).toBe(b.admin.id)
  })

  it('should send an item worth 5 or more to a branch admin even under a 小组长 rule (200)', async () => {
    const big = await b.admin.client.post('/api/points/rules', { category: 'serve', name: '大型志愿活动', points: 5, variants: [], capPoints: null, capPeriod: null, approval: 'group', evidence: '', selfLog: true, active: true, veto: false })
    expect(big.statusCode).toBe(200)
    const res = await b.amy.client.post('/api/sync/push', { protocol: 1, deviceId: crypto.randomUUID(), ops: [{ opId: crypto.randomUUID(), seq: 1, type: 'entry.create', payload: { id: crypto.randomUUID(), ruleId: big.json().id, date: today(), note: '' }, clientTime: new Date().toISOString() }] })
    const id = res.json().results[0].entity.id as string
    expect((await approve(b.lee, id)).results[0]!.entry).toMatchObject({ status: 'pending', stage: 'branch' })
    expect((await approve(b.admin, id)).results[0]!.entry).toMatchObject({ status: 'approved', granted: 5 })
  })
})

describe('caps and the floor', () => {
  it('should clip a grant to what is left of the rule\'s yearly cap and say so (200)', async () => {
    // 学习笔记: +1 each, at most 4 a year.
    const ids: string[] = []
    for (let i = 0; i < 5; i++)
      ids.push((await logEntry(b.t, b.amy, 'study-notes')).id)
    const res = await approve(b.lee, ...ids)
    expect(res.results.map(r => [r.entry?.granted, r.entry?.clipped])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]])
    const last = await ledgerOf(b.t, b.amy.id)
    expect(last.at(-1)).toMatchObject({ amount: 0, requested: 1, clipped: 1 })
    expect((await summaryOf(b.amy)).json().total).toBe(64)
  })

  it('should apply a monthly cap per calendar month (200)', async () => {
    const rule = await b.admin.client.post('/api/points/rules', { category: 'study', name: '读书分享', points: 2, variants: [], capPoints: 3, capPeriod: 'month', approval: 'group', evidence: '', selfLog: true, active: true, veto: false })
    const id = rule.json().id as string
    const entries = []
    for (let i = 0; i < 2; i++) {
      const r = await b.amy.client.post('/api/sync/push', { protocol: 1, deviceId: crypto.randomUUID(), ops: [{ opId: crypto.randomUUID(), seq: 1, type: 'entry.create', payload: { id: crypto.randomUUID(), ruleId: id, date: today(), note: '' }, clientTime: new Date().toISOString() }] })
      entries.push(r.json().results[0].entity.id as string)
    }
    const res = await approve(b.lee, ...entries)
    expect(res.results.map(r => r.entry?.granted)).toEqual([2, 1])
    expect(res.results[1]!.entry!.clipped).toBe(1)
  })

  it('should never take a year below 0: a deduction is clipped at the floor (200)', async () => {
    // Base 10 for this year, then a −10 and a −2 deduction.
    await b.admin.client.request('PUT', `/api/points/base/${today().slice(0, 4)}`, { baseScore: 10 })
    const big = await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.amy.id, date: today(), reason: '违反八项规定', ruleId: await ruleId(b.t, 'eight-rules') })
    expect(big.json()).toMatchObject({ status: 'approved', granted: -10, clipped: 0 })
    const more = await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.amy.id, date: today(), reason: '迟到', ruleId: await ruleId(b.t, 'late') })
    expect(more.json()).toMatchObject({ status: 'approved', granted: 0, clipped: 1 })
    expect((await summaryOf(b.amy)).json()).toMatchObject({ base: 10, total: 0 })
  })
})

describe('organizer grants, deductions, revocations and 一票否决', () => {
  it('should hold a leader\'s deduction for a branch admin, and apply a branch admin\'s at once (200)', async () => {
    const byLeader = await b.lee.client.post('/api/points/approvals/adjustments', { memberId: b.amy.id, date: today(), reason: '无故缺席党小组会', ruleId: await ruleId(b.t, 'absent') })
    expect(byLeader.statusCode).toBe(200)
    expect(byLeader.json()).toMatchObject({ status: 'pending', stage: 'branch', points: -2, source: 'organizer' })
    expect((await approve(b.admin, byLeader.json().id)).results[0]!.entry).toMatchObject({ status: 'approved', granted: -2 })
    const byAdmin = await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.amy.id, date: today(), reason: '抗洪抢险表现突出', category: 'excel', points: 4 })
    expect(byAdmin.json()).toMatchObject({ status: 'approved', granted: 4, ruleName: '抗洪抢险表现突出' })
    expect((await summaryOf(b.amy)).json().total).toBe(62)
  })

  it('should refuse a leader recording points for another group or for themselves (403)', async () => {
    const other = await b.lee.client.post('/api/points/approvals/adjustments', { memberId: b.cat.id, date: today(), reason: 'x', category: 'serve', points: 1 })
    expect(other.statusCode).toBe(403)
    const self = await b.lee.client.post('/api/points/approvals/adjustments', { memberId: b.lee.id, date: today(), reason: 'x', category: 'serve', points: 1 })
    expect(self.json().code).toBe('OWN_ENTRY')
    expect(await b.t.handle.db.selectFrom('point_entry').selectAll().execute()).toHaveLength(0)
  })

  it('should revoke an approved entry with a reversing ledger row, never an edit (200)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await approve(b.lee, e.id)
    const res = await b.admin.client.post(`/api/points/entries/${e.id}/revoke`, { reason: '重复申报' })
    expect(res.json()).toMatchObject({ status: 'revoked' })
    const ledger = await ledgerOf(b.t, b.amy.id)
    expect(ledger.map(l => [l.kind, l.amount])).toEqual([['grant', 2], ['reversal', -2]])
    expect(ledger[1]!.reverses_id).toBe(ledger[0]!.id)
    expect((await summaryOf(b.amy)).json().total).toBe(60)
    expect((await b.lee.client.post(`/api/points/entries/${e.id}/revoke`, { reason: 'x' })).statusCode).toBe(403)
  })

  it('should set the year total to 0 under 一票否决 with the recorded decision, and restore it when revoked (200)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await approve(b.lee, e.id)
    const year = Number(today().slice(0, 4))
    const veto = await b.admin.client.post('/api/points/vetoes', { memberId: b.amy.id, year, decision: '支委会决定（2026）3号', decidedOn: today(), reason: '受党内警告处分' })
    expect(veto.statusCode).toBe(200)
    const s = (await summaryOf(b.amy)).json()
    expect(s).toMatchObject({ total: 0, ledger: 2, veto: { decision: '支委会决定（2026）3号' } })
    expect((await b.lee.client.post('/api/points/vetoes', { memberId: b.amy.id, year, decision: 'x', decidedOn: today(), reason: '' })).statusCode).toBe(403)
    await b.admin.client.post(`/api/points/vetoes/${veto.json().id}/revoke`, { reason: '复议撤销' })
    expect((await summaryOf(b.amy)).json()).toMatchObject({ total: 62, veto: null })
  })

  it('should show branch admins the audit trail of who did what and why, and nobody else (200/403)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await b.lee.client.post(`/api/points/approvals/${e.id}/return`, { reason: 'duplicate' })
    await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.ben.id, date: today(), reason: '迟到 10 分钟', ruleId: await ruleId(b.t, 'late') })
    const res = await b.admin.client.get(`/api/points/audit?memberId=${b.amy.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.json().items).toEqual([expect.objectContaining({ action: 'points.return', actorName: 'lee', entityId: e.id, data: expect.objectContaining({ reason: '重复申报' }) })])
    const all = (await b.admin.client.get('/api/points/audit')).json().items.map((i: { action: string }) => i.action)
    expect(all).toEqual(expect.arrayContaining(['points.adjust', 'points.approve', 'points.return']))
    expect((await b.lee.client.get('/api/points/audit')).statusCode).toBe(403)
  })
})

describe('grants from other features', () => {
  it('should grant a shipped rule through the ledger once per source, within its cap (grantByRule)', async () => {
    const { grantByRule } = await import('#server/points/grants')
    const g = { branchId: b.branchId, memberId: b.amy.id, ruleKey: 'life-meeting', date: today(), note: '组织生活会', actorId: b.lee.id }
    const run = (source: string) => b.t.handle.db.transaction().execute(trx => grantByRule(trx, { ...g, source, kind: 'checkin' }))
    const approved = (points: number) => ({ points, status: 'approved' })
    expect(await run('meeting:1')).toEqual(approved(2))
    expect(await run('meeting:1')).toEqual(approved(2))
    expect(await run('meeting:2')).toEqual(approved(2))
    expect(await run('meeting:3')).toEqual(approved(0))
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2, 2, 0])
    expect(await b.t.handle.db.transaction().execute(trx => grantByRule(trx, { ...g, ruleKey: 'online-study', source: 'x', kind: 'checkin' }))).toBeNull()
    expect((await summaryOf(b.amy)).json().total).toBe(64)
  })
})
