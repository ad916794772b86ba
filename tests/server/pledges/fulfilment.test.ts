import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { migrations } from '#server/db/migrations'
import { grantByRule } from '#server/points/grants'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { group, person, pledgeBody, publishedPledge } from '../pledge-helper'
import { op, push } from '../sync-helper'

let t: TestApp
let admin: Client
let alice: Person
let bob: Person

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = setup.admin
  const g = await group(t, setup.branchId, '检验一组')
  alice = await person(t, setup.branchId, 'alice', 'member', g)
  bob = await person(t, setup.branchId, 'bob', 'member', g)
})
afterEach(async () => {
  await t.close()
})

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
const progressRows = () => t.handle.db.selectFrom('pledge_progress').selectAll().execute()
const item = (id: string) => t.handle.db.selectFrom('pledge_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const progress = (itemId: string, extra: Record<string, unknown> = {}) => ({ id: randomUUID(), itemId, status: 'in_progress', percent: 40, note: '已完成 80 份报告', ...extra })

describe('践诺 through the pledge.progress op', () => {
  it('should record progress on the member\'s own item, update the item and log a change their phone pulls (200 applied)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const o = op('pledge.progress', progress(pledge.items[0]!.id))
    const [result] = results(await push(alice.client, [o]))
    expect(result).toMatchObject({ status: 'applied', entity: { itemId: pledge.items[0]!.id, status: 'in_progress', percent: 40, recordedBy: alice.id } })
    expect(await item(pledge.items[0]!.id)).toMatchObject({ progress_status: 'in_progress', percent: 40, progress_note: '已完成 80 份报告', progress_at: o.clientTime })
    const pulled = (await alice.client.get('/api/sync/pull')).json().changes as { entity: string }[]
    expect(pulled.map(c => c.entity)).toContain('pledge_progress')
    const bobPulls = (await bob.client.get('/api/sync/pull')).json().changes as { entity: string }[]
    expect(bobPulls.map(c => c.entity)).not.toContain('pledge_progress')
  })

  it('should store a progress op pushed twice (a lost reply) as one record and answer duplicate (200 duplicate)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const o = op('pledge.progress', progress(pledge.items[0]!.id))
    await push(alice.client, [o])
    const [again] = results(await push(alice.client, [o]))
    expect(again!.status).toBe('duplicate')
    expect(await progressRows()).toHaveLength(1)
  })

  it('should refuse the same record id in another op and keep the first record (200 rejected)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const body = progress(pledge.items[0]!.id)
    await push(alice.client, [op('pledge.progress', body)])
    const [second] = results(await push(alice.client, [op('pledge.progress', { ...body, percent: 90 })]))
    expect(second).toMatchObject({ status: 'rejected', code: 'PLEDGE_PROGRESS_ID_TAKEN' })
    expect((await progressRows()).map(r => r.percent)).toEqual([40])
  })

  it('should count 已完成 as 100% whatever percentage was sent (200 applied)', async () => {
    const pledge = await publishedPledge(alice, admin)
    await push(alice.client, [op('pledge.progress', progress(pledge.items[0]!.id, { status: 'done', percent: 30 }))])
    expect(await item(pledge.items[0]!.id)).toMatchObject({ progress_status: 'done', percent: 100 })
    expect((await alice.client.get(`/api/pledges/${pledge.id}`)).json().items[0].progressStatus).toBe('done')
  })

  it('should refuse progress on someone else\'s pledge, on a draft, and a malformed record, changing nothing (200 rejected)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const draft = (await alice.client.post('/api/pledges', pledgeBody())).json()
    const res = results(await push(bob.client, [op('pledge.progress', progress(pledge.items[0]!.id))]))
    expect(res[0]).toMatchObject({ status: 'rejected', code: 'OP_NOT_YOURS' })
    const onDraft = results(await push(alice.client, [op('pledge.progress', progress(draft.items[0].id))]))
    expect(onDraft[0]).toMatchObject({ status: 'rejected', code: 'PLEDGE_NOT_OPEN' })
    const tooLong = results(await push(alice.client, [op('pledge.progress', progress(pledge.items[0]!.id, { note: 'x'.repeat(501) }))]))
    expect(tooLong[0]).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    const badPercent = results(await push(alice.client, [op('pledge.progress', progress(pledge.items[0]!.id, { percent: 101 }))]))
    expect(badPercent[0]).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    expect(await progressRows()).toHaveLength(0)
    expect((await item(pledge.items[0]!.id)).progress_status).toBe('not_started')
  })

  it('should keep the item at the record made last on the phone when records arrive out of order (200 applied)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const itemId = pledge.items[0]!.id
    const later = op('pledge.progress', progress(itemId, { percent: 70 }), { clientTime: '2030-01-02T00:00:00.000Z' })
    const earlier = op('pledge.progress', progress(itemId, { percent: 20 }), { clientTime: '2030-01-01T00:00:00.000Z' })
    await push(alice.client, [later])
    await push(alice.client, [earlier], '00000000-0000-4000-8000-000000000002')
    expect((await item(itemId)).percent).toBe(70)
    expect(await progressRows()).toHaveLength(2)
  })
})

