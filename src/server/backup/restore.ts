import type { Kysely } from 'kysely'
import type { DbHandle } from '../db/database'
import type { BackupHeader, BackupTable } from './format'
import type { TableInfo } from './schema'
import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import { Migrator, sql } from 'kysely'
import { openDatabase } from '../db/database'
import { migrateToLatest } from '../db/migrate'
import { migrations } from '../db/migrations'
import { BackupError, checkRow, compatible, decodeValue, parseHeader, parseRowLine } from './format'
import { readSchema, tablesWithData } from './schema'

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits, a few MB of photos at most. */
const BATCH_ROWS = 200
const BATCH_BYTES = 4_000_000
const MAX_PARAMS = 30_000

export interface RestoreSummary {
  header: BackupHeader
  rows: number
  /** Migrations applied after the rows were loaded (a backup from an older version). */
  migrated: string[]
}

/**
 * Loads a backup into an empty database, SQLite or PostgreSQL whichever made it. The whole file is
 * checked first (its rows, and its tables against its schema built in a scratch database), so a
 * damaged or foreign file is refused before anything changes. The database is then migrated to the
 * backup's schema, loaded in one transaction (parents before children), and migrated on to the
 * latest schema this code knows.
 */
export async function restoreBackup(handle: DbHandle, file: string): Promise<RestoreSummary> {
  // Tables are written by the names the database gives, not the typed Database interface.
  const db = handle.db as unknown as Kysely<any>
  const kind = handle.kind
  const header = await checkFile(file)
  const known = Object.keys(migrations).sort()
  if (!known.includes(header.migration)) {
    throw new BackupError(header.migration > known.at(-1)!
      ? `This backup was made by a newer version of 先锋 (schema ${header.migration}; this one knows up to ${known.at(-1)}). Update 先锋, then restore.`
      : `This backup's schema ${header.migration} is unknown to this version of 先锋.`)
  }

  // The rows must fit that schema: check on a scratch in-memory database, before this one changes.
  const scratch = openDatabase('sqlite::memory:')
  try {
    await migrateTo(scratch.db as unknown as Kysely<any>, header.migration)
    matchSchema(header, await readSchema(scratch.db, 'sqlite'))
  }
  finally {
    await scratch.db.destroy()
  }

  const busy = await tablesWithData(db, await readSchema(db, kind))
  if (busy.length > 0)
    throw new BackupError(`The database already holds data (${busy.join(', ')}). Restore only fills an empty database: create a new one (or move the SQLite file away), point DATABASE_URL at it and run restore again.`)

  await migrateTo(db, header.migration)
  const target = await readSchema(db, kind)
  matchSchema(header, target)

  let rows = 0
  await db.transaction().execute(async (trx) => {
    // Only rows a fresh server writes before setup are here (tablesWithData); the backup's replace them.
    for (const table of [...target].reverse())
      await trx.deleteFrom(table.name).execute()
    const byName = new Map(target.map(t => [t.name, t]))
    let batch = null as { table: BackupTable, rows: unknown[][], bytes: number } | null
    const flush = async () => {
      if (batch && batch.rows.length > 0)
        await insert(trx, batch.table, byName.get(batch.table.name)!, batch.rows)
      batch = null
    }
    for await (const row of readRows(file)) {
      if (batch?.table !== row.table || batch.rows.length >= Math.min(BATCH_ROWS, Math.floor(MAX_PARAMS / row.table.columns.length)) || batch.bytes >= BATCH_BYTES) {
        await flush()
        batch = { table: row.table, rows: [], bytes: 0 }
      }
      batch!.rows.push(row.values)
      batch!.bytes += row.size
      rows++
    }
    await flush()
    if (kind === 'postgres')
      await resetSequences(trx)
  })
  return { header, rows, migrated: await migrateToLatest(handle.db) }
}

async function migrateTo(db: Kysely<any>, migration: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(migration)
  if (error)
    throw new Error(`migrating the empty database to ${migration} failed: ${error instanceof Error ? error.message : String(error)}`)
}

/** Reads the whole file once: header, every row's shape and each table's row count. */
async function checkFile(file: string): Promise<BackupHeader> {
  let header: BackupHeader | undefined
  const counts = new Map<string, number>()
  for await (const row of readRows(file, h => (header = h))) {
    counts.set(row.table.name, (counts.get(row.table.name) ?? 0) + 1)
  }
  if (!header)
    throw new BackupError(`${file} is empty: not a 先锋 backup.`)
  for (const table of header.tables) {
    if ((counts.get(table.name) ?? 0) !== table.rows)
      throw new BackupError(`Damaged backup: the header counts ${table.rows} rows of ${table.name}, the file holds ${counts.get(table.name) ?? 0}. Was it cut short?`)
  }
  return header
}

