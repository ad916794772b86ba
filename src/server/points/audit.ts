import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'

export interface AuditInput {
  branchId: string
  actorId: string | null
  action: string
  entity: string
  entityId: string | null
  data: unknown
}

/** Who did what, when and why: every change to points writes one row in the same transaction. */
export async function audit(trx: Transaction<Database>, a: AuditInput): Promise<void> {
  await trx.insertInto('audit_log').values({
    id: newId(),
    branch_id: a.branchId,
    actor_id: a.actorId,
    action: a.action,
    entity: a.entity,
    entity_id: a.entityId,
    data: JSON.stringify(a.data ?? {}),
    created_at: nowIso(),
  }).execute()
}