describe('评诺', () => {
  it('should evaluate each item and grant 已兑现 +5 and unexcused 未兑现 −3 through the points ledger, nothing for 部分兑现 or an excused one (200)', async () => {
    const pledge = await publishedPledge(alice, admin, { items: [0, 1, 2, 3].map(n => ({ ...pledgeBody().items[0], target: `目标 ${n}` })) })
    const [kept, partial, broken, excused] = pledge.items.map(i => i.id)
    const res = await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [
      { itemId: kept, result: 'kept', comment: '按期完成' },
      { itemId: partial, result: 'partial' },
      { itemId: broken, result: 'broken' },
      { itemId: excused, result: 'broken', excused: true, comment: '因公借调' },
    ] })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.points).toEqual([
      { memberId: alice.id, itemId: kept, ruleKey: 'pledge-kept', amount: 5, granted: 5, reason: expect.stringContaining('已兑现') },
      { memberId: alice.id, itemId: broken, ruleKey: 'no-pledge', amount: -3, granted: -3, reason: expect.stringContaining('未兑现') },
    ])
    // The ledger holds exactly these two rows for the member, and the score follows.
    const ledger = await t.handle.db.selectFrom('point_ledger').select(['amount', 'reason']).where('member_id', '=', alice.id).orderBy('amount', 'desc').execute()
    expect(ledger.map(l => l.amount)).toEqual([5, -3])
    expect(body.pledge.liveStatus).toBe('unfulfilled')
    expect(await item(kept!)).toMatchObject({ result: 'kept', result_comment: '按期完成', points_rule_key: 'pledge-kept', points_amount: 5 })
    expect(await item(partial!)).toMatchObject({ result: 'partial', points_amount: null })
    expect(await item(excused!)).toMatchObject({ result: 'broken', excused: 1, points_amount: null })
    const audit = await t.handle.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'pledge.points').execute()
    expect(audit.map(a => a.entity_id).sort()).toEqual([kept, broken].sort())
  })

  it('should file 评诺 points under their own source, pledge, and move older ones stored as a check-in there, leaving attendance alone', async () => {
    const pledge = await publishedPledge(alice, admin)
    await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[0]!.id, result: 'kept' }] })
    const { branchId } = await t.handle.db.selectFrom('member').select('branch_id as branchId').where('id', '=', alice.id).executeTakeFirstOrThrow()
    await t.handle.db.transaction().execute(trx => grantByRule(trx, { branchId, memberId: alice.id, ruleKey: 'meeting', date: '2026-11-30', source: `meeting:${randomUUID()}`, kind: 'checkin', note: '党员大会', actorId: alice.id }))
    const sources = async () => ((await alice.client.get('/api/points/entries')).json().items as { ruleName: string, source: string }[])
      .map(e => [e.ruleName.slice(0, 6), e.source])
      .sort()
    const now = [['参加党员大会', 'checkin'], ['承诺项按期兑', 'pledge']]
    expect(await sources()).toEqual(now)
    // Before this version 评诺 stored its points as `checkin`: the migration tells them apart by rule.
    await t.handle.db.updateTable('point_entry').set({ source: 'checkin' }).where('member_id', '=', alice.id).execute()
    await migrations['2026_12_02_1700_pledge_source']!.up(t.handle.db)
    expect(await sources()).toEqual(now)
  })

  it('should refuse evaluating an item twice, an item of another pledge, or an unpublished pledge, changing nothing (409, 400)', async () => {
    const pledge = await publishedPledge(alice, admin)
    const other = await publishedPledge(bob, admin)
    const itemId = pledge.items[0]!.id
    await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId, result: 'kept' }] })
    const twice = await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId, result: 'broken' }] })
    expect(twice.json()).toMatchObject({ statusCode: 409, code: 'ITEM_EVALUATED' })
    expect((await item(itemId)).result).toBe('kept')
    const foreign = await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: other.items[0]!.id, result: 'kept' }] })
    expect(foreign.statusCode).toBe(400)
    expect((await item(other.items[0]!.id)).result).toBeNull()
    const draft = (await alice.client.post('/api/pledges', pledgeBody())).json()
    expect((await admin.post(`/api/pledges/${draft.id}/evaluate`, { items: [{ itemId: draft.items[0].id, result: 'kept' }] })).statusCode).toBe(409)
  })

  it('should grant 承诺项按期兑现 only up to its cap of 10 a year (200)', async () => {
    const pledge = await publishedPledge(alice, admin, { items: [0, 1, 2].map(n => ({ ...pledgeBody().items[0], target: `目标 ${n}` })) })
    const res = await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: pledge.items.map(i => ({ itemId: i.id, result: 'kept' })) })
    expect(res.json().points.map((p: { granted: number }) => p.granted)).toEqual([5, 5, 0])
    const sum = await t.handle.db.selectFrom('point_ledger').select(eb => eb.fn.sum<number>('amount').as('s')).where('member_id', '=', alice.id).executeTakeFirstOrThrow()
    expect(Number(sum.s)).toBe(10)
  })

  it('should grant nothing twice when the same item comes back (409) and nothing for a group pledge (200)', async () => {
    const pledge = await publishedPledge(alice, admin)
    await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[0]!.id, result: 'kept' }] })
    expect((await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[0]!.id, result: 'kept' }] })).statusCode).toBe(409)
    const ledger = await t.handle.db.selectFrom('point_ledger').select('amount').where('member_id', '=', alice.id).execute()
    expect(ledger).toHaveLength(1)
    const branchPledge = (await admin.post('/api/pledges', pledgeBody({ ownerKind: 'branch' }))).json()
    for (const step of ['submit', 'approve', 'publish'])
      await admin.post(`/api/pledges/${branchPledge.id}/${step}`)
    const res = await admin.post(`/api/pledges/${branchPledge.id}/evaluate`, { items: [{ itemId: branchPledge.items[0].id, result: 'kept' }] })
    expect(res.json().points).toEqual([])
  })

  it('should refuse progress on an item once it is evaluated (200 rejected)', async () => {
    const pledge = await publishedPledge(alice, admin)
    await admin.post(`/api/pledges/${pledge.id}/evaluate`, { items: [{ itemId: pledge.items[0]!.id, result: 'kept' }] })
    const [res] = results(await push(alice.client, [op('pledge.progress', progress(pledge.items[0]!.id))]))
    expect(res).toMatchObject({ status: 'rejected', code: 'PLEDGE_ITEM_EVALUATED' })
  })
})