/** The backup must have exactly the tables and columns the migrated database has, in an order its foreign keys accept. */
function matchSchema(header: BackupHeader, target: TableInfo[]): void {
  const names = (tables: { name: string }[]) => tables.map(t => t.name).sort().join(', ')
  if (names(header.tables) !== names(target))
    throw new BackupError(`This backup's tables (${names(header.tables)}) are not those of schema ${header.migration} (${names(target)}).`)
  const seen = new Set<string>()
  for (const table of header.tables) {
    const into = target.find(t => t.name === table.name)!
    for (const column of table.columns) {
      const to = into.columns.find(c => c.name === column.name)
      if (!to || !compatible(column.type, to.type))
        throw new BackupError(`This backup's column ${table.name}.${column.name} (${column.type}) does not fit schema ${header.migration}.`)
    }
    if (into.columns.length !== table.columns.length)
      throw new BackupError(`This backup's table ${table.name} lacks columns of schema ${header.migration}.`)
    const parent = into.references.find(r => r !== table.name && !seen.has(r))
    if (parent)
      throw new BackupError(`This backup lists ${table.name} before ${parent}, which it references.`)
    seen.add(table.name)
  }
}

async function insert(trx: Kysely<any>, table: BackupTable, into: TableInfo, rows: unknown[][]): Promise<void> {
  const types = new Map(into.columns.map(c => [c.name, c.type]))
  const values = rows.map(row => Object.fromEntries(table.columns.map((c, i) => [c.name, decodeValue(row[i], c.type, types.get(c.name)!)])))
  await trx.insertInto(table.name).values(values).execute()
}

/** Serial and identity columns continue after the restored rows (none today: ids are UUIDs, seqs come from sync_counter). */
async function resetSequences(trx: Kysely<any>): Promise<void> {
  const serials = await sql<{ table: string, column: string }>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = current_schema() and (column_default like 'nextval(%' or is_identity = 'YES')`.execute(trx)
  for (const { table, column } of serials.rows)
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx)
}

interface FileRow { table: BackupTable, values: unknown[], size: number }

/** The rows of a backup file, each checked against the header; tables must come in the header's order. */
async function* readRows(file: string, onHeader?: (header: BackupHeader) => void): AsyncGenerator<FileRow> {
  let header: BackupHeader | undefined
  let tableIndex = 0
  let lineNo = 0
  for await (const line of linesOf(file)) {
    lineNo++
    if (!header) {
      header = parseHeader(line)
      onHeader?.(header)
      continue
    }
    const row = parseRowLine(line, lineNo)
    if (row.t !== header.tables[tableIndex]?.name) {
      // Rows of the next table start (tables with no rows have no lines); never an earlier one.
      const next = header.tables.findIndex((t, i) => i > tableIndex && t.name === row.t)
      if (next < 0)
        throw new BackupError(`Damaged backup: line ${lineNo} is a row of ${row.t}, out of the header's order or not in it.`)
      tableIndex = next
    }
    const table = header.tables[tableIndex]!
    checkRow(row, lineNo, table)
    yield { table, values: row.r, size: line.length }
  }
}

/** Text lines of a gzip file; a missing file or broken gzip is a BackupError. */
async function* linesOf(file: string): AsyncGenerator<string> {
  try {
    await access(file)
  }
  catch {
    throw new BackupError(`No backup file at ${file}.`)
  }
  const gunzip = createGunzip({ chunkSize: 256 * 1024 })
  const source = createReadStream(file, { highWaterMark: 256 * 1024 }).on('error', err => gunzip.destroy(err))
  source.pipe(gunzip).setEncoding('utf8')
  // A photo's line spans many chunks: collect its pieces and join once, rather than re-scanning a growing string.
  let pieces: string[] = []
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      let start = 0
      for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
        pieces.push(chunk.slice(start, end))
        yield pieces.join('')
        pieces = []
        start = end + 1
      }
      if (start < chunk.length)
        pieces.push(chunk.slice(start))
    }
  }
  catch (err) {
    if (err instanceof BackupError)
      throw err
    throw new BackupError(`Damaged backup: ${file} is not a complete gzip file (${err instanceof Error ? err.message : String(err)}).`)
  }
  finally {
    source.destroy()
  }
  if (pieces.length > 0)
    yield pieces.join('')
}
