import type { PointsBranch } from '../points-helper'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, logEntry, pointsBranch, summaryOf, today } from '../points-helper'

/* What the organizer screens rely on: 一票否决 refused when it cannot be a real decision, the audit
   trail paged without gaps or repeats, and the branch's ranking switch (who may set it, bad input,
   and that members' phones pull it). */
let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const thisYear = () => Number(today().slice(0, 4))
const vetoes = () => b.t.handle.db.selectFrom('point_veto').selectAll().execute()
const veto = (more: Record<string, unknown> = {}) => b.admin.client.post('/api/points/vetoes', { memberId: b.amy.id, year: thisYear(), decision: '支委会决定 3 号', decidedOn: today(), reason: '受党内警告处分', ...more })

describe('一票否决 input', () => {
  it('should refuse a decision dated in the future or for a year not yet begun, and store nothing (400)', async () => {
    const future = await veto({ decidedOn: `${thisYear() + 1}-01-01` })
    expect(future.statusCode).toBe(400)
    expect(future.json().code).toBe('VETO_DATE')
    const notADay = await veto({ decidedOn: `${thisYear()}-02-30` })
    expect(notADay.json().code).toBe('VETO_DATE')
    const nextYear = await veto({ year: thisYear() + 1 })
    expect(nextYear.statusCode).toBe(400)
    expect(nextYear.json().code).toBe('VETO_YEAR')
    const blank = await veto({ decision: '   ' })
    expect(blank.statusCode).toBe(400)
    expect(await vetoes()).toHaveLength(0)
    expect((await summaryOf(b.amy)).json()).toMatchObject({ total: 60, veto: null })
  })

  it('should refuse a second standing decision for the same member and year, and allow one after revoking (409, then 200)', async () => {
    const first = await veto()
    expect(first.statusCode).toBe(200)
    const second = await veto({ decision: '支委会决定 4 号' })
    expect(second.statusCode).toBe(409)
    expect(second.json().code).toBe('VETO_EXISTS')
    expect(second.json().message).toContain('amy')
    expect(await vetoes()).toHaveLength(1)
    await b.admin.client.post(`/api/points/vetoes/${first.json().id}/revoke`, { reason: '决定文号有误' })
    const corrected = await veto({ decision: '支委会决定 4 号' })
    expect(corrected.statusCode).toBe(200)
    expect((await summaryOf(b.amy)).json()).toMatchObject({ total: 0, veto: { decision: '支委会决定 4 号' } })
  })

  it('should refuse a veto on a member of another branch as not found (404)', async () => {
    const res = await veto({ memberId: '00000000-0000-4000-8000-0000000000ff' })
    expect(res.statusCode).toBe(404)
    expect(await vetoes()).toHaveLength(0)
  })
})

describe('audit trail paging', () => {
  it('should page newest first with a cursor: every row once, each with who, when and why (200)', async () => {
    for (const reason of ['迟到 5 分钟', '迟到 10 分钟', '迟到 15 分钟'])
      await b.admin.client.post('/api/points/approvals/adjustments', { memberId: b.ben.id, date: today(), reason, category: 'discipline', points: -1 })
    const e = await logEntry(b.t, b.amy, 'volunteer')
    await approve(b.lee, e.id)
    const seen: { id: string, at: string, actorName: string | null, action: string }[] = []
    let before: string | null = null
    let pages = 0
    do {
      const res = await b.admin.client.get(`/api/points/audit?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`)
      expect(res.statusCode).toBe(200)
      const page = res.json() as { items: typeof seen, next: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items)
      before = page.next
      pages++
    } while (before && pages < 20)
    // Three adjustments (each records, then grants at once) and one approval by the leader.
    expect(seen).toHaveLength(7)
    expect(new Set(seen.map(s => s.id)).size).toBe(7)
    expect(seen.map(s => s.at)).toEqual([...seen.map(s => s.at)].sort().reverse())
    expect(seen[0]).toMatchObject({ action: 'points.approve', actorName: 'lee' })
    const ben = (await b.admin.client.get(`/api/points/audit?memberId=${b.ben.id}`)).json().items as { action: string, data: { reason?: string } }[]
    expect(ben.filter(i => i.action === 'points.adjust').map(i => i.data.reason).sort()).toEqual(['迟到 10 分钟', '迟到 15 分钟', '迟到 5 分钟'])
  })

  it('should answer a malformed cursor or limit with a message, never a 500 (400/200)', async () => {
    expect((await b.admin.client.get('/api/points/audit?limit=0')).statusCode).toBe(400)
    expect((await b.admin.client.get('/api/points/audit?limit=abc')).statusCode).toBe(400)
    const junk = await b.admin.client.get('/api/points/audit?before=not-a-cursor')
    expect(junk.statusCode).toBe(200)
    expect(junk.json().items).toEqual([])
  })
})

describe('ranking switch', () => {
  it('should let only a branch admin turn ranking on, refuse a malformed setting, and let members\' phones pull it (200/403/400)', async () => {
    const on = { baseScore: 60, ranking: true, opensOn: null }
    expect((await b.lee.client.request('PUT', '/api/points/settings', on)).statusCode).toBe(403)
    const bad = await b.admin.client.request('PUT', '/api/points/settings', { ...on, ranking: 'yes' })
    expect(bad.statusCode).toBe(400)
    expect((await b.amy.client.get('/api/points/settings')).json().ranking).toBe(false)
    expect((await summaryOf(b.amy)).json().rank).toBeNull()

    expect((await b.admin.client.request('PUT', '/api/points/settings', on)).statusCode).toBe(200)
    const pulled = (await b.amy.client.get('/api/sync/pull')).json().changes as { entity: string, data: { ranking?: boolean } }[]
    expect(pulled.filter(c => c.entity === 'point_settings').at(-1)?.data.ranking).toBe(true)
    expect((await summaryOf(b.amy)).json().rank).toMatchObject({ position: 1, of: 6 })

    await b.admin.client.request('PUT', '/api/points/settings', { ...on, ranking: false })
    expect((await summaryOf(b.amy)).json().rank).toBeNull()
  })
})
