import type { Kysely } from 'kysely'
import type { DbHandle } from '../db/database'
import type { BackupHeader, BackupTable } from './format'
import type { TableInfo } from './schema'
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { sql } from 'kysely'
import { BACKUP_FORMAT, BACKUP_VERSION, BackupError, encodeValue } from './format'
import { appliedMigration, readSchema } from './schema'

/** Rows read per query; fewer for tables with binary columns, so a page of photos stays a few MB. */
const PAGE_ROWS = 500
const PAGE_ROWS_BINARY = 8

export interface BackupSummary {
  file: string
  header: BackupHeader
  bytes: number
}

/** backups/xianfeng-2026-12-02T16-55-00Z.jsonl.gz: sorts by time, and no characters a shell or Windows minds. */
export function defaultBackupPath(dir = 'backups', now = new Date()): string {
  return resolve(dir, `xianfeng-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z.jsonl.gz`)
}

/** A FILE argument: a file name, or a directory (existing, or ending in /) to put the default name in. */
export function backupPathFor(arg: string | undefined): string {
  if (!arg)
    return defaultBackupPath()
  if (arg.endsWith('/') || (existsSync(arg) && statSync(arg).isDirectory()))
    return defaultBackupPath(arg)
  return resolve(arg)
}

/**
 * Writes every table to `file` from one consistent snapshot while the server keeps running:
 * a read transaction (SQLite in WAL mode lets writers go on beside it; PostgreSQL's repeatable
 * read gives every query the same moment). Rows are streamed page by page, so photos never sit
 * in memory all at once. The file appears under its name only once complete, readable by its
 * owner alone: it holds password hashes, phone numbers and photos.
 * Give it a handle of its own, as the script does: a SQLite handle is one connection, and the
 * transaction keeps it until the file is written.
 */
export async function writeBackup(handle: DbHandle, file: string): Promise<BackupSummary> {
  // Tables are read by the names the database gives, not the typed Database interface.
  const db = handle.db as unknown as Kysely<any>
  const kind = handle.kind
  await mkdir(dirname(file), { recursive: true })
  const partial = `${file}.partial`
  let header: BackupHeader | undefined
  const builder = kind === 'postgres' ? db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only') : db.transaction()
  try {
    await builder.execute(async (trx) => {
      const schema = await readSchema(trx, kind)
      const migration = await appliedMigration(trx, kind)
      if (!migration)
        throw new BackupError('The database has never been migrated: there is nothing to back up.')
      const tables: BackupTable[] = []
      for (const table of schema) {
        const { n } = await trx.selectFrom(table.name).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
        tables.push({ name: table.name, columns: table.columns, rows: Number(n) })
      }
      header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, migration, createdAt: new Date().toISOString(), source: kind, tables }
      await pipeline(lines(trx, schema, header), createGzip(), createWriteStream(partial, { mode: 0o600 }))
    })
  }
  catch (err) {
    await rm(partial, { force: true })
    throw err
  }
  await rename(partial, file)
  return { file, header: header!, bytes: (await stat(file)).size }
}

async function* lines(trx: Kysely<any>, schema: TableInfo[], header: BackupHeader): AsyncGenerator<string> {
  yield `${JSON.stringify(header)}\n`
  for (const [i, table] of schema.entries()) {
    let written = 0
    for await (const page of pages(trx, table)) {
      yield page.map(row => `${JSON.stringify({ t: table.name, r: table.columns.map(c => encodeValue(row[c.name], c.type)) })}\n`).join('')
      written += page.length
    }
    // Inside one snapshot the count cannot change; if it did, the file would not be one moment.
    if (written !== header.tables[i]!.rows)
      throw new BackupError(`${table.name} changed during the backup (${header.tables[i]!.rows} rows counted, ${written} read).`)
  }
}

/** A table in primary-key order, a page at a time, each page starting after the last key read. */
async function* pages(trx: Kysely<any>, table: TableInfo): AsyncGenerator<Record<string, unknown>[]> {
  if (table.primaryKey.length === 0)
    throw new BackupError(`${table.name} has no primary key, so it cannot be read in a stable order.`)
  const limit = table.columns.some(c => c.type === 'blob') ? PAGE_ROWS_BINARY : PAGE_ROWS
  const key = sql.join(table.primaryKey.map(c => sql.ref(c)))
  let after: unknown[] | null = null
  while (true) {
    let query = trx.selectFrom(table.name).select(table.columns.map(c => c.name)).limit(limit)
    for (const column of table.primaryKey)
      query = query.orderBy(column)
    if (after)
      query = query.where(sql<boolean>`(${key}) > (${sql.join(after)})`)
    const rows = await query.execute() as Record<string, unknown>[]
    if (rows.length > 0)
      yield rows
    if (rows.length < limit)
      return
    const last = rows.at(-1)!
    after = table.primaryKey.map(c => last[c])
  }
}
