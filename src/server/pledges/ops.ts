import type { Pledge } from '#shared/pledges/schemas'
import type { OpHandler } from '../sync/registry'
import { RESULT_LABEL_ZH, STATUS_LABEL_ZH } from '#shared/pledges/constants'
import { PLEDGE_REJECT, pledgeEvaluate, pledgeReview, pledgeSave, pledgeSubmit } from '#shared/pledges/ops'
import { mayMove, todayIn } from '#shared/pledges/status'
import { REJECT } from '#shared/sync/protocol'
import { HttpError } from '../errors'
import { OpRejection } from '../sync/registry'
import { evaluatePledge } from './evaluation'
import { itemEvaluators, pledgeDeciders, pledgeIdTaken, pledgeOfBranch } from './views'
import { createPledge, reviewPledge, submitPledge, updatePledge } from './workflow'

const NOT_FOUND_MESSAGE = '找不到这份承诺，可能已被删除 This pledge no longer exists'

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
      throw new OpRejection(REJECT.notYours, err.message)
    if (err.statusCode === 404)
      throw new OpRejection(PLEDGE_REJECT.pledgeNotFound, NOT_FOUND_MESSAGE)
    throw new OpRejection(err.code, err.message)
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
      throw new OpRejection(PLEDGE_REJECT.pledgeIdTaken, '这份承诺的编号已被占用 This pledge id is taken')
    return asOp(() => createPledge(ctx.trx, ctx.actor, { ownerKind, groupId, ...content }, id))
  },
}

/** pledge.submit: sends a draft or a returned pledge to the branch; one already sent (from another phone) is refused, not sent twice. */
export const pledgeSubmitHandler: OpHandler<typeof pledgeSubmit.payload> = {
  definition: pledgeSubmit,
  async apply(ctx, { id }) {
    if (!await existing(ctx, id))
      throw new OpRejection(PLEDGE_REJECT.pledgeNotFound, NOT_FOUND_MESSAGE)
    return asOp(() => submitPledge(ctx.trx, ctx.actor, id))
  },
}

/**
 * What an organizer is told when the pledge is no longer as they saw it: who decided what first,
 * or that the member rewrote it. Nothing is overwritten.
 */
async function whyNot(ctx: Parameters<OpHandler['apply']>[0], pledge: Pledge, move: 'approve' | 'return' | 'publish', submittedAt: string): Promise<OpRejection | null> {
  if (pledge.status === 'submitted' && pledge.submittedAt !== submittedAt)
    return new OpRejection(PLEDGE_REJECT.changed, `${pledge.ownerName} 的承诺已于 ${pledge.submittedAt ?? ''} 修改后重新提交，请看过新内容再审核 The pledge was rewritten and submitted again at ${pledge.submittedAt ?? ''}; review the new content`)
  if (mayMove(pledge.status, move) && pledge.submittedAt === submittedAt)
    return null
  const { reviewer, publisher } = await pledgeDeciders(ctx.trx, pledge.id)
  const someone = '另一位管理员'
  switch (pledge.status) {
    case 'returned':
      return new OpRejection(PLEDGE_REJECT.decided, `这份承诺已被 ${reviewer ?? someone} 退回（${pledge.returnReason ?? ''}），等待党员修改 ${reviewer ?? 'Another organizer'} already returned this pledge (${pledge.returnReason ?? ''})`)
    case 'approved':
      return new OpRejection(PLEDGE_REJECT.decided, `这份承诺已由 ${reviewer ?? someone} 审核通过 ${reviewer ?? 'Another organizer'} already approved this pledge`)
    case 'published':
      return new OpRejection(PLEDGE_REJECT.decided, `这份承诺已由 ${publisher ?? someone} 公示 ${publisher ?? 'Another organizer'} already published this pledge`)
    default:
      // Still waiting for a first decision (e.g. a publish queued after an approve that was refused).
      return new OpRejection(PLEDGE_REJECT.decided, `这份承诺现在是「${STATUS_LABEL_ZH[pledge.status]}」，请重新查看 The pledge is now ${pledge.status}; look at it again`)
  }
}

/** pledge.review: approve, return or publish the submission the organizer saw, and only that one. */
export const pledgeReviewHandler: OpHandler<typeof pledgeReview.payload> = {
  definition: pledgeReview,
  role: 'branch_admin',
  async apply(ctx, payload) {
    const pledge = await existing(ctx, payload.id)
    if (!pledge)
      throw new OpRejection(PLEDGE_REJECT.pledgeNotFound, NOT_FOUND_MESSAGE)
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
      throw new OpRejection(PLEDGE_REJECT.pledgeNotFound, NOT_FOUND_MESSAGE)
    const evaluators = await itemEvaluators(ctx.trx, payload.items.map(e => e.itemId).filter(itemId => pledge.items.some(i => i.id === itemId)))
    const first = pledge.items.find(i => evaluators.has(i.id))
    if (first?.result) {
      const who = evaluators.get(first.id) || '另一位管理员'
      throw new OpRejection(PLEDGE_REJECT.decided, `「${first.target.slice(0, 40)}」已由 ${who} 评为${RESULT_LABEL_ZH[first.result]}，结论不能更改 ${who} already evaluated this item; the result cannot change`)
    }
    const { pledge: after } = await asOp(() => evaluatePledge(ctx.trx, ctx.actor, payload.id, { items: payload.items }, todayIn(new Date(ctx.receivedAt))))
    return after
  },
}
