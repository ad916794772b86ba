import type { DbHandle } from '#server/db/database'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '#server/app'
import { issueSetupToken } from '#server/auth/setup'
import { loadConfig } from '#server/config'
import { openDatabase } from '#server/db/database'
import { migrateToLatest } from '#server/db/migrate'
import pg from 'pg'
import { inject } from 'vitest'

/** Cheap scrypt for tests only; the production parameters are tested on their own. */
export const TEST_PASSWORD_PARAMS = { N: 2 ** 10, r: 8, p: 1 }

/**
 * Tests run on a real SQLite file, or on a real PostgreSQL server when TEST_PG_URL is set
 * (a fresh database per test file, dropped afterwards; copied from a migrated template when the
 * run made one, and migrated here either way, which is then a no-op).
 */
export async function freshDatabase(): Promise<{ handle: DbHandle, url: string, drop: () => Promise<void> }> {
  const pgUrl = process.env.TEST_PG_URL
  const name = `xf_test_${randomBytes(6).toString('hex')}`
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    // Copied from the run's migrated template (tests/server/pg-template.ts) when there is one.
    const template = inject('pgTemplate')
    await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`)
    await admin.end()
    const url = new URL(pgUrl)
    url.pathname = `/${name}`
    const handle = openDatabase(url.toString())
    await migrateToLatest(handle.db)
    return {
      handle,
      url: url.toString(),
      drop: async () => {
        // Best effort: a leftover test database is harmless, a failed clean-up must not fail a test.
        // WITH (FORCE) may refuse to end a superuser's process (autovacuum), so retry plainly.
        const c = new pg.Client({ connectionString: pgUrl })
        await c.connect()
        for (const statement of [`drop database if exists ${name} with (force)`, `drop database if exists ${name}`]) {
          try {
            await c.query(statement)
            break
          }
          catch {
            await new Promise(resolve => setTimeout(resolve, 200))
          }
        }
        await c.end()
      },
    }
  }
  const dir = join(tmpdir(), 'xianfeng-tests')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.db`)
  const handle = openDatabase(`sqlite:${file}`)
  await migrateToLatest(handle.db)
  return {
    handle,
    url: `sqlite:${file}`,
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(`${file}${suffix}`, { force: true })
    },
  }
}

export interface TestApp {
  app: FastifyInstance
  handle: DbHandle
  close: () => Promise<void>
}

export async function buildTestApp(): Promise<TestApp> {
  const { handle, drop } = await freshDatabase()
  const config = loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' })
  const app = await buildApp({ config, database: handle, passwordParams: TEST_PASSWORD_PARAMS })
  await app.ready()
  return {
    app,
    handle,
    close: async () => {
      await app.close()
      await drop()
    },
  }
}

/** A logged-in client: keeps the session cookie and sends the CSRF header like the app does. */
export class Client {
  cookie = ''
  /** The caller's address, for rate limits keyed by IP; inject's default is 127.0.0.1. */
  remoteAddress: string | undefined
  constructor(readonly app: FastifyInstance) {}

  async request(method: InjectOptions['method'], url: string, payload?: unknown) {
    const res = await this.app.inject({
      method,
      url,
      payload: payload as InjectOptions['payload'],
      ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
      headers: { 'x-xianfeng': '1', ...(this.cookie ? { cookie: this.cookie } : {}), ...(Buffer.isBuffer(payload) ? { 'content-type': 'application/octet-stream' } : {}) },
    })
    const setCookie = res.cookies.find(c => c.name === 'xf_session')
    if (setCookie)
      this.cookie = setCookie.value ? `xf_session=${setCookie.value}` : ''
    return res
  }

  get = (url: string) => this.request('GET', url)
  post = (url: string, body: unknown = {}) => this.request('POST', url, body)
  patch = (url: string, body: unknown) => this.request('PATCH', url, body)
  delete = (url: string) => this.request('DELETE', url)
}

/** Runs first-start setup through the API and returns the logged-in admin and the branch id. */
export async function setUpBranch(app: FastifyInstance, handle: DbHandle, login = 'admin') {
  const token = await issueSetupToken(handle.db)
  if (!token)
    throw new Error('branch already set up')
  const admin = new Client(app)
  const res = await admin.post('/api/setup', { token, branchName: '测试支部', adminName: '管理员', login, password: 'admin-pass-1' })
  if (res.statusCode !== 200)
    throw new Error(`setup failed: ${res.body}`)
  return { admin, branchId: res.json().branchId as string, me: res.json() }
}
