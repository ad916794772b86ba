import type { OpHandler } from '../sync/registry'
import { ENTITY, profileUpdate } from '#shared/sync/ops'
import { recordChange } from '../sync/changes'

/** profile.update: the session's member changes their own phone; the payload never names a member. */
export const profileUpdateHandler: OpHandler<typeof profileUpdate.payload> = {
  definition: profileUpdate,
  async apply({ actor, trx, receivedAt }, payload) {
    await trx.updateTable('member').set({ phone: payload.phone, updated_at: receivedAt }).where('id', '=', actor.id).execute()
    const entity = { id: actor.id, phone: payload.phone, updatedAt: receivedAt }
    await recordChange(trx, { entity: ENTITY.profile, entityId: actor.id, branchId: actor.branchId, memberId: actor.id, op: 'upsert', data: entity })
    return entity
  },
}
