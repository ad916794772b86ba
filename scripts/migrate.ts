import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'

/** Exits 1 on any failed migration, so a deploy script stops instead of serving a half-migrated database. */
const { db } = openDatabase(loadConfig().databaseUrl)
try {
  const applied = await migrateToLatest(db)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date')
}
catch (err) {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
}
finally {
  await db.destroy()
}
