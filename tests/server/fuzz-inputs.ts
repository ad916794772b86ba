import type { DbHandle } from '#server/db/database'
import { createHash } from 'node:crypto'
import { LIMITS } from '#shared/constants'
import { sql } from 'kysely'

/* Bad inputs for the route fuzz (fuzz-routes.test.ts), derived from each route's own schema and
   a valid request of the authorization matrix; deterministic (seeded), bounded per route. */

/** mulberry32: the same cases on every run and both databases. */
export function seeded(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** At most `n` of `items`, the same ones for the same seed. */
export function sample<T>(items: T[], n: number, random: () => number): T[] {
  const pool = [...items]
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, n)
}

/** Text no field should store, or that tests how far the server trusts "a string". */
export const ODD_STRINGS = [
  'a\u0000b', // NUL: PostgreSQL refuses it in text
  '\u0000',
  'tab\tand\nnewline\r',
  '\u0007\u001B[31m\u007F',
  'lone \uD800 surrogate',
  'lone \uDFFF low',
  '\uFFFF\uFFFE',
  '\u202Eevil\u202C', // right-to-left override
  '😀👨‍👩‍👧 emoji',
  '',
  '   ',
  'x'.repeat(70_000),
  '../../etc/passwd',
  '\' or 1=1 --',
]
export const ODD_NUMBERS = [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1, 0, 1.5, -0.0001]
export const WRONG_TYPES = [null, true, '1', 1, [], {}, [null], { $gt: '' }]
/** Path segments a router and an id column must survive. */
export const ODD_SEGMENTS = ['not-a-uuid', '..', '%2e%2e', '%00', 'a%00b', '%E0%A4%A', 'x'.repeat(3000), '00000000-0000-0000-0000-000000000000', '-1', '99999999999', '1e400', '%F0%9F%98%80', 'NULL', '%27%20or%201%3D1--']
/** Session cookies nobody was given: the anonymous requests carry these in turn. */
export const ODD_COOKIES = [undefined, 'xf_session=%00', `xf_session=${'x'.repeat(4000)}`, 'xf_session=%E0%A4%A', 'xf_session=a; xf_session=b']
/** Query values, already URL-encoded. */
export const ODD_QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', '-1', '99999999999999999999', '1e400', 'NaN', 'x'.repeat(5000), '%E2%80%AE', '']

type Schema = Record<string, any>
/** `always`: sent whatever the sample (a NUL in each text field, the bug this fuzz was written for). */
export interface Mutation { what: string, apply: (body: any) => any, always?: boolean }

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v)
}
function setAt(obj: any, path: (string | number)[], value: unknown, remove = false) {
  const copy = clone(obj)
  let at = copy
  for (const key of path.slice(0, -1)) at = at[key]
  const last = path.at(-1)!
  if (remove)
    delete at[last]
  else at[last] = value
  return copy
}

function kinds(schema: Schema): Set<string> {
  const out = new Set<string>()
  for (const s of schema.anyOf ?? schema.oneOf ?? [schema]) {
    if (s.type)
      out.add(s.format === 'uuid' ? 'uuid' : s.type)
    else if (s.enum || s.const !== undefined)
      out.add('enum')
  }
  return out
}

function objectSchema(schema: Schema): Schema | undefined {
  return (schema.anyOf ?? [schema]).find((s: Schema) => s.type === 'object' && s.properties)
}

/**
 * Every field of a body, as far as the schema names it (into arrays through their first item):
 * replaced by odd text, odd numbers, wrong types, other records' ids, or left out; plus unknown
 * and prototype-polluting keys at each object.
 */
export function bodyMutations(schema: Schema | undefined, base: any, otherIds: string[]): Mutation[] {
  const out: Mutation[] = []
  const walk = (s: Schema, value: any, path: (string | number)[]) => {
    const obj = objectSchema(s)
    if (obj && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of ['__proto__', 'constructor', 'prototype', 'isAdmin'])
        out.push({ what: `${path.join('.')}+${key}`, apply: b => (path.length ? setAt(b, path, { ...JSON.parse(JSON.stringify(value)), [key]: { polluted: true } }) : JSON.parse(`{"${key}": {"polluted": true}, ${JSON.stringify(b).slice(1)}`)) })
      for (const [key, child] of Object.entries<Schema>(obj.properties)) {
        if (key in value)
          out.push({ what: `-${[...path, key].join('.')}`, apply: b => setAt(b, [...path, key], undefined, true) })
        walk(child, value[key], [...path, key])
      }
      return
    }
    const arr = (s.anyOf ?? [s]).find((x: Schema) => x.type === 'array')
    if (arr && Array.isArray(value) && path.length) {
      out.push({ what: `${path.join('.')}=[1000]`, apply: b => setAt(b, path, Array.from({ length: 1000 }, () => clone(value[0] ?? 'x'))) })
      if (value.length)
        walk(arr.items, value[0], [...path, 0])
    }
    if (!path.length)
      return
    const k = kinds(s)
    const label = path.join('.')
    const replace = (values: unknown[]) => values.forEach(v => out.push({ what: `${label}=${JSON.stringify(v)?.slice(0, 30)}`, apply: b => setAt(b, path, v) }))
    if (k.has('string') || k.has('uuid'))
      replace(ODD_STRINGS)
    if (k.has('uuid'))
      replace([...otherIds, 'not-a-uuid', '00000000-0000-0000-0000-000000000000'])
    if (k.has('integer') || k.has('number'))
      replace(ODD_NUMBERS)
    if (typeof value === 'string' && value.length)
      replace([`${value}\uD83D`])
    if (k.has('string') || k.has('uuid'))
      out.push({ what: `${label}+NUL`, apply: b => setAt(b, path, `${typeof value === 'string' ? value : ''}\u0000`), always: true })
    replace(WRONG_TYPES)
  }
  if (schema)
    walk(schema, base ?? {}, [])
  return out
}

