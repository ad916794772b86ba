/*
 * The backup file: gzipped JSON lines, readable on any database this server runs on.
 *
 *   line 1     the header: format, version, the last migration applied, when, from which database,
 *              and every table with its columns (name and portable type) and row count
 *   then       one line per row, {"t": table, "r": [values in the header's column order]},
 *              tables in the header's order (parents before the rows that reference them),
 *              rows in primary-key order
 *
 * Values are JSON: integer and real as numbers, text as strings, boolean as true/false,
 * timestamp as an ISO-8601 string, blob as base64, null as null.
 */

export const BACKUP_FORMAT = 'xianfeng-backup'
export const BACKUP_VERSION = 1

/** Portable column types: what a value is, whatever the database called its column. */
export const COLUMN_TYPES = ['integer', 'real', 'text', 'boolean', 'timestamp', 'blob'] as const
export type ColumnType = typeof COLUMN_TYPES[number]

export interface BackupColumn { name: string, type: ColumnType }
export interface BackupTable { name: string, columns: BackupColumn[], rows: number }

export interface BackupHeader {
  format: typeof BACKUP_FORMAT
  version: number
  /** The last migration applied to the database backed up: its schema is the one the rows fit. */
  migration: string
  createdAt: string
  /** sqlite or postgres: informative only, restore works into either. */
  source: string
  tables: BackupTable[]
}

export interface RowLine { t: string, r: unknown[] }

/** What restore and backup report for a file it cannot use; the scripts print the message alone. */
export class BackupError extends Error {}

/** A value read from the database, as it is written to the file. */
export function encodeValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined)
    return null
  switch (type) {
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64')
    case 'boolean':
      return Boolean(value)
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : String(value)
    case 'integer':
    case 'real':
      return Number(value)
    case 'text':
      return typeof value === 'string' ? value : JSON.stringify(value)
  }
}

/** Whether a value from the file fits its declared type (before it goes near a database). */
export function validValue(value: unknown, type: ColumnType): boolean {
  if (value === null)
    return true
  switch (type) {
    case 'integer':
      return Number.isSafeInteger(value)
    case 'real':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'blob':
      return typeof value === 'string' && /^[A-Z0-9+/]*={0,2}$/i.test(value) && value.length % 4 === 0
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
    case 'text':
      return typeof value === 'string'
  }
}

/**
 * A value from the file as the target column takes it. The file's type and the target's may differ
 * across databases (a PostgreSQL boolean restored into SQLite's integer 0/1, a timestamp into text).
 */
export function decodeValue(value: unknown, from: ColumnType, to: ColumnType): unknown {
  if (value === null)
    return null
  if (from === 'blob')
    return Buffer.from(value as string, 'base64')
  if (from === 'boolean' && to === 'integer')
    return value ? 1 : 0
  if (from === 'integer' && to === 'boolean')
    return value !== 0
  return value
}

/** Which file types a target column accepts. */
export function compatible(from: ColumnType, to: ColumnType): boolean {
  if (from === to)
    return true
  const pairs = ['integer>real', 'integer>boolean', 'boolean>integer', 'timestamp>text', 'text>timestamp']
  return pairs.includes(`${from}>${to}`)
}

export function parseHeader(line: string | undefined): BackupHeader {
  let header: unknown
  try {
    header = JSON.parse(line ?? '')
  }
  catch {
    throw new BackupError('Not a 先锋 backup: the first line is not a JSON header.')
  }
  const h = header as Partial<BackupHeader> | null
  if (!h || typeof h !== 'object' || h.format !== BACKUP_FORMAT)
    throw new BackupError('Not a 先锋 backup: the header does not name the xianfeng-backup format.')
  if (typeof h.version !== 'number' || h.version > BACKUP_VERSION)
    throw new BackupError(`This backup uses format version ${String(h.version)}; this version of 先锋 reads version ${BACKUP_VERSION}. Restore it with the version that made it, or a newer one.`)
  if (typeof h.migration !== 'string' || typeof h.createdAt !== 'string' || !Array.isArray(h.tables))
    throw new BackupError('Damaged backup: the header lacks its migration, time or tables.')
  const names = new Set<string>()
  for (const table of h.tables) {
    const ok = table && typeof table.name === 'string' && /^\w+$/.test(table.name) && !names.has(table.name)
      && Number.isSafeInteger(table.rows) && table.rows >= 0 && Array.isArray(table.columns) && table.columns.length > 0
      && table.columns.every(c => c && typeof c.name === 'string' && /^\w+$/.test(c.name) && COLUMN_TYPES.includes(c.type))
    if (!ok)
      throw new BackupError(`Damaged backup: the header's table ${JSON.stringify(table?.name ?? table)} is malformed.`)
    names.add(table.name)
  }
  return h as BackupHeader
}

/** One row line: which table, and its values (checked against the table with checkRow). */
export function parseRowLine(line: string, lineNo: number): RowLine {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  }
  catch {
    throw new BackupError(`Damaged backup: line ${lineNo} is not JSON.`)
  }
  const row = parsed as Partial<RowLine> | null
  if (!row || typeof row.t !== 'string' || !Array.isArray(row.r))
    throw new BackupError(`Damaged backup: line ${lineNo} is not a row.`)
  return row as RowLine
}

export function checkRow(row: RowLine, lineNo: number, table: BackupTable): void {
  if (row.r.length !== table.columns.length)
    throw new BackupError(`Damaged backup: line ${lineNo} has ${row.r.length} values, ${table.name} has ${table.columns.length} columns.`)
  table.columns.forEach((column, i) => {
    if (!validValue(row.r[i], column.type))
      throw new BackupError(`Damaged backup: line ${lineNo}, ${table.name}.${column.name} is not a valid ${column.type}.`)
  })
}
