import { Type } from 'typebox'
import { Id, Line } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { REVIEW_LIMITS } from './constants'
import { BallotRatingSchema, ReviewCreateBody, StatementParts } from './schemas'

/**
 * The 讲评 writes (issue 12), all through the outbox so they work offline: the organizer's
 * review.create and review.advance, the member's review.statement and review.ballot.
 */

/** An organizer creates a session; the phone makes the id, so its page opens before it syncs. */
export const reviewCreate = defineOp('review.create', Type.Object({
  id: Id,
  ...ReviewCreateBody.properties,
}, { additionalProperties: false }))

/** An organizer moves a session on: open it, open rating, close it (REVIEW_TRANSITIONS). */
export const reviewAdvance = defineOp('review.advance', Type.Object({
  sessionId: Id,
  to: Type.Union([Type.Literal('open'), Type.Literal('rating'), Type.Literal('closed')]),
  /** The title as the phone showed it: only to name the op in 同步失败, never read by the server. */
  title: Type.Optional(Line(REVIEW_LIMITS.title)),
}, { additionalProperties: false }))

/** A member's 陈述, the whole of it; saved again replaces it until the session closes. */
export const reviewStatement = defineOp('review.statement', Type.Object({
  sessionId: Id,
  ...StatementParts,
}, { additionalProperties: false }))

/** A member's whole ballot; sent again it replaces the earlier one until rating closes. */
export const reviewBallot = defineOp('review.ballot', Type.Object({
  sessionId: Id,
  ratings: Type.Array(BallotRatingSchema, { maxItems: 500 }),
}, { additionalProperties: false }))

/** Entities as pulled and as the phone keeps them. */
export const REVIEW_ENTITY = {
  /** The group's (or branch's) session: its group and the branch admins pull it. */
  session: 'review-session',
  /** A member's 陈述, id `<sessionId>.<memberId>`: pulled by the session's group. */
  statement: 'review-statement',
  /** The rater's own ballot, id = session id: pulled by the rater alone. */
  ballot: 'review-ballot',
  /** The member's own result of a closed session, id = session id: pulled by that member alone. */
  result: 'review-result',
} as const

export function statementId(sessionId: string, memberId: string): string {
  return `${sessionId}.${memberId}`
}
