import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { writeAudit } from '../audit/writer'

export interface AuditInput {
  branchId: string
  actorId: string | null
  action: string
  entity: string
  entityId: string | null
  data: unknown
}

/** Who did what, when and why: every change to points writes one row in the same transaction (through the one writer, audit/writer.ts). */
export async function audit(trx: Transaction<Database>, a: AuditInput): Promise<void> {
  await writeAudit(trx, { id: a.actorId, branchId: a.branchId }, { action: a.action, entity: a.entity, entityId: a.entityId, data: a.data })
}
