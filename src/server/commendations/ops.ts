import type { OpHandler } from '../sync/registry'
import { commendationDecide, commendationNominate } from '#shared/commendations/ops'
import { refusalsAsRejections } from '../sync/registry'
import { decide, nominate } from './service'

/** commendation.nominate: the phone made the nominee's id, so a second push of the same op id is answered by push.ts, a new op with a taken id is refused by the insert's rules. */
export const commendationNominateHandler: OpHandler<typeof commendationNominate.payload> = {
  definition: commendationNominate,
  role: 'group_leader',
  async apply({ actor, trx }, p) {
    return refusalsAsRejections(() => nominate(trx, actor, p))
  },
}

/** commendation.decide: once per nominee, after 公示; an award grants its points once. */
export const commendationDecideHandler: OpHandler<typeof commendationDecide.payload> = {
  definition: commendationDecide,
  role: 'branch_admin',
  async apply({ actor, trx }, p) {
    return refusalsAsRejections(() => decide(trx, actor, p.nomineeId, p.awarded))
  },
}
