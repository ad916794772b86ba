import type { Db } from './database'
import { Migrator } from 'kysely'
import { migrations } from './migrations'

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(r => r.status === 'Error')
  if (error || failed)
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`)
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
