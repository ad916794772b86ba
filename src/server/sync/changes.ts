import type { Insertable, Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { ChangeLogTable } from '../db/sync.table'
import { nowIsoThisMs } from '../util/clock'
import { insertChangeLog, takeSeqs } from './repository'

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

type ChangeRow = Omit<Insertable<ChangeLogTable>, 'seq' | 'scope'>

/**
 * The change-log rows of a push batch, held until the batch commits (see push.ts): the counter is
 * bumped once for all of them and they go in as multi-row inserts. Each op runs inside a savepoint
 * (begin → keep or drop): dropping it forgets the rows it recorded.
 */
export class ChangeBuffer {
  private rows: ChangeRow[] = []
  /** Where the current op's rows begin in `rows`. */
  private opStart = 0
  /** Rows of earlier ops that a flush wrote inside the current op's savepoint: rolled back with it. */
  private writtenInOp: ChangeRow[] = []
  constructor(readonly trx: Transaction<Database>) {}

  add(row: ChangeRow): void {
    this.rows.push(row)
  }

  begin(): void {
    this.opStart = this.rows.length
    this.writtenInOp = []
  }

  keep(): void {
    this.writtenInOp = []
    this.opStart = this.rows.length
  }

  /** The op was rolled back to its savepoint: its rows go, and earlier rows it flushed are held again. */
  drop(): void {
    this.rows = [...this.writtenInOp, ...this.rows.slice(0, this.opStart)]
    this.writtenInOp = []
    this.opStart = this.rows.length
  }

  /** Writes the held rows with consecutive seqs, in the order they were recorded. */
  async flush(): Promise<void> {
    const rows = this.rows
    this.writtenInOp.push(...rows.slice(0, this.opStart))
    this.rows = []
    this.opStart = 0
    if (rows.length > 0)
      await writeChanges(this.trx, rows)
  }
}

/**
 * The buffer of each open push batch, found by its transaction: recordChange(trx) inside the batch
 * holds its rows there. Keyed by the transaction rather than an AsyncLocalStorage, whose promise
 * hooks (Node 20) cost every promise of the process about a tenth of push's CPU time.
 */
const buffers = new WeakMap<Transaction<Database>, ChangeBuffer>()

/** Runs a push batch with recordChange(trx) holding its rows in `buffer` instead of writing them. */
export async function withChangeBuffer<T>(buffer: ChangeBuffer, work: () => Promise<T>): Promise<T> {
  buffers.set(buffer.trx, buffer)
  try {
    return await work()
  }
  finally {
    buffers.delete(buffer.trx)
  }
}

/**
 * Takes `rows.length` seqs from the one-row counter and appends the rows under them. The UPDATE
 * locks that row until commit, so on PostgreSQL seqs become visible in commit order and a pull
 * with `seq > cursor` never skips a change that commits late (DESIGN §1, invariant 6).
 */
async function writeChanges(trx: Transaction<Database>, rows: ChangeRow[]): Promise<number> {
  const last = await takeSeqs(trx, rows.length)
  const first = last - rows.length + 1
  await insertChangeLog(trx, rows.map((row, j) => ({ ...row, seq: first + j })))
  return last
}

/**
 * The change-log text of each object recorded as change data: a handler answers its op with the
 * same entity, and push stores that answer as text too (sync_op.result), so it reuses this text
 * instead of writing the entity out again. Recorded data is not changed afterwards.
 */
const dataTexts = new WeakMap<object, string>()

/** JSON.stringify(value) for an object recorded as change data, if it was. */
export function recordedText(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? dataTexts.get(value) : undefined
}

function rowOf(change: ChangeInput): ChangeRow {
  const data = JSON.stringify(change.data)
  if (change.data !== null && typeof change.data === 'object')
    dataTexts.set(change.data, data)
  return {
    entity: change.entity,
    entity_id: change.entityId,
    branch_id: change.branchId,
    member_id: change.memberId,
    group_id: change.groupId ?? null,
    op: change.op,
    data,
    created_at: nowIsoThisMs(),
  }
}

/**
 * Appends to the change log, in the same transaction as the write it describes. Inside a push
 * batch the row is held and written with the batch's others before it commits; anywhere else it
 * is written at once.
 */
export async function recordChange(trx: Transaction<Database>, change: ChangeInput): Promise<void> {
  const buffer = buffers.get(trx)
  if (buffer) {
    buffer.add(rowOf(change))
    return
  }
  await recordChangeNow(trx, change)
}

/**
 * recordChange for a caller that needs the change's seq (a member's scope moving from that seq
 * on). Rows a push batch is holding go first, so seqs keep the order the changes were made in.
 */
export async function recordChangeNow(trx: Transaction<Database>, change: ChangeInput): Promise<number> {
  await buffers.get(trx)?.flush()
  return writeChanges(trx, [rowOf(change)])
}
