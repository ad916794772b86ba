import { resolve } from 'node:path'
import { BackupError } from '../src/server/backup/format'
import { restoreBackup } from '../src/server/backup/restore'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'

/** `npm run restore FILE`: loads a backup into the empty database at DATABASE_URL. Exits 1 and changes no data on failure. */
const arg = process.argv[2]
if (!arg) {
  console.error('Usage: npm run restore FILE   (into the empty database at DATABASE_URL)')
  process.exit(1)
}
const { databaseUrl } = loadConfig()
const { db, kind } = openDatabase(databaseUrl)
try {
  const started = Date.now()
  const { header, rows, migrated } = await restoreBackup({ db, kind }, resolve(arg))
  console.log(`Restored ${rows} rows from a backup of ${header.createdAt} (schema ${header.migration}) in ${Date.now() - started} ms.`)
  if (migrated.length > 0)
    console.log(`Then migrated: ${migrated.join(', ')}`)
}
catch (err) {
  console.error(err instanceof BackupError ? err.message : `Restore failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
}
finally {
  await db.destroy()
}
