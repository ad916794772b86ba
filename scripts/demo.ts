import type { Config } from '../src/server/config'
import { localOrigin } from '../src/server/auth/origin'
import { ConfigError, loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { DEMO_BRANCH, DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, seedDemo } from '../src/server/org/demo'

/** `npm run demo`: fills an EMPTY database (DATABASE_URL, as the server) with a sample branch, then says how to log in. */
let config: Config
try {
  config = loadConfig()
}
catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error — ${err.message}` : err)
  process.exit(1)
}
const { db } = openDatabase(config.databaseUrl)
try {
  await migrateToLatest(db)
  const { members } = await seedDemo(db)
  const url = localOrigin(config, config.port)
  console.log(`
  已创建示例数据 Demo data created: 「${DEMO_BRANCH}」, 3 groups, ${members} members.

  Start the server with:  ${process.env.DATABASE_URL ? `DATABASE_URL=${config.databaseUrl} ` : ''}npm start
  Then open:              ${url}/login

    党员 (member)            login ${DEMO_LOGINS.member}   password ${DEMO_PASSWORD}
    党小组长 (group leader)  login ${DEMO_LOGINS.leader}   password ${DEMO_PASSWORD}
    支部管理员 (branch admin) login ${DEMO_LOGINS.admin}     password ${DEMO_PASSWORD}

  Every sample account (demo.member1–8, demo.leader1–3, demo.admin) uses the same password.
  The demo branch is for trying the app out; use a fresh database for real use.
`)
}
catch (err) {
  process.exitCode = 1
  if (err instanceof DemoRefused)
    console.error(`npm run demo: ${err.message}.\n  DATABASE_URL=${config.databaseUrl}\n  Point DATABASE_URL at a new database (e.g. DATABASE_URL=sqlite:./data/demo.db npm run demo) or remove the existing one.`)
  else
    console.error('npm run demo failed:', err instanceof Error ? err.message : err)
}
finally {
  await db.destroy()
}
