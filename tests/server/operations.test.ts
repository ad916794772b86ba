import type { AddressInfo, Socket } from 'node:net'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '#server/app'
import { ConfigError, loadConfig } from '#server/config'
import { openDatabase } from '#server/db/database'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, freshDatabase, TEST_PASSWORD_PARAMS } from './helper'

/* What an operator sees: health when the database goes away, configuration mistakes, and
   migrations failing loudly. The scripts run as real processes, the way a deploy runs them. */

const dir = join(tmpdir(), 'xianfeng-tests', `ops-${randomUUID().slice(0, 8)}`)
mkdirSync(dir, { recursive: true })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A PostgreSQL URL nobody listens on. */
const CLOSED_PG = 'postgres://xf:xf@127.0.0.1:9/xianfeng'

function run(script: 'migrate' | 'start', env: Record<string, string>) {
  const res = spawnSync('npm', ['run', '--silent', script], { env: { ...process.env, TEST_PG_URL: '', ...env }, encoding: 'utf8', timeout: 110_000 })
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` }
}

describe('health', () => {
  it('should answer 200 with the database kind while the database is reachable', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject('/api/health')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok', database: process.env.TEST_PG_URL ? 'postgres' : 'sqlite' })
    await t.close()
  })

  it.skipIf(!process.env.TEST_PG_URL)('should answer 503 to health and to API calls, not 500, when PostgreSQL becomes unreachable', async () => {
    const { handle: direct, url, drop } = await freshDatabase()
    await direct.db.destroy()
    // The app reaches PostgreSQL through a TCP relay we can cut, as a network failure would.
    const target = new URL(url)
    const sockets = new Set<Socket>()
    const relay = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve))
    const relayed = new URL(url)
    relayed.host = `127.0.0.1:${(relay.address() as AddressInfo).port}`
    const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: relayed.toString() }), database: openDatabase(relayed.toString()), passwordParams: TEST_PASSWORD_PARAMS })
    await app.ready()
    expect((await app.inject('/api/health')).statusCode).toBe(200)

    await new Promise(resolve => relay.close(resolve).unref())
    for (const s of sockets) s.destroy()
    const health = await app.inject('/api/health')
    expect(health.statusCode).toBe(503)
    expect(health.json()).toEqual({ status: 'unavailable', database: 'postgres' })
    const api = await app.inject({ url: '/api/groups', headers: { cookie: 'xf_session=some-session-token' } })
    expect(api.statusCode).toBe(503)
    expect(api.json().code).toBe('DB_UNAVAILABLE')
    await app.close().catch(() => {})
    await drop()
  })

  it('should build the app while the database cannot be reached, and answer health and API calls with 503', async () => {
    const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: CLOSED_PG }), database: openDatabase(CLOSED_PG), passwordParams: TEST_PASSWORD_PARAMS })
    await app.ready()
    const health = await app.inject('/api/health')
    expect(health.statusCode).toBe(503)
    expect(health.json()).toEqual({ status: 'unavailable', database: 'postgres' })
    const api = await app.inject({ url: `/api/meetings/${randomUUID()}/screen`, headers: { cookie: 'xf_session=some-session-token' } })
    expect(api.statusCode).toBe(503)
    expect(api.json().code).toBe('DB_UNAVAILABLE')
    await app.close().catch(() => {})
  })

  it('should answer 503 once the database connection is gone', async () => {
    const t = await buildTestApp()
    await t.handle.db.destroy()
    expect((await t.app.inject('/api/health')).statusCode).toBe(503)
    await t.close().catch(() => {})
  })
})

// The scripts run as child processes (tsx compiling on start); slow on a busy machine.
describe('configuration', { timeout: 120_000 }, () => {
  const cases: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/xf' }],
    ['TLS_KEY', { TLS_CERT: join(dir, 'cert.pem') }],
    ['TLS_CERT', { TLS_CERT: join(dir, 'missing.pem'), TLS_KEY: join(dir, 'missing.key') }],
    ['PUBLIC_URL', { PUBLIC_URL: 'xf.example.org' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['XF_SECRET', { XF_SECRET: 'short' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
  ]
  for (const [variable, env] of cases) {
    it(`should stop with an error naming ${variable} for ${JSON.stringify(env)}`, () => {
      let err: unknown
      try {
        loadConfig(env)
      }
      catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).variable).toBe(variable)
      expect((err as ConfigError).message).toMatch(new RegExp(`^${variable}: \\S`))
    })
  }

  it('should use the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'sqlite:./data/xianfeng.db', publicUrl: null, tlsCert: null })
  })

  it('should make npm start exit 1 with a message naming the bad variable', () => {
    const appDir = join(dir, 'app')
    mkdirSync(appDir, { recursive: true })
    writeFileSync(join(appDir, 'index.html'), '<!doctype html>')
    const { status, output } = run('start', { APP_DIR: appDir, PORT: 'eighty', DATABASE_URL: `sqlite:${join(dir, 'start.db')}` })
    expect(status).toBe(1)
    expect(output).toMatch(/Configuration error — PORT: must be a whole number/)
  })
})

describe('migrations', { timeout: 120_000 }, () => {
  it('should make npm run migrate exit non-zero and name the migration when one fails', () => {
    const file = join(dir, 'broken.db')
    const db = new SQLite(file)
    // A table in the way makes the foundation migration's CREATE TABLE fail.
    db.exec('create table upper_org (something text)')
    db.close()
    const { status, output } = run('migrate', { DATABASE_URL: `sqlite:${file}` })
    expect(status).not.toBe(0)
    expect(output).toMatch(/migration 2026_11_28_0001_foundation failed/)
    const after = new SQLite(file)
    expect(after.prepare('select count(*) as n from sqlite_master where name = \'member\'').get()).toEqual({ n: 0 })
    after.close()
  })

  it('should make npm run migrate exit non-zero when the database cannot be reached', () => {
    const { status, output } = run('migrate', { DATABASE_URL: CLOSED_PG })
    expect(status).not.toBe(0)
    expect(output).toMatch(/ECONNREFUSED|connect/)
  })
})
