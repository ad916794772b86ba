import { localOrigin } from '../src/server/auth/origin'
import { issueSetupToken, setupUrl } from '../src/server/auth/setup'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'

/** Prints a new one-time setup link, for when the first start's output was lost. */
const config = loadConfig()
const { db } = openDatabase(config.databaseUrl)
try {
  await migrateToLatest(db)
  const token = await issueSetupToken(db)
  if (token)
    console.log(setupUrl(localOrigin(config, config.port), token))
  else
    console.log('A branch admin already exists; setup is closed. Log in as that admin instead.')
}
finally {
  await db.destroy()
}
