import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FALLBACK_CHECKPOINT_PAGES, openDatabase } from '#server/db/database'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'

/*
 * The server's SQLite file has its WAL copied into the database file by a worker thread, so no
 * request's COMMIT pays for the checkpoint (issue 17 point 2). The main connection's own
 * auto-checkpoint waits for FALLBACK_CHECKPOINT_PAGES: a WAL far smaller than that reaching the
 * database file can only be the worker's doing.
 */
let dir: string | undefined
afterEach(() => {
  if (dir)
    rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

async function writeSome(checkpointInWorker: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'xf-checkpoint-'))
  const file = join(dir, 'app.db')
  const { db } = openDatabase(`sqlite:${file}`, { checkpointInWorker })
  await sql`create table t (id integer primary key, text text not null)`.execute(db)
  const before = statSync(file).size
  // Some 530 pages of WAL: half of SQLite's default auto-checkpoint, a twentieth of the fallback.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 400; i++)
      await sql`insert into t (text) values (${'记积分'.repeat(600)})`.execute(trx)
  })
  return { db, file, before }
}

describe('the WAL checkpoint on a worker thread', () => {
  it('should copy the server\'s writes into the database file beside the requests, and stop with the database', async () => {
    expect(FALLBACK_CHECKPOINT_PAGES).toBeGreaterThan(1000)
    const { db, file, before } = await writeSome(true)
    const deadline = Date.now() + 5000
    while (statSync(file).size <= before && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 50))
    expect(statSync(file).size).toBeGreaterThan(before + 400 * 1000)
    // Everything written is there, through the server's own connection.
    expect(await sql<{ n: number }>`select count(*) as n from t`.execute(db).then(r => Number(r.rows[0]!.n))).toBe(400)
    await db.destroy()
  })

  it('should leave a database opened without it to SQLite\'s own checkpoints', async () => {
    const { db, file, before } = await writeSome(false)
    await new Promise(r => setTimeout(r, 400))
    // SQLite's default auto-checkpoint (1,000 pages) is not reached: the file has not grown.
    expect(statSync(file).size).toBe(before)
    await db.destroy()
  })
})
