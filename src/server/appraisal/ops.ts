import type { OpHandler } from '../sync/registry'
import { appraisalBallot, appraisalDecide, appraisalOpen, appraisalStep, appraisalSummary } from '#shared/appraisal/ops'
import { refusalsAsRejections } from '../sync/registry'
import { castBallot, decideGrade, openAppraisal, stepAppraisal, writeSummary } from './service'

/*
 * 民主评议 ops: the phone's write path. Each calls the service function its route would; a
 * refusal (HttpError) becomes an OpRejection with the same code, words and params, so a conflict
 * — a step another admin took, a grade another admin set, a ballot after closing — lands in
 * 同步失败 with the reason, and nothing is overwritten.
 */
export const appraisalOpenHandler: OpHandler<typeof appraisalOpen.payload> = {
  definition: appraisalOpen,
  role: 'branch_admin',
  apply: (ctx, { id, ...input }) => refusalsAsRejections(() => openAppraisal(ctx.trx, ctx.actor, id, input)),
}

export const appraisalStepHandler: OpHandler<typeof appraisalStep.payload> = {
  definition: appraisalStep,
  role: 'branch_admin',
  apply: (ctx, p) => refusalsAsRejections(() => stepAppraisal(ctx.trx, ctx.actor, p.appraisalId, p.to)),
}

export const appraisalSummaryHandler: OpHandler<typeof appraisalSummary.payload> = {
  definition: appraisalSummary,
  apply: (ctx, p) => refusalsAsRejections(() => writeSummary(ctx.trx, ctx.actor, p.appraisalId, p.text)),
}

/**
 * The ballot. push.ts keeps only a hash of the payload in sync_op (never the payload), and the
 * answer stored there is `{ appraisalId, voted }`: the grades are nowhere beside the voter's id.
 */
export const appraisalBallotHandler: OpHandler<typeof appraisalBallot.payload> = {
  definition: appraisalBallot,
  apply: (ctx, p) => refusalsAsRejections(() => castBallot(ctx.trx, ctx.actor, p.appraisalId, p.secret, p.grades)),
}

export const appraisalDecideHandler: OpHandler<typeof appraisalDecide.payload> = {
  definition: appraisalDecide,
  role: 'branch_admin',
  apply: (ctx, p) => refusalsAsRejections(() => decideGrade(ctx.trx, ctx.actor, p.appraisalId, p.memberId, p.grade, p.reason)),
}
