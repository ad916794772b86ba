import { BackupError } from '../src/server/backup/format'
import { backupPathFor, writeBackup } from '../src/server/backup/snapshot'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'

/** `npm run backup [FILE or DIR/]`: a consistent snapshot of DATABASE_URL while the server runs. Exits 1 on failure, for cron. */
const file = backupPathFor(process.argv[2])
const { db, kind } = openDatabase(loadConfig().databaseUrl)
try {
  const started = Date.now()
  const { header, bytes } = await writeBackup({ db, kind }, file)
  const counts = header.tables.filter(t => t.rows > 0).map(t => `${t.name} ${t.rows}`).join(', ')
  console.log(`Backed up schema ${header.migration} in ${Date.now() - started} ms: ${(bytes / 1024).toFixed(0)} KiB\n  ${counts}\n${file}`)
}
catch (err) {
  console.error(err instanceof BackupError ? err.message : `Backup failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
}
finally {
  await db.destroy()
}
