import type { Insertable, Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { ChangeLogTable, SyncOpTable } from '../db/sync.table'
import { CompiledQuery, PostgresAdapter } from 'kysely'

/*
 * The hot statements of push (issue 17 point 2), written as SQL text instead of through Kysely's
 * builder: building and compiling a 500-row insert cost more CPU than SQLite took to run it. Each
 * text depends only on the dialect and the row count, so it is made once and kept; SQLite's
 * statement cache (db/database.ts) then finds it prepared. Values always go as parameters.
 */

type Trx = Transaction<Database>
export type SyncOpRow = Insertable<SyncOpTable>
export type ChangeLogRow = Omit<Insertable<ChangeLogTable>, 'scope'> & { seq: number }

const SYNC_OP_COLUMNS = ['op_id', 'device_id', 'seq', 'member_id', 'type', 'payload_hash', 'status', 'result', 'received_at'] as const
const CHANGE_LOG_COLUMNS = ['seq', 'entity', 'entity_id', 'branch_id', 'member_id', 'group_id', 'op', 'data', 'created_at'] as const

/** Rows per multi-row INSERT: 9 columns × 500 stays far below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits. */
export const ROWS_PER_INSERT = 500

export function isPostgres(trx: Trx): boolean {
  return trx.getExecutor().adapter instanceof PostgresAdapter
}

/** Texts kept: a batch's row counts vary, and a 500-row text is some 20 KB; the oldest goes first. */
const TEXTS_KEPT = 64
const texts = new Map<string, string>()

/** `insert into TABLE (cols) values (…), (…) TAIL` for `rows` rows, in the dialect's placeholders. */
function insertText(postgres: boolean, table: string, columns: readonly string[], rows: number, tail: string): string {
  const key = `${postgres ? 'pg' : 'lite'}:${table}:${rows}`
  let text = texts.get(key)
  if (!text) {
    const tuples: string[] = []
    let n = 0
    for (let r = 0; r < rows; r++)
      tuples.push(`(${columns.map(() => postgres ? `$${++n}` : '?').join(', ')})`)
    text = `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}${tail}`
    texts.set(key, text)
    if (texts.size > TEXTS_KEPT)
      texts.delete(texts.keys().next().value!)
  }
  return text
}

/** The rows' values column by column, in `columns` order; a missing value is null. */
function parameters<R extends object>(rows: readonly R[], columns: readonly (keyof R)[]): unknown[] {
  const out: unknown[] = []
  for (const row of rows) {
    for (const column of columns)
      out.push(row[column] ?? null)
  }
  return out
}

/**
 * Inserts sync_op rows, skipping op ids already there; answers how many went in (fewer than given
 * means another request recorded one of these op ids meanwhile).
 */
export async function insertSyncOps(trx: Trx, rows: readonly SyncOpRow[]): Promise<number> {
  const postgres = isPostgres(trx)
  let inserted = 0
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT)
    const text = insertText(postgres, 'sync_op', SYNC_OP_COLUMNS, chunk.length, ' on conflict (op_id) do nothing')
    const result = await trx.executeQuery(CompiledQuery.raw(text, parameters(chunk, SYNC_OP_COLUMNS)))
    inserted += Number(result.numAffectedRows ?? 0)
  }
  return inserted
}

/** Appends change-log rows that already carry their seqs. */
export async function insertChangeLog(trx: Trx, rows: readonly ChangeLogRow[]): Promise<void> {
  const postgres = isPostgres(trx)
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT)
    await trx.executeQuery(CompiledQuery.raw(insertText(postgres, 'change_log', CHANGE_LOG_COLUMNS, chunk.length, ''), parameters(chunk, CHANGE_LOG_COLUMNS)))
  }
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
  return trx.selectFrom('sync_op').select(['op_id', 'member_id', 'payload_hash', 'result']).where('op_id', 'in', opIds).execute()
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
