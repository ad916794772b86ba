import type { Db } from './database'
import { Migrator } from 'kysely'
import { migrations } from './migrations'

/**
 * Every instance runs this at start. Several starting at once on one PostgreSQL is safe: Kysely's
 * migrator holds an advisory lock (pg_advisory_lock) while it runs, so one migrates and the others
 * then find nothing to do (tests/server/sync/two-instances.test.ts). SQLite serves one process.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error || failed)
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`)
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
