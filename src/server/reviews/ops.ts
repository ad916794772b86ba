import type { OpHandler } from '../sync/registry'
import { reviewAdvance, reviewBallot, reviewCreate, reviewStatement } from '#shared/reviews/ops'
import { refusalsAsRejections } from '../sync/registry'
import { advanceReview, castBallot, createReview, writeStatement } from './service'

/**
 * The 讲评 ops: the phone's only write path for sessions, 陈述 and ballots, so they work offline.
 * Each calls the service; its refusals (HttpError, worded by the catalog) become OpRejections with
 * the same code and words, so closing twice, a step not allowed or a ballot after closing lands in
 * 同步失败 with the reason. The same op id twice is answered once by the push loop.
 */
export const reviewCreateHandler: OpHandler<typeof reviewCreate.payload> = {
  definition: reviewCreate,
  role: 'group_leader',
  async apply(ctx, p) {
    const { id, ...body } = p
    return refusalsAsRejections(() => createReview(ctx.trx, ctx.actor, id, body))
  },
}

export const reviewAdvanceHandler: OpHandler<typeof reviewAdvance.payload> = {
  definition: reviewAdvance,
  role: 'group_leader',
  async apply(ctx, p) {
    return refusalsAsRejections(() => advanceReview(ctx.trx, ctx.actor, p.sessionId, p.to))
  },
}

export const reviewStatementHandler: OpHandler<typeof reviewStatement.payload> = {
  definition: reviewStatement,
  async apply(ctx, p) {
    const { sessionId, ...parts } = p
    return refusalsAsRejections(() => writeStatement(ctx.trx, ctx.actor, sessionId, parts))
  },
}

export const reviewBallotHandler: OpHandler<typeof reviewBallot.payload> = {
  definition: reviewBallot,
  async apply(ctx, p) {
    return refusalsAsRejections(() => castBallot(ctx.trx, ctx.actor, p.sessionId, p.ratings))
  },
}
