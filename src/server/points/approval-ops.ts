import type { OpHandler } from '../sync/registry'
import { entryApprove, entryReturn } from '#shared/points/ops'
import { HttpError } from '../errors'
import { OpRejection } from '../sync/registry'
import { approveEntry, returnEntry } from './approval'

/**
 * The approval service's refusals (not yours, someone else decided first, changed since) become
 * the op's permanent refusal with the same code and words, shown in the organizer's 同步失败.
 */
async function refusalsAsRejections<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  }
  catch (err) {
    if (err instanceof HttpError && err.statusCode < 500)
      throw new OpRejection(err.code, err.message, err.params)
    throw err
  }
}

/** entry.approve: 审核通过 decided on the organizer's phone, perhaps offline; the same service as the REST route. */
export const entryApproveHandler: OpHandler<typeof entryApprove.payload> = {
  definition: entryApprove,
  role: 'group_leader',
  async apply({ actor, trx }, p) {
    return refusalsAsRejections(() => approveEntry(trx, actor, p.id, { revision: p.revision }))
  },
}

/** entry.return: 退回 with a reason, decided on the organizer's phone; the same service as the REST route. */
export const entryReturnHandler: OpHandler<typeof entryReturn.payload> = {
  definition: entryReturn,
  role: 'group_leader',
  async apply({ actor, trx }, p) {
    return refusalsAsRejections(() => returnEntry(trx, actor, p.id, { reason: p.reason, ...(p.text !== undefined ? { text: p.text } : {}) }, { revision: p.revision }))
  },
}
