import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { nowIso } from '../util/clock'

export interface ChangeInput {
  entity: string
  entityId: string
  branchId: string
  /**
   * The member the record belongs to, who always pulls it; null with no groupId for branch-wide
   * records every member may pull.
   */
  memberId: string | null
  /** For a record of one 党小组: only its members and the branch admins pull it (and memberId, if set). */
  groupId?: string | null
  op: 'upsert' | 'delete'
  data: unknown
}

/**
 * Appends to the change log with a seq taken from the one-row counter. The UPDATE locks that row
 * until commit, so on PostgreSQL seqs become visible in commit order and a pull with
 * `seq > cursor` never skips a change that commits late (DESIGN §1, invariant 6).
 * Call it inside the same transaction as the write it describes.
 */
export async function recordChange(trx: Transaction<Database>, change: ChangeInput): Promise<number> {
  const { seq } = await trx.updateTable('sync_counter')
    .set(eb => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow()
  await trx.insertInto('change_log').values({
    seq,
    entity: change.entity,
    entity_id: change.entityId,
    branch_id: change.branchId,
    member_id: change.memberId,
    group_id: change.groupId ?? null,
    op: change.op,
    data: JSON.stringify(change.data),
    created_at: nowIso(),
  }).execute()
  return seq
}
