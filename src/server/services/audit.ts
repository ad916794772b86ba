import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import { newId, nowIso } from './tokens'

export interface AuditInput {
  /** Dotted verb such as group.create or member.update. */
  action: string
  entity: string
  entityId: string | null
  /** What changed, enough to answer "who did what" later; never a password or token. */
  data: unknown
}

/** Appends one audit row. Call it inside the transaction of the change it describes. */
export async function writeAudit(trx: Transaction<Database>, actor: Actor, input: AuditInput): Promise<void> {
  await trx.insertInto('audit_log').values({
    id: newId(),
    branch_id: actor.branchId,
    actor_id: actor.id,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId,
    data: JSON.stringify(input.data ?? {}),
    created_at: nowIso(),
  }).execute()
}
