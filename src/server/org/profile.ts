import type { OpHandler } from '../sync/registry'
import { ENTITY, profileUpdate } from '#shared/sync/ops'
import { recordChange } from '../sync/changes'
import { updatePhone } from './repository'

/** profile.update: the session's member changes their own phone; the payload never names a member. */
export const profileUpdateHandler: OpHandler<typeof profileUpdate.payload> = {
  definition: profileUpdate,
  async apply({ actor, trx, receivedAt }, payload) {
    await updatePhone(trx, actor.id, payload.phone, receivedAt)
    const entity = { id: actor.id, phone: payload.phone, updatedAt: receivedAt }
    await recordChange(trx, { entity: ENTITY.profile, entityId: actor.id, branchId: actor.branchId, memberId: actor.id, op: 'upsert', data: entity })
    return entity
  },
}
