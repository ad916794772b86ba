import type { Insertable, Transaction } from 'kysely'
import type { Columns } from '../db/bulk'
import type { Database } from '../db/database'
import type { ChangeLogTable, SyncOpTable } from '../db/sync.table'
import { CompiledQuery } from 'kysely'
import { insertRows, isPostgres, oneOf, oneOfValues } from '../db/bulk'

/*
 * The hot statements of push (issue 17 point 2), as ready SQL text (see db/bulk.ts): building
 * them with Kysely's builder cost more CPU than SQLite took to run them.
 */

type Trx = Transaction<Database>
export type SyncOpRow = Insertable<SyncOpTable>
export type ChangeLogRow = Omit<Insertable<ChangeLogTable>, 'scope'> & { seq: number }

const SYNC_OP_COLUMNS: Columns<SyncOpRow> = { op_id: 'text', device_id: 'text', seq: 'integer', member_id: 'text', type: 'text', payload_hash: 'text', status: 'text', result: 'text', received_at: 'text' }
const CHANGE_LOG_COLUMNS: Columns<ChangeLogRow> = { seq: 'integer', entity: 'text', entity_id: 'text', branch_id: 'text', member_id: 'text', group_id: 'text', op: 'text', data: 'text', created_at: 'text' }

/**
 * Inserts sync_op rows, skipping op ids already there; answers how many went in (fewer than given
 * means another request recorded one of these op ids meanwhile).
 */
export async function insertSyncOps(trx: Trx, rows: readonly SyncOpRow[]): Promise<number> {
  return insertRows(trx, 'sync_op', SYNC_OP_COLUMNS, rows, { tail: ' on conflict (op_id) do nothing' })
}

/** Appends change-log rows that already carry their seqs. */
export async function insertChangeLog(trx: Trx, rows: readonly ChangeLogRow[]): Promise<void> {
  await insertRows(trx, 'change_log', CHANGE_LOG_COLUMNS, rows)
}

/**
 * Takes `count` seqs from the one-row counter; answers the last. The UPDATE locks that row until
 * commit, so on PostgreSQL seqs become visible in commit order (DESIGN §1, invariant 6).
 */
export async function takeSeqs(trx: Trx, count: number): Promise<number> {
  const text = isPostgres(trx)
    ? 'update sync_counter set seq = seq + $1 where id = 1 returning seq'
    : 'update sync_counter set seq = seq + ? where id = 1 returning seq'
  const { rows } = await trx.executeQuery<{ seq: number }>(CompiledQuery.raw(text, [count]))
  if (!rows[0])
    throw new Error('sync_counter has no row 1')
  return Number(rows[0].seq)
}

export interface StoredOpRow {
  op_id: string
  member_id: string
  payload_hash: string
  result: string
}

/** The recorded answers among `opIds`, in one query. */
export async function findSyncOps(trx: Trx, opIds: readonly string[]): Promise<StoredOpRow[]> {
  if (opIds.length === 0)
    return []
  const postgres = isPostgres(trx)
  const text = `select op_id, member_id, payload_hash, result from sync_op where ${oneOf(postgres, 'op_id')}`
  return (await trx.executeQuery<StoredOpRow>(CompiledQuery.raw(text, [oneOfValues(postgres, opIds)]))).rows
}

const SAVEPOINT = {
  open: CompiledQuery.raw('savepoint xf_op'),
  release: CompiledQuery.raw('release savepoint xf_op'),
  /** PostgreSQL takes two statements without parameters in one round trip. */
  next: CompiledQuery.raw('release savepoint xf_op; savepoint xf_op'),
  rollback: CompiledQuery.raw('rollback to savepoint xf_op'),
}

/** The savepoint each op (or each run of ops a handler takes at once) runs in. */
export async function savepoint(trx: Trx, step: keyof typeof SAVEPOINT): Promise<void> {
  await trx.executeQuery(SAVEPOINT[step])
}
