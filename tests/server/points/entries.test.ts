import type { PointsBranch } from '../points-helper'
import { randomUUID } from 'node:crypto'
import { loadEntry } from '#server/points/entries'
import { DEFAULT_RULES } from '#shared/points/default-rules'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, entryRow, logEntry, pointsBranch, resubmit, ruleId, today } from '../points-helper'
import { op, push } from '../sync-helper'

let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const entryCount = async () => Number((await b.t.handle.db.selectFrom('point_entry').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
function shift(days: number) {
  const d = new Date(`${today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

describe('default rules', () => {
  it('should seed a new branch with the RULES.md set and a base score of 60 (200)', async () => {
    const res = await b.amy.client.get('/api/points/rules')
    expect(res.statusCode).toBe(200)
    const rules = res.json().rules as { key: string, name: string, version: number, active: boolean }[]
    expect(rules.map(r => r.key)).toEqual(DEFAULT_RULES.map(r => r.key))
    expect(rules.find(r => r.key === 'online-study')!.active).toBe(false)
    expect((await b.amy.client.get('/api/points/settings')).json()).toEqual({ baseScore: 60, ranking: false, opensOn: null })
    // Phones pull the rules so 记积分 works offline.
    const pulled = (await b.amy.client.get('/api/sync/pull')).json().changes as { entity: string }[]
    expect(pulled.filter(c => c.entity === 'point_rule')).toHaveLength(DEFAULT_RULES.length)
  })
})

describe('entry.create', () => {
  it('should store a member\'s entry as pending at the group leader with the rule version, and let the phone pull it (200 applied)', async () => {
    const res = await logEntry(b.t, b.amy, 'volunteer', { note: '进社区宣传' })
    expect(res).toMatchObject({ status: 'applied', entity: { id: res.id, status: 'pending', stage: 'group', points: 2, memberName: 'amy', ruleName: expect.stringContaining('志愿服务') } })
    const row = await entryRow(b.t, res.id)
    expect(row).toMatchObject({ member_id: b.amy.id, status: 'pending', stage: 'group', points: 2, note: '进社区宣传', source: 'member', revision: 1 })
    expect(row.rule_version_id).toBeTruthy()
    const pulled = (await b.amy.client.get('/api/sync/pull')).json().changes as { entity: string, entityId: string, data: { status: string } }[]
    expect(pulled.find(c => c.entity === 'point_entry')).toMatchObject({ entityId: res.id, data: { status: 'pending' } })
    // Another member does not pull it.
    const others = (await b.ben.client.get('/api/sync/pull')).json().changes as { entity: string }[]
    expect(others.some(c => c.entity === 'point_entry')).toBe(false)
  })

  it('should send an entry of a member without a group, or of a 支部-only rule, straight to the branch level (200 applied)', async () => {
    const noGroup = await logEntry(b.t, b.admin, 'volunteer')
    expect((await entryRow(b.t, noGroup.id)).stage).toBe('branch')
    const branchOnly = await logEntry(b.t, b.amy, 'suggestion')
    expect((await entryRow(b.t, branchOnly.id)).stage).toBe('branch')
  })

  it('should take the tier\'s points for a tiered rule and refuse a missing tier (200 applied / rejected ENTRY_VARIANT)', async () => {
    const ok = await logEntry(b.t, b.amy, 'training', { variant: 'long' })
    expect(ok.entity).toMatchObject({ points: 3, variant: 'long' })
    const missing = await logEntry(b.t, b.amy, 'training')
    expect(missing).toMatchObject({ status: 'rejected', code: 'ENTRY_VARIANT' })
    const wrong = await logEntry(b.t, b.amy, 'volunteer', { variant: 'long' })
    expect(wrong).toMatchObject({ status: 'rejected', code: 'ENTRY_VARIANT' })
    expect(await entryCount()).toBe(1)
  })

  it.each([
    ['an unknown rule', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: randomUUID(), date: today(), note: '' })]), 'ENTRY_UNKNOWN_RULE', /不存在/],
    ['a rule switched off', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'online-study'), date: today(), note: '' })]), 'ENTRY_RULE_INACTIVE', /未启用/],
    ['a deduction', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'late'), date: today(), note: '' })]), 'ENTRY_NOT_SELF_LOG', /组织记录/],
    ['a check-in item', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'meeting'), date: today(), note: '' })]), 'ENTRY_NOT_SELF_LOG', /组织记录/],
    ['points the member set', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '', points: 10 })]), 'ENTRY_POINTS_NOT_ALLOWED', /不能自定分值/],
    ['a future date', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: shift(1), note: '' })]), 'ENTRY_DATE_FUTURE', /晚于今天/],
    ['a date that is not a date', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: '2026-02-30', note: '' })]), 'ENTRY_DATE_INVALID', /日期无效/],
    ['a date in a closed year', async () => push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: `${Number(today().slice(0, 4)) - 2}-06-01`, note: '' })]), 'ENTRY_YEAR_CLOSED', /年度已结束/],
  ])('should refuse %s with a clear reason and store nothing (200 rejected)', async (_what, send, code, message) => {
    const res = (await send()).json().results[0]
    expect(res).toMatchObject({ status: 'rejected', code })
    expect(res.message).toMatch(message)
    expect(await entryCount()).toBe(0)
    expect(await b.t.handle.db.selectFrom('sync_op').select('status').where('type', '=', 'entry.create').execute()).toEqual([{ status: 'rejected' }])
  })

  it('should refuse a date before the branch\'s period opens (200 rejected ENTRY_DATE_BEFORE_OPEN)', async () => {
    expect((await b.admin.client.request('PUT', '/api/points/settings', { baseScore: 60, ranking: false, opensOn: today() })).statusCode).toBe(200)
    const yesterday = shift(-1)
    const res = await logEntry(b.t, b.amy, 'volunteer', { date: yesterday })
    expect(res).toMatchObject({ status: 'rejected', code: 'ENTRY_DATE_BEFORE_OPEN' })
    expect(await entryCount()).toBe(0)
  })

  it('should refuse a retired rule, and keep the entries already logged under it (200 rejected ENTRY_RULE_RETIRED)', async () => {
    const before = await logEntry(b.t, b.amy, 'volunteer')
    expect((await b.admin.client.post(`/api/points/rules/${await ruleId(b.t, 'volunteer')}/retire`)).statusCode).toBe(200)
    expect(await logEntry(b.t, b.amy, 'volunteer')).toMatchObject({ status: 'rejected', code: 'ENTRY_RULE_RETIRED' })
    expect((await entryRow(b.t, before.id)).status).toBe('pending')
  })

  it('should refuse a second entry with an id already taken (200 rejected ENTRY_ID_TAKEN)', async () => {
    const first = await logEntry(b.t, b.amy, 'volunteer')
    const again = await logEntry(b.t, b.ben, 'volunteer', { id: first.id })
    expect(again).toMatchObject({ status: 'rejected', code: 'ENTRY_ID_TAKEN' })
    expect((await entryRow(b.t, first.id)).member_id).toBe(b.amy.id)
  })

  it('should answer and log each entry of a run exactly as it is stored and read back (200 applied)', async () => {
    // The run is answered and logged from what it inserted, not read back (issue 17 point 2): what the
    // phone gets and what its other phones pull must still be the stored entry, to the byte.
    const ops = [
      op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '  进社区宣传  ' }),
      op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'training'), date: shift(-1), note: '培训', variant: 'long' }),
      op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'suggestion'), date: today(), note: '' }),
    ]
    for (const who of [b.amy, b.admin]) {
      const results = (await push(who.client, ops.map(o => ({ ...o, opId: randomUUID(), payload: { ...o.payload as object, id: randomUUID() } })))).json().results as { opId: string, status: string, entity: { id: string } }[]
      expect(results.map(r => r.status)).toEqual(['applied', 'applied', 'applied'])
      for (const result of results) {
        const stored = await loadEntry(b.t.handle.db, result.entity.id)
        expect(JSON.stringify(result.entity)).toBe(JSON.stringify(stored))
        const logged = await b.t.handle.db.selectFrom('change_log').select('data').where('entity', '=', 'point_entry').where('entity_id', '=', result.entity.id).executeTakeFirstOrThrow()
        expect(logged.data).toBe(JSON.stringify(stored))
        // The answer kept for a retry is the one given.
        const kept = await b.t.handle.db.selectFrom('sync_op').select('result').where('op_id', '=', result.opId).executeTakeFirstOrThrow()
        expect(kept.result).toBe(JSON.stringify(result))
      }
    }
  })
})

describe('return and resubmit', () => {
  it('should let the member correct a returned entry and send it again, keeping its history (200)', async () => {
    const e = await logEntry(b.t, b.amy, 'training', { variant: 'week', note: '培训' })
    const ret = await b.lee.client.post(`/api/points/approvals/${e.id}/return`, { reason: 'evidence_missing', text: '请补充结业证书' })
    expect(ret.statusCode).toBe(200)
    expect(ret.json()).toMatchObject({ status: 'returned', returnCode: 'evidence_missing', returnReason: '缺少佐证材料：请补充结业证书', reviewerName: 'lee' })
    const pulled = (await b.amy.client.get('/api/sync/pull')).json().changes as { entity: string, data: { status: string } }[]
    expect(pulled.filter(c => c.entity === 'point_entry').at(-1)!.data.status).toBe('returned')

    const res = await resubmit(b.amy, { id: e.id, date: today(), note: '培训，已附证书', variant: 'month' })
    expect(res).toMatchObject({ status: 'applied', entity: { status: 'pending', stage: 'group', revision: 2, points: 2, note: '培训，已附证书', returnReason: null } })
    const detail = (await b.amy.client.get(`/api/points/entries/${e.id}`)).json()
    expect(detail.events.map((ev: { action: string }) => ev.action)).toEqual(['created', 'returned', 'resubmitted'])
    expect(detail.events[2].data.before).toMatchObject({ note: '培训', variant: 'week', returnReason: '缺少佐证材料：请补充结业证书' })

    const done = await approve(b.lee, e.id)
    expect(done.results[0]).toMatchObject({ ok: true, entry: { status: 'approved', granted: 2 } })
  })

  it('should refuse to resubmit an entry that is not returned, or someone else\'s (200 rejected)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    expect(await resubmit(b.amy, { id: e.id, date: today(), note: 'x' })).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_RETURNED' })
    await b.lee.client.post(`/api/points/approvals/${e.id}/return`, { reason: 'wrong_date' })
    expect(await resubmit(b.ben, { id: e.id, date: today(), note: 'x' })).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_FOUND' })
    expect((await entryRow(b.t, e.id)).status).toBe('returned')
  })

  it('should require text when the reason is 其他 (400)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    const res = await b.lee.client.post(`/api/points/approvals/${e.id}/return`, { reason: 'other' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('RETURN_REASON_TEXT')
    expect((await entryRow(b.t, e.id)).status).toBe('pending')
  })
})
