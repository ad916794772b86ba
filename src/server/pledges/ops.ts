import type { PledgeResult } from '#shared/pledges/constants'
import type { Pledge } from '#shared/pledges/schemas'
import type { OpHandler } from '../sync/registry'
import { PLEDGE_REJECT, pledgeEvaluate, pledgeReview, pledgeSave, pledgeSubmit } from '#shared/pledges/ops'
import { mayMove, todayIn } from '#shared/pledges/status'
import { REJECT } from '#shared/sync/protocol'
import { HttpError } from '../errors'
import { opRefusal, OpRejection, opRejection } from '../sync/registry'
import { evaluatePledge } from './evaluation'
import { itemEvaluators, pledgeDeciders, pledgeIdTaken, pledgeOfBranch } from './views'
import { createPledge, reviewPledge, submitPledge, updatePledge } from './workflow'

const notFound = () => opRejection(PLEDGE_REJECT.pledgeNotFound)

/** Who evaluated an item first, and to what: a reason of the catalog for each result. */
const EVALUATED_BY = { kept: 'ITEM_KEPT_BY', partial: 'ITEM_PARTIAL_BY', broken: 'ITEM_BROKEN_BY' } as const satisfies Record<PledgeResult, string>

/**
 * The ops run the REST routes' own workflow functions; what those refuse with an HTTP error
 * becomes the op's permanent rejection, with the same words, for the member's 同步失败 list.
 */
async function asOp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  }
  catch (err) {
    if (!(err instanceof HttpError))
      throw err
    if (err.statusCode === 403)
      throw new OpRejection(REJECT.notYours, err.message, err.params)
    if (err.statusCode === 404)
      throw notFound()
    throw new OpRejection(err.code, err.message, err.params)
  }
}

async function existing(ctx: { actor: { branchId: string }, trx: Parameters<typeof pledgeOfBranch>[0] }, id: string): Promise<Pledge | null> {
  return pledgeOfBranch(ctx.trx, ctx.actor.branchId, id).catch((err: unknown) => {
    if (err instanceof HttpError && err.statusCode === 404)
      return null
    throw err
  })
}

/** pledge.save: the first save of a phone-made id creates the draft, later ones rewrite it (draft or returned only). */
export const pledgeSaveHandler: OpHandler<typeof pledgeSave.payload> = {
  definition: pledgeSave,
  async apply(ctx, { id, ownerKind, groupId, ...content }) {
    const before = await existing(ctx, id)
    if (before)
      return asOp(() => updatePledge(ctx.trx, ctx.actor, id, content))
    if (await pledgeIdTaken(ctx.trx, id))
      throw opRejection(PLEDGE_REJECT.pledgeIdTaken)
    return asOp(() => createPledge(ctx.trx, ctx.actor, { ownerKind, groupId, ...content }, id))
  },
}

/** pledge.submit: sends a draft or a returned pledge to the branch; one already sent (from another phone) is refused, not sent twice. */
export const pledgeSubmitHandler: OpHandler<typeof pledgeSubmit.payload> = {
  definition: pledgeSubmit,
  async apply(ctx, { id }) {
    if (!await existing(ctx, id))
      throw notFound()
    return asOp(() => submitPledge(ctx.trx, ctx.actor, id))
  },
}

/**
 * What an organizer is told when the pledge is no longer as they saw it: who decided what first,
 * or that the member rewrote it. Nothing is overwritten.
 */
async function whyNot(ctx: Parameters<OpHandler['apply']>[0], pledge: Pledge, move: 'approve' | 'return' | 'publish', submittedAt: string): Promise<OpRejection | null> {
  if (pledge.status === 'submitted' && pledge.submittedAt !== submittedAt)
    return opRejection(PLEDGE_REJECT.changed, { name: pledge.ownerName, at: pledge.submittedAt ?? '' })
  if (mayMove(pledge.status, move) && pledge.submittedAt === submittedAt)
    return null
  const { reviewer, publisher } = await pledgeDeciders(ctx.trx, pledge.id)
  // Without the decider's name (a removed account), the code's own words: another organizer decided.
  const by = (reason: 'PLEDGE_RETURNED_BY' | 'PLEDGE_APPROVED_BY' | 'PLEDGE_PUBLISHED_BY', name: string | null | undefined, params: Record<string, string> = {}) =>
    name ? opRefusal(PLEDGE_REJECT.decided, reason, { name, ...params }) : opRejection(PLEDGE_REJECT.decided)
  switch (pledge.status) {
    case 'returned':
      return by('PLEDGE_RETURNED_BY', reviewer, { reason: pledge.returnReason ?? '' })
    case 'approved':
      return by('PLEDGE_APPROVED_BY', reviewer)
    case 'published':
      return by('PLEDGE_PUBLISHED_BY', publisher)
    default:
      // Still waiting for a first decision (e.g. a publish queued after an approve that was refused).
      return opRefusal(PLEDGE_REJECT.decided, pledge.status === 'draft' ? 'PLEDGE_NOW_DRAFT' : 'PLEDGE_NOW_SUBMITTED')
  }
}

/** pledge.review: approve, return or publish the submission the organizer saw, and only that one. */
export const pledgeReviewHandler: OpHandler<typeof pledgeReview.payload> = {
  definition: pledgeReview,
  role: 'branch_admin',
  async apply(ctx, payload) {
    const pledge = await existing(ctx, payload.id)
    if (!pledge)
      throw notFound()
    const refusal = await whyNot(ctx, pledge, payload.move, payload.submittedAt)
    if (refusal)
      throw refusal
    return asOp(() => reviewPledge(ctx.trx, ctx.actor, payload.id, payload.move, payload.move === 'return' ? payload.reason : undefined))
  },
}

/**
 * pledge.evaluate (评诺): the REST route's evaluation, points included, counted in the branch's
 * calendar on the day the op arrives. An item someone evaluated first is refused, naming them.
 */
export const pledgeEvaluateHandler: OpHandler<typeof pledgeEvaluate.payload> = {
  definition: pledgeEvaluate,
  role: 'branch_admin',
  async apply(ctx, payload) {
    const pledge = await existing(ctx, payload.id)
    if (!pledge)
      throw notFound()
    const evaluators = await itemEvaluators(ctx.trx, payload.items.map(e => e.itemId).filter(itemId => pledge.items.some(i => i.id === itemId)))
    const first = pledge.items.find(i => evaluators.has(i.id))
    if (first?.result) {
      const who = evaluators.get(first.id)
      throw who ? opRefusal(PLEDGE_REJECT.decided, EVALUATED_BY[first.result], { target: first.target.slice(0, 40), name: who }) : opRejection(PLEDGE_REJECT.decided)
    }
    const { pledge: after } = await asOp(() => evaluatePledge(ctx.trx, ctx.actor, payload.id, { items: payload.items }, todayIn(new Date(ctx.receivedAt))))
    return after
  },
}
