import type { FastifyInstance } from 'fastify'
import type { Config } from './config'
import { buildApp } from './app'
import { localOrigin } from './auth/origin'
import { issueSetupToken, setupUrl } from './auth/setup'
import { ConfigError, loadConfig } from './config'
import { openDatabase } from './db/database'
import { migrateToLatest } from './db/migrate'
import { housekeeping, HOUSEKEEPING_EVERY_MS } from './services/retention'

/** Starts the real server: validate config, migrate, listen, print the setup link, shut down gracefully. */
export async function startServer(env = process.env): Promise<FastifyInstance> {
  const config = loadConfig(env)
  const database = openDatabase(config.databaseUrl)
  await migrateToLatest(database.db)
  const app = await buildApp({
    config,
    database,
    serveApp: true,
    logger: { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
  })
  await app.listen({ port: config.port, host: config.host })

  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const origin = localOrigin(config, port)
  // One short line per start, whatever LOG_LEVEL says: the operator sees it is up, and where.
  console.log(readyLine(config, origin))
  // Several instances starting on a new database each print a link of their own: any of them works
  // (a token is checked in the database, not by the instance that made it) and setup spends them all.
  const token = await issueSetupToken(database.db)
  if (token) {
    // Printed on stdout on purpose, after the ready line so nothing scrolls it away: whoever
    // started the server is whoever sets it up.
    console.log(`\n  先锋 has no branch admin yet. Open this one-time link to create the branch and its first admin:\n\n    ${setupUrl(origin, token)}\n\n  Lost it? \`npm run setup-link\` prints a new one.\n`)
  }

  // Every instance runs housekeeping: each step is idempotent, so several sharing one database is harmless.
  const tidy = () => housekeeping(database.db, Date.now(), (step, err) => app.log.warn({ err, step }, 'housekeeping step failed; will try again')).then(
    (report) => {
      if (Object.values(report).some(n => n))
        app.log.info(report, 'housekeeping pruned old rows')
    },
    err => app.log.warn({ err }, 'housekeeping failed; will try again'),
  )
  void tidy()
  setInterval(tidy, HOUSEKEEPING_EVERY_MS).unref()

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down')
      app.close().then(() => process.exit(0), () => process.exit(1))
      setTimeout(() => process.exit(1), 10_000).unref()
    })
  }
  return app
}

/** The start's one line: where it answers, which database, and how to see more. */
export function readyLine(config: Config, origin: string): string {
  const database = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : 'PostgreSQL'
  const logs = ['info', 'debug', 'trace'].includes(config.logLevel) ? `LOG_LEVEL=${config.logLevel}` : 'requests not logged; LOG_LEVEL=info logs them'
  const publicUrl = config.publicUrl ? '' : ' · PUBLIC_URL not set: invite links work only where phones reach this address'
  return `先锋 ready at ${origin} · ${database} · ${logs}${publicUrl}`
}

export function reportStartError(err: unknown): never {
  if (err instanceof ConfigError)
    console.error(`Configuration error — ${err.message}`)
  else
    console.error('Failed to start:', err instanceof Error ? err.message : err)
  process.exit(1)
}
