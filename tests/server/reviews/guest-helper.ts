import type { ReviewStatus } from '#shared/reviews/constants'
import type { DbHandle } from '../../../src/server/db/database'
import { randomUUID } from 'node:crypto'

/**
 * A 讲评 session written directly (rev's create/advance ops are not on this branch), with the
 * guest link on: `code` is what /g/<code> carries.
 */
export async function insertReviewSession(handle: DbHandle, o: { branchId: string, groupId: string | null, createdBy: string, status?: ReviewStatus, cap?: number }) {
  const id = randomUUID()
  const code = randomUUID().replace(/-/g, '').slice(0, 16)
  const now = new Date().toISOString()
  await handle.db.insertInto('review_session').values({ id, branch_id: o.branchId, group_id: o.groupId, meeting_id: null, title: '2026年上半年讲评', period: '2026-H1', period_from: '2026-01-01', period_to: '2026-06-30', status: o.status ?? 'rating', guest_cap: o.cap ?? 5, guest_code: code, created_by: o.createdBy, opened_at: now, rating_opened_at: now, closed_at: null, closed_by: null, created_at: now, updated_at: now }).execute()
  return { id, code }
}

export async function insertStatement(handle: DbHandle, sessionId: string, branchId: string, memberId: string, participation: string) {
  const now = new Date().toISOString()
  await handle.db.insertInto('review_statement').values({ id: randomUUID(), session_id: sessionId, branch_id: branchId, member_id: memberId, participation, pledges: '践诺情况良好', improvement: '多学习', created_at: now, updated_at: now }).execute()
}

export const allFour = { study: 4, excel: 4, serve: 4, discipline: 4, uphold: 4 }

export function guestBallot(ratings: { rateeId: string, scores?: Record<string, number>, comment?: string }[], deviceId = randomUUID().replace(/-/g, '')) {
  return { deviceId, name: '王师傅', relation: 'masses_rep', ratings: ratings.map(r => ({ scores: allFour, ...r })) }
}