/** Whole bodies that are not what the route reads. */
export const RAW_BODIES: { what: string, payload: string | Buffer, type: string }[] = [
  { what: 'null', payload: 'null', type: 'application/json' },
  { what: 'array', payload: '[{"name":"x"}]', type: 'application/json' },
  { what: 'string', payload: '"\\u0000"', type: 'application/json' },
  { what: 'truncated', payload: '{"name": "第', type: 'application/json' },
  { what: 'deep', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, type: 'application/json' },
  { what: 'proto', payload: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}', type: 'application/json' },
  { what: 'nul bytes', payload: Buffer.from([0x7B, 0x00, 0x00, 0x7D]), type: 'application/json' },
  { what: 'bad utf-8', payload: Buffer.from([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), type: 'application/json' },
  { what: 'text', payload: '第三党小组', type: 'text/plain' },
  { what: 'bytes', payload: Buffer.from([0, 1, 2, 255, 254]), type: 'application/octet-stream' },
  { what: 'over the body limit', payload: JSON.stringify({ name: 'x'.repeat(LIMITS.bodyBytes) }), type: 'application/json' },
]

/**
 * Every table but sessions and the throttling counters, as one hash per table: a refused login or
 * password change still counts as a failure there, by design (src/server/auth/rate-limit.ts).
 */
const tablesOf = new WeakMap<DbHandle, string[]>()
async function tables(handle: DbHandle): Promise<string[]> {
  const skip = new Set(['session', 'rate_limit', 'login_failure', 'kysely_migration', 'kysely_migration_lock'])
  const list = tablesOf.get(handle) ?? (await (handle.kind === 'postgres'
    ? sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public' order by 1`
    : sql<{ t: string }>`select name as t from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`).execute(handle.db)).rows.map(r => r.t).filter(t => !skip.has(t))
  tablesOf.set(handle, list)
  return list
}

/**
 * Whether anything may have been written since the last look: SQLite counts the rows its one
 * connection changed; on PostgreSQL the next transaction id moves only when some transaction
 * (of any database on the server) writes. Unchanged marker: the last snapshot still holds.
 * (The fuzz reads it after each answer, when the request's own transactions have committed.)
 */
async function writeMarker(handle: DbHandle): Promise<string> {
  const query = handle.kind === 'postgres' ? sql<{ m: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as m` : sql<{ m: string }>`select total_changes() as m`
  return String((await query.execute(handle.db)).rows[0]!.m)
}
const lastSnapshot = new WeakMap<DbHandle, { marker: string, tables: Record<string, string> }>()

export async function snapshot(handle: DbHandle): Promise<Record<string, string>> {
  const marker = await writeMarker(handle)
  const last = lastSnapshot.get(handle)
  if (last?.marker === marker)
    return last.tables
  const tables = await hashTables(handle)
  lastSnapshot.set(handle, { marker, tables })
  return tables
}

async function hashTables(handle: DbHandle): Promise<Record<string, string>> {
  if (handle.kind === 'postgres') {
    // Row count and an order-free sum of row hashes per table: no sort, one round trip for all.
    const columns = (await tables(handle)).map(t => `(select count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) from "${t}" x) as "${t}"`)
    return (await sql.raw<Record<string, string>>(`select ${columns.join(', ')}`).execute(handle.db)).rows[0]!
  }
  const out: Record<string, string> = {}
  for (const t of await tables(handle)) {
    const rows = (await sql.raw<Record<string, unknown>>(`select * from "${t}"`).execute(handle.db)).rows.map(r => JSON.stringify(r)).sort()
    out[t] = createHash('md5').update(rows.join('|')).digest('hex')
  }
  return out
}

/** "table.column" of every stored text holding a NUL (SQLite would keep one; PostgreSQL would have failed). */
export async function storedNuls(handle: DbHandle): Promise<string[]> {
  const found = new Set<string>()
  for (const t of await tables(handle)) {
    for (const row of (await sql.raw<Record<string, unknown>>(`select * from "${t}"`).execute(handle.db)).rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string' && value.includes('\u0000'))
          found.add(`${t}.${column}`)
      }
    }
  }
  return [...found]
}

/** What an answer must never show: a stack, SQL or a driver's words. */
export const LEAKS = /\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+|(?:Type|Reference|Range|Syntax)Error|SQLITE_|no such (?:table|column)|near "|\bpg_|relation "|violates|invalid input syntax|invalid byte sequence|\bselect\s[\s\S]*\sfrom\s|insert into|duplicate key|kysely|Cannot read prop|undefined is not/i
