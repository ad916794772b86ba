import type { MatrixFixture, MatrixRole, RouteCase } from './authz-matrix'
import { all } from './authz-matrix'
import { Client } from './helper'
import { guestBallot, insertReviewSession } from './reviews/guest-helper'

/*
 * 讲评 guests (issue 12): the public link answers anyone (its code is the credential); the
 * organizer's routes answer the session's group leader and the branch admin, 403 another group's
 * leader or a member, 404 another branch's admin.
 */
const organizerOfGroup1: Record<MatrixRole, number> = { anonymous: 401, member: 403, leaderOwn: 200, leaderOther: 403, admin: 200, otherAdmin: 404 }

const session = (f: MatrixFixture) => insertReviewSession(f.t.handle, { branchId: f.branchId, groupId: f.group1, createdBy: f.leader.id, cap: 10 })

/** A session with one guest's comment waiting: what the moderation route decides. */
async function pendingComment(f: MatrixFixture) {
  const s = await session(f)
  const res = await new Client(f.t.app).post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id, comment: '热心' }]))
  if (res.statusCode !== 200)
    throw new Error(`fixture: guest ballot → ${res.statusCode} ${res.body}`)
  const row = await f.t.handle.db.selectFrom('review_rating').select('ballot_id').where('session_id', '=', s.id).executeTakeFirstOrThrow()
  return { id: s.id, ballotId: row.ballot_id }
}

export const GUEST_MATRIX: RouteCase[] = [
  { method: 'GET', route: '/api/guest/:code', prepare: session, url: (_f, p) => `/api/guest/${p.code}`, expect: all(200) },
  { method: 'POST', route: '/api/guest/:code/ballot', prepare: session, url: (_f, p) => `/api/guest/${p.code}/ballot`, body: f => guestBallot([{ rateeId: f.member.id }]), expect: all(200) },
  { method: 'GET', route: '/api/reviews/:id/guest-link', prepare: session, url: (_f, p) => `/api/reviews/${p.id}/guest-link`, expect: organizerOfGroup1 },
  { method: 'PUT', route: '/api/reviews/:id/guest-link', prepare: session, url: (_f, p) => `/api/reviews/${p.id}/guest-link`, body: () => ({ cap: 8, renew: true }), expect: organizerOfGroup1 },
  { method: 'GET', route: '/api/reviews/:id/guest-comments', prepare: session, url: (_f, p) => `/api/reviews/${p.id}/guest-comments`, expect: organizerOfGroup1 },
  {
    method: 'POST',
    route: '/api/reviews/:id/guest-comments/:ballotId/:rateeId/moderate',
    prepare: pendingComment,
    url: (f, p) => `/api/reviews/${p.id}/guest-comments/${p.ballotId}/${f.member.id}/moderate`,
    body: () => ({ decision: 'approve' }),
    expect: organizerOfGroup1,
  },
]
