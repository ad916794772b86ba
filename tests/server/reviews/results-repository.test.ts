import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberReviewResults } from '../../../src/server/reviews/results-repository'
import { buildTestApp } from '../helper'
import { orgFixture } from '../org-helper'

/* The read other features take 讲评 results from: closed sessions of the period only, never an open one's ratings. */
describe('讲评 results for a period', () => {
  let t: TestApp
  let f: Awaited<ReturnType<typeof orgFixture>>
  const now = new Date().toISOString()

  async function session(status: 'rating' | 'closed', period: string, from: string, to: string, branchId = f.branchId, groupId: string | null = f.group1) {
    const id = randomUUID()
    await t.handle.db.insertInto('review_session').values({ id, branch_id: branchId, group_id: groupId, meeting_id: null, title: '讲评', period, period_from: from, period_to: to, status, guest_cap: 0, guest_code: null, created_by: f.admin.id, opened_at: now, rating_opened_at: now, closed_at: null, closed_by: null, created_at: now, updated_at: now }).execute()
    return id
  }

  async function rate(sessionId: string, raterId: string, rateeId: string, score: number, comment = '', branchId = f.branchId) {
    const ballotId = randomUUID()
    await t.handle.db.insertInto('review_ballot').values({ id: ballotId, session_id: sessionId, branch_id: branchId, rater_kind: 'member', rater_member_id: raterId, guest_id: null, created_at: now, updated_at: now }).execute()
    await t.handle.db.insertInto('review_rating').values({ ballot_id: ballotId, session_id: sessionId, branch_id: branchId, ratee_id: rateeId, rater_kind: 'member', study: score, excel: score, serve: score, discipline: score, uphold: score, comment, comment_status: 'approved' }).execute()
  }

  beforeAll(async () => {
    t = await buildTestApp()
    f = await orgFixture(t)
  })
  afterAll(() => t.close())

  it('should count closed sessions within the period and nothing of an open one, another period or another branch', async () => {
    const h1 = await session('closed', '2026-H1', '2026-01-01', '2026-06-30')
    const h2 = await session('rating', '2026-H2', '2026-07-01', '2026-12-31')
    const old = await session('closed', '2025-H2', '2025-07-01', '2025-12-31')
    const other = await session('closed', '2026-H1', '2026-01-01', '2026-06-30', f.otherBranchId, f.otherGroup)
    await rate(h1, f.leader.id, f.member.id, 4, '积极发言')
    await rate(h1, f.admin.id, f.member.id, 3)
    await rate(h2, f.leader.id, f.member.id, 1)
    await rate(old, f.leader.id, f.member.id, 1)
    await rate(other, f.otherAdmin.id, f.otherMember.id, 2, '', f.otherBranchId)

    const year = await memberReviewResults(t.handle.db, f.branchId, '2026-01-01', '2026-12-31')
    const m = year.get(f.member.id)!
    expect(m.averages.study).toBe(3.5)
    expect(m.raters).toEqual({ member: 2, guest: 0 })
    expect(m.comments).toEqual([{ text: '积极发言', raterKind: 'member' }])
    expect(year.has(f.otherMember.id)).toBe(false)

    expect((await memberReviewResults(t.handle.db, f.branchId, '2026-01-01', '2026-12-31', [f.leader.id])).size).toBe(0)
    expect((await memberReviewResults(t.handle.db, f.branchId, '2026-01-01', '2026-12-31', [])).size).toBe(0)
  })
})
