import type { Kysely } from 'kysely'
import type { DbKind } from '../db/database'
import type { ColumnType } from './format'
import { sql } from 'kysely'
import { BackupError } from './format'

/** A database or a transaction on it: the schema is read in the backup's own snapshot. */
type Conn = Kysely<any>

export interface TableInfo {
  name: string
  columns: { name: string, type: ColumnType }[]
  primaryKey: string[]
  /** Tables this one has foreign keys to. */
  references: string[]
}

/**
 * Tables the database fills itself from others, by triggers: not backed up, like generated columns.
 * Restoring the rows they derive from refills them; restoring them as well would count twice.
 */
export const DERIVED_TABLES: readonly string[] = ['point_total']

/**
 * Every table of the app as the database itself describes it, parents before children (ties by
 * name), so a backup never misses a table a migration added and a restore inserts in an order
 * the foreign keys accept. Kysely's own migration tables are left out: restore migrates instead.
 * So are DERIVED_TABLES.
 */
export async function readSchema(conn: Conn, kind: DbKind): Promise<TableInfo[]> {
  const tables = kind === 'sqlite' ? await sqliteTables(conn) : await postgresTables(conn)
  return dependencyOrder(tables.filter(t => !t.name.startsWith('kysely_') && !DERIVED_TABLES.includes(t.name)))
}

async function sqliteTables(conn: Conn): Promise<TableInfo[]> {
  const names = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite%'`.execute(conn)
  const tables: TableInfo[] = []
  for (const { name } of names.rows) {
    const columns = await sql<{ name: string, type: string, pk: number }>`select name, type, pk from pragma_table_info(${name}) order by cid`.execute(conn)
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(conn)
    tables.push({
      name,
      columns: columns.rows.map(c => ({ name: c.name, type: portableType(name, c.name, c.type) })),
      primaryKey: columns.rows.filter(c => c.pk > 0).sort((a, b) => a.pk - b.pk).map(c => c.name),
      references: fks.rows.map(f => f.table),
    })
  }
  return tables
}

async function postgresTables(conn: Conn): Promise<TableInfo[]> {
  const names = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(conn)
  // Generated columns (change_log.scope) are the database's to fill: not backed up, as SQLite's table_info leaves them out too.
  const columns = await sql<{ table: string, name: string, type: string }>`
    select table_name as table, column_name as name, data_type as type from information_schema.columns
    where table_schema = current_schema() and is_generated = 'NEVER' order by table_name, ordinal_position`.execute(conn)
  const keys = await sql<{ table: string, name: string }>`
    select kcu.table_name as table, kcu.column_name as name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
    order by kcu.table_name, kcu.ordinal_position`.execute(conn)
  const fks = await sql<{ table: string, ref: string }>`
    select c.relname as table, r.relname as ref from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(conn)
  return names.rows.map(({ name }) => ({
    name,
    columns: columns.rows.filter(c => c.table === name).map(c => ({ name: c.name, type: portableType(name, c.name, c.type) })),
    primaryKey: keys.rows.filter(k => k.table === name).map(k => k.name),
    references: fks.rows.filter(f => f.table === name).map(f => f.ref),
  }))
}

/** The portable type of a column from its declared type on either database. */
function portableType(table: string, column: string, declared: string): ColumnType {
  const t = declared.toLowerCase()
  if (t.includes('bool'))
    return 'boolean'
  if (t.includes('int'))
    return 'integer'
  if (/real|floa|doub|numeric|decimal/.test(t))
    return 'real'
  if (t.includes('timestamp') || t === 'date')
    return 'timestamp'
  if (t === 'blob' || t === 'bytea')
    return 'blob'
  if (/text|char|clob|json|uuid/.test(t))
    return 'text'
  throw new BackupError(`${table}.${column} has the type ${declared}, which backups do not handle yet.`)
}

function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const pending = new Map(tables.map(t => [t.name, t]))
  const ordered: TableInfo[] = []
  while (pending.size > 0) {
    const ready = [...pending.values()]
      .filter(t => t.references.every(r => r === t.name || !pending.has(r)))
      .sort((a, b) => a.name.localeCompare(b.name))
    if (ready.length === 0)
      throw new BackupError(`The foreign keys of ${[...pending.keys()].join(', ')} form a cycle: no insert order satisfies them.`)
    for (const t of ready) {
      ordered.push(t)
      pending.delete(t.name)
    }
  }
  return ordered
}

/** The last migration applied, or null on a database never migrated. */
export async function appliedMigration(conn: Conn, kind: DbKind): Promise<string | null> {
  const exists = kind === 'sqlite'
    ? await sql`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(conn)
    : await sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`.execute(conn)
  if (exists.rows.length === 0)
    return null
  const last = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(conn)
  return last.rows[0]?.name ?? null
}

/**
 * Rows a fresh server writes before anyone sets it up: the one-time setup token, shared server
 * state, rate-limit windows and the change counter at 0. A database holding only these is empty.
 */
const BEFORE_SETUP = new Set(['setup_token', 'server_state', 'rate_limit'])

/** The tables holding data, i.e. why a restore into this database would overwrite something. */
export async function tablesWithData(conn: Conn, tables: TableInfo[]): Promise<string[]> {
  const found: string[] = []
  for (const { name } of tables) {
    if (BEFORE_SETUP.has(name))
      continue
    const query = conn.selectFrom(name).select(sql.lit(1).as('one')).limit(1)
    const row = await (name === 'sync_counter' ? query.where('seq', '<>', 0) : query).executeTakeFirst()
    if (row)
      found.push(name)
  }
  return found
}
