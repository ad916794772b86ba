import type { Actor } from '../plugins/auth'
import type { OpHandler } from '../sync/registry'
import { ENTITY, profileUpdate } from '#shared/sync/ops'
import { recordChange } from '../sync/changes'
import { updatePhone } from './repository'

/** What the phone gets back and what the change log carries for one phone change. */
function profileEntity(actor: Actor, phone: string | null, at: string) {
  return { id: actor.id, phone, updatedAt: at }
}

/** profile.update: the session's member changes their own phone; the payload never names a member. */
export const profileUpdateHandler: OpHandler<typeof profileUpdate.payload> = {
  definition: profileUpdate,
  async apply({ actor, trx, receivedAt }, payload) {
    await updatePhone(trx, actor.id, payload.phone, receivedAt)
    const entity = profileEntity(actor, payload.phone, receivedAt)
    await recordChange(trx, { entity: ENTITY.profile, entityId: actor.id, branchId: actor.branchId, memberId: actor.id, op: 'upsert', data: entity })
    return entity
  },
  /**
   * A run of phone changes (all the same member's: a batch is one session's): each answered and
   * logged as apply would, the member's row written once with the last of them — what apply one
   * after the other leaves, since each overwrites the one before inside the same transaction.
   */
  async applyMany(items) {
    const { actor, trx } = items[0]!.ctx
    const last = items.at(-1)!
    await updatePhone(trx, actor.id, last.payload.phone, last.ctx.receivedAt)
    const entities = []
    for (const { ctx, payload } of items) {
      const entity = profileEntity(ctx.actor, payload.phone, ctx.receivedAt)
      await recordChange(trx, { entity: ENTITY.profile, entityId: ctx.actor.id, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: entity })
      entities.push(entity)
    }
    return entities
  },
}
