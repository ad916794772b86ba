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

const month = () => Number(today().slice(5, 7))

describe('score summary', () => {
  it('should total base plus approved points, by 五带头 category and month, with pending shown apart (200)', async () => {
    const a = await logEntry(b.t, b.amy, 'volunteer')
    const c = await logEntry(b.t, b.amy, 'training', { variant: 'month' })
    await logEntry(b.t, b.amy, 'study-notes')
    await approve(b.lee, a.id, c.id)
    const s = (await summaryOf(b.amy)).json()
    expect(s).toMatchObject({ base: 60, ledger: 4, total: 64, pending: 1, pendingCount: 1, rank: null })
    expect(s.byCategory).toEqual([
      { category: 'study', points: 2, pending: 1 },
      { category: 'excel', points: 0, pending: 0 },
      { category: 'serve', points: 2, pending: 0 },
      { category: 'discipline', points: 0, pending: 0 },
      { category: 'uphold', points: 0, pending: 0 },
    ])
    expect(s.byMonth[month() - 1]).toBe(4)
    expect(s.byMonth.reduce((x: number, y: number) => x + y, 0)).toBe(4)
  })

  it('should show a rank only where the branch turned ranking on (200)', async () => {
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await approve(b.lee, e.id)
    expect((await summaryOf(b.amy)).json().rank).toBeNull()
    await b.admin.client.request('PUT', '/api/points/settings', { baseScore: 60, ranking: true, opensOn: null })
    expect((await summaryOf(b.amy)).json().rank).toEqual({ position: 1, of: 6 })
    expect((await summaryOf(b.ben)).json().rank).toEqual({ position: 2, of: 6 })
  })

  it('should let a member see only their own score, a leader their group\'s, a branch admin everyone\'s (200/403)', async () => {
    expect((await summaryOf(b.amy, b.ben.id)).statusCode).toBe(403)
    expect((await summaryOf(b.lee, b.amy.id)).statusCode).toBe(200)
    expect((await summaryOf(b.lee, b.cat.id)).statusCode).toBe(403)
    expect((await summaryOf(b.admin, b.cat.id)).statusCode).toBe(200)
    expect((await b.amy.client.get(`/api/points/entries?memberId=${b.ben.id}`)).statusCode).toBe(403)
    expect((await summaryOf(b.amy, crypto.randomUUID())).statusCode).toBe(404)
  })
})

describe('timeline', () => {
  it('should page a member\'s entries newest first with status, reviewer and reason (200)', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++)
      ids.push((await logEntry(b.t, b.amy, 'volunteer', { note: `第${i}次` })).id)
    await b.lee.client.post(`/api/points/approvals/${ids[0]}/return`, { reason: 'duplicate' })
    const seen: { id: string, status: string, reviewerName: string | null, returnReason: string | null }[] = []
    let after = ''
    for (let page = 0; page < 3; page++) {
      const raw = await b.amy.client.get(`/api/points/entries?limit=2${after ? `&after=${after}` : ''}`)
      expect(raw.statusCode, raw.body).toBe(200)
      const res = raw.json()
      seen.push(...res.items)
      if (!res.next)
        break
      after = res.next
    }
    expect(seen.map(e => e.id).sort()).toEqual([...ids].sort())
    expect(new Set(seen.map(e => e.id)).size).toBe(5)
    expect(seen.find(e => e.id === ids[0])).toMatchObject({ status: 'returned', reviewerName: 'lee', returnReason: '重复申报' })
    expect((await b.amy.client.get('/api/points/entries?after=garbage')).statusCode).toBe(400)
  })
})

describe('rule versions', () => {
  it('should keep the points of entries logged under an old version when a rule is edited (200)', async () => {
    const id = await ruleId(b.t, 'volunteer')
    const before = await logEntry(b.t, b.amy, 'volunteer')
    const edited = await b.admin.client.request('PUT', `/api/points/rules/${id}`, { category: 'serve', name: '党员志愿服务', points: 3, variants: [], capPoints: 12, capPeriod: 'year', approval: 'group', evidence: '照片', selfLog: true, active: true, veto: false })
    expect(edited.statusCode).toBe(200)
    expect(edited.json()).toMatchObject({ id, version: 2, points: 3 })
    const after = await logEntry(b.t, b.amy, 'volunteer')
    expect(after.entity).toMatchObject({ points: 3 })
    await approve(b.lee, before.id, after.id)
    expect((await ledgerOf(b.t, b.amy.id)).map(l => l.amount)).toEqual([2, 3])
    const versions = await b.t.handle.db.selectFrom('point_rule_version').select(['version', 'points']).where('rule_id', '=', id).orderBy('version').execute()
    expect(versions).toEqual([{ version: 1, points: 2 }, { version: 2, points: 3 }])
    expect((await entryRow(b.t, before.id)).rule_version_id).not.toBe((await entryRow(b.t, after.id)).rule_version_id)
    // The audit trail keeps what changed.
    const audit = (await b.admin.client.get('/api/points/audit')).json().items.find((i: { action: string }) => i.action === 'points.rule.edit')
    expect(audit.data).toMatchObject({ from: { points: 2 }, to: { points: 3 }, version: 2 })
  })

  it('should refuse rule edits by anyone but a branch admin, and a cap without its period (403/400)', async () => {
    const id = await ruleId(b.t, 'volunteer')
    const body = { category: 'serve', name: 'x', points: 9, variants: [], capPoints: null, capPeriod: null, approval: 'group', evidence: '', selfLog: true, active: true, veto: false }
    expect((await b.lee.client.request('PUT', `/api/points/rules/${id}`, body)).statusCode).toBe(403)
    const bad = await b.admin.client.request('PUT', `/api/points/rules/${id}`, { ...body, capPoints: 5 })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('RULE_CAP')
    expect((await b.admin.client.post('/api/points/rules', { ...body, points: -2 })).json().code).toBe('RULE_SELF_DEDUCTION')
  })
})
