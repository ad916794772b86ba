import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { randomBytes } from 'node:crypto'
import { nowIso } from '../util/clock'
import { insertAuditRow } from './repository'

/* The one audit writer: every change any feature makes is logged through writeAudit, in the
   transaction of the change, so a row exists exactly when the change does. */

/** Who acted: a member of the branch, or nobody (null) for what the server did itself, e.g. the demo seed. */
export interface AuditActor {
  id: string | null
  branchId: string
}

export interface AuditInput {
  /** Dotted verb such as group.create or member.update. */
  action: string
  entity: string
  entityId: string | null
  /** What changed, enough to answer "who did what" later; never a password or token. */
  data: unknown
}

/** Appends one audit row. Call it inside the transaction of the change it describes. */
export async function writeAudit(trx: Transaction<Database>, actor: AuditActor, input: AuditInput): Promise<void> {
  await insertAuditRow(trx, {
    id: timeOrderedId(),
    branch_id: actor.branchId,
    actor_id: actor.id,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId,
    data: JSON.stringify(input.data ?? {}),
    created_at: nowIso(),
  })
}

let lastMs = 0
let counter = 0

/**
 * A UUIDv7-shaped id: 48-bit millisecond time, then a per-process counter, then random bits. Two
 * changes in the same millisecond still sort in the order they were made ("newest first").
 * Per process on purpose: with several instances on one database the 62 random bits keep ids
 * unique, and two instances' rows of the same millisecond merely sort in either order.
 */
function timeOrderedId(): string {
  const ms = Date.now()
  counter = ms === lastMs ? (counter + 1) & 0xFFF : 0
  lastMs = ms
  const b = randomBytes(16)
  b.writeUIntBE(ms, 0, 6)
  b[6] = 0x70 | (counter >> 8)
  b[7] = counter & 0xFF
  b[8] = (b[8]! & 0x3F) | 0x80
  const hex = b.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
