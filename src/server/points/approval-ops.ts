import type { OpHandler } from '../sync/registry'
import { entryApprove, entryReturn } from '#shared/points/ops'
import { refusalsAsRejections } from '../sync/registry'
import { approveEntry, returnEntry } from './approval'

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
