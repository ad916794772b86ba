/**
 * A fresh, migrated database for a benchmark run: a SQLite file in the temp folder, or a new
 * PostgreSQL database beside TEST_PG_URL's; `drop` removes it again.
 */
import type { Db, DbHandle } from '../src/server/db/database'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'

export async function freshDb(kind: 'sqlite' | 'postgres'): Promise<{ handle: DbHandle, name: string, drop: () => Promise<void> }> {
  const name = `xf_bench_${randomBytes(5).toString('hex')}`
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(process.env.TEST_PG_URL!)
    url.pathname = `/${name}`
    const handle = openDatabase(url.toString())
    await migrateToLatest(handle.db)
    return {
      handle,
      name,
      drop: async () => {
        await handle.db.destroy()
        const c = new pg.Client({ connectionString: process.env.TEST_PG_URL })
        await c.connect()
        // Without FORCE: a test role may not end an autovacuum worker; a leftover bench database is only reported.
        await c.query(`drop database if exists ${name}`).catch((err: Error) => console.log(`  (could not drop ${name}: ${err.message})`))
        await c.end()
      },
    }
  }
  const dir = join(tmpdir(), 'xianfeng-bench')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.db`)
  const handle = openDatabase(`sqlite:${file}`)
  await migrateToLatest(handle.db)
  return {
    handle,
    name: file,
    drop: async () => {
      await handle.db.destroy()
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(`${file}${suffix}`, { force: true })
    },
  }
}

/** A small deterministic generator so every run and both databases get the same data. */
export function rng(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

/** Inserts rows in batches of 400 (under either database's limit on bound values). */
export async function insertAll(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400)
    await db.insertInto(table as 'member').values(rows.slice(i, i + 400) as never).execute()
}
