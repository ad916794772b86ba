import type { Transaction } from 'kysely'
import type { Database } from './database'
import { CompiledQuery, PostgresAdapter } from 'kysely'

/*
 * Multi-row INSERTs for the hot paths of push (issue 17 point 2), written as SQL text instead of
 * through Kysely's builder: building and compiling a 500-row insert cost more CPU than SQLite took
 * to run it. Each text depends only on the dialect, the table, its columns and the row count, so
 * it is made once and kept; SQLite's statement cache (db/database.ts) then finds it prepared.
 * Values always go as parameters. The callers are repositories; this holds no table's SQL itself.
 */

type Trx = Transaction<Database>

/** Rows per VALUES list at most: a batch's 500 ops go in one statement each. */
export const ROWS_PER_INSERT = 500
/** Parameters per statement at most: SQLite's limit (32,766) is below PostgreSQL's (65,535). */
const PARAMETERS_PER_INSERT = 32_766

export function isPostgres(trx: Trx): boolean {
  return trx.getExecutor().adapter instanceof PostgresAdapter
}

/**
 * `column` is one of the values of one parameter (pass `oneOfValues(…)` for it): `= any($n::text[])`
 * on PostgreSQL, `in (select value from json_each(?))` on SQLite. Both use the column's index like
 * an IN list, but the text is the same for any number of values (prepared once) and the builder
 * never walks a 500-item list.
 */
export function oneOf(postgres: boolean, column: string, n = 1): string {
  return postgres ? `${column} = any($${n}::text[])` : `${column} in (select value from json_each(?))`
}

/** The parameter of oneOf: an array for PostgreSQL, JSON text for SQLite's json_each. */
export function oneOfValues(postgres: boolean, values: readonly string[]): unknown {
  return postgres ? values : JSON.stringify(values)
}

/** Texts kept: a batch's row counts vary, and a 500-row text is some 20 KB; the oldest goes first. */
const TEXTS_KEPT = 128
const texts = new Map<string, string>()

/** `insert into TABLE (cols) values (…), (…) TAIL` for `rows` rows, in the dialect's placeholders. */
function insertText(postgres: boolean, table: string, columns: readonly string[], rows: number, tail: string): string {
  const key = `${postgres ? 'pg' : 'lite'}:${table}:${columns.join(',')}:${rows}:${tail}`
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

/** A column's type as PostgreSQL's unnest needs it spelled (SQLite takes any value anywhere). */
export type ColumnType = 'text' | 'integer'
/** The columns an insert writes, in order, with their types. */
export type Columns<R> = { readonly [K in keyof R & string]?: ColumnType }

/**
 * PostgreSQL: `insert into TABLE (cols) select * from unnest($1::type[], …) TAIL`, one array
 * parameter per column whatever the row count. PostgreSQL parses and plans a 500-row VALUES list
 * of 14,000 parameters at every call; this text is a few hundred bytes and planned in no time.
 */
function unnestText(table: string, columns: Columns<any>, tail: string): string {
  const key = `pg-unnest:${table}:${Object.keys(columns).join(',')}:${tail}`
  let text = texts.get(key)
  if (!text) {
    const names = Object.keys(columns)
    text = `insert into ${table} (${names.join(', ')}) select * from unnest(${names.map((name, i) => `$${i + 1}::${columns[name]}[]`).join(', ')})${tail}`
    texts.set(key, text)
    if (texts.size > TEXTS_KEPT)
      texts.delete(texts.keys().next().value!)
  }
  return text
}

/** The rows' values column by column, in `columns` order; a missing value is null. */
function parameters<R extends object>(rows: readonly R[], columns: readonly (keyof R & string)[]): unknown[] {
  const out: unknown[] = []
  for (const row of rows) {
    for (const column of columns)
      out.push(row[column] ?? null)
  }
  return out
}

export interface InsertOptions {
  /** Follows the rows: an ON CONFLICT clause. */
  tail?: string
  /**
   * PostgreSQL: send each column as one array (unnest) instead of a VALUES list. PostgreSQL then
   * parses and plans a few hundred bytes instead of a 500-row list of up to 14,000 parameters at
   * every call: a third less of its CPU for point_entry's 28 columns. Not for columns of long
   * JSON text (change_log.data, sync_op.result): escaping them into an array literal cost Node
   * more than PostgreSQL saved.
   */
  unnest?: boolean
}

/**
 * Inserts `rows` into `table` as multi-row VALUES, in as few statements as SQLite's parameter
 * limit allows (or through unnest on PostgreSQL, see InsertOptions). Answers how many rows went in.
 */
export async function insertRows<R extends object>(trx: Trx, table: keyof Database & string, columns: Columns<R>, rows: readonly R[], options: InsertOptions = {}): Promise<number> {
  if (rows.length === 0)
    return 0
  const names = Object.keys(columns) as (keyof R & string)[]
  const tail = options.tail ?? ''
  const postgres = isPostgres(trx)
  if (postgres && options.unnest) {
    const values = names.map(name => rows.map(row => row[name] ?? null))
    const result = await trx.executeQuery(CompiledQuery.raw(unnestText(table, columns, tail), values))
    return Number(result.numAffectedRows ?? 0)
  }
  const perInsert = Math.min(ROWS_PER_INSERT, Math.floor(PARAMETERS_PER_INSERT / names.length))
  let inserted = 0
  for (let i = 0; i < rows.length; i += perInsert) {
    const chunk = rows.slice(i, i + perInsert)
    const result = await trx.executeQuery(CompiledQuery.raw(insertText(postgres, table, names, chunk.length, tail), parameters(chunk, names)))
    inserted += Number(result.numAffectedRows ?? 0)
  }
  return inserted
}
