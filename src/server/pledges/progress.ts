import type { Pledge } from '#shared/pledges/schemas'
import type { OpHandler } from '../sync/registry'
import { PHOTO_OWNER } from '#shared/photos/constants'
import { PLEDGE_ENTITY, PLEDGE_REJECT, pledgeProgress } from '#shared/pledges/ops'
import { REJECT } from '#shared/sync/protocol'
import { attachPhotos } from '../photos/store'
import { recordChange } from '../sync/changes'
import { opRefusal, opRejection } from '../sync/registry'
import { pledgeOfBranch, toProgress } from './views'
import { recordPledge } from './workflow'

/** Who keeps a pledge and so records its progress: the member; the group's leader; a branch admin for the branch. */
export function mayRecordProgress(actor: { id: string, role: string, groupId: string | null }, pledge: Pledge): boolean {
  if (pledge.ownerKind === 'member')
    return pledge.memberId === actor.id
  if (actor.role === 'branch_admin')
    return true
  return pledge.ownerKind === 'group' && actor.role === 'group_leader' && actor.groupId === pledge.groupId
}

const NOT_FOUND = () => opRejection(PLEDGE_REJECT.notFound)

/**
 * pledge.progress (践诺): one record per op, its id made on the phone. The item's current
 * progress follows the newest record. A duplicate push is answered by the sync layer from the
 * recorded answer; the same record id in another op is refused.
 */
export const pledgeProgressHandler: OpHandler<typeof pledgeProgress.payload> = {
  definition: pledgeProgress,
  async apply({ actor, trx, clientTime, receivedAt }, payload) {
    const item = await trx.selectFrom('pledge_item').select(['pledge_id', 'result']).where('id', '=', payload.itemId).where('branch_id', '=', actor.branchId).executeTakeFirst()
    if (!item)
      throw NOT_FOUND()
    const pledge = await pledgeOfBranch(trx, actor.branchId, item.pledge_id).catch(() => null)
    if (!pledge)
      throw NOT_FOUND()
    if (!mayRecordProgress(actor, pledge))
      throw opRefusal(REJECT.notYours, 'PLEDGE_PROGRESS_NOT_YOURS')
    if (pledge.status !== 'approved' && pledge.status !== 'published')
      throw opRejection(PLEDGE_REJECT.notOpen)
    if (item.result)
      throw opRejection(PLEDGE_REJECT.evaluated)
    if (await trx.selectFrom('pledge_progress').select('id').where('id', '=', payload.id).executeTakeFirst())
      throw opRejection(PLEDGE_REJECT.idTaken)
    const percent = payload.status === 'done' ? 100 : payload.status === 'not_started' ? 0 : payload.percent
    const note = payload.note.trim()
    const photoIds = await attachPhotos(trx, actor, payload.photoIds, { entity: PHOTO_OWNER.progress, id: payload.id })
    const row = {
      id: payload.id,
      item_id: payload.itemId,
      pledge_id: pledge.id,
      branch_id: actor.branchId,
      recorded_by: actor.id,
      status: payload.status,
      percent,
      note,
      client_time: clientTime,
      created_at: receivedAt,
      photo_ids: JSON.stringify(photoIds),
    }
    await trx.insertInto('pledge_progress').values(row).execute()
    // Records can arrive out of order (two phones): the item shows the one made last on the phone.
    await trx.updateTable('pledge_item')
      .set({ progress_status: payload.status, percent, progress_note: note, progress_at: clientTime })
      .where('id', '=', payload.itemId)
      .where(eb => eb.or([eb('progress_at', 'is', null), eb('progress_at', '<=', clientTime)]))
      .execute()
    const progress = toProgress(row)
    const owner = pledge.memberId ?? pledge.createdBy
    await recordChange(trx, { entity: PLEDGE_ENTITY.progress, entityId: progress.id, branchId: actor.branchId, memberId: owner, op: 'upsert', data: progress })
    await recordPledge(trx, actor.branchId, await pledgeOfBranch(trx, actor.branchId, pledge.id))
    return progress
  },
}
