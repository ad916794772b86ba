import type { DbHandle } from '#server/db/database'
import type { FastifyInstance } from 'fastify'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, TEST_PASSWORD_PARAMS } from './helper'

/* Every answer carries the security headers: the app shell, a hashed asset, API answers (a success,
   a refusal and the API's 404), and HSTS only where phones reach us over HTTPS. */
let dir: string
let db: { handle: DbHandle, drop: () => Promise<void> }
const apps: FastifyInstance[] = []

async function serve(env: Record<string, string> = {}) {
  const config = loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:', APP_DIR: dir, ...env })
  const app = await buildApp({ config, database: db.handle, serveApp: true, passwordParams: TEST_PASSWORD_PARAMS })
  await app.ready()
  apps.push(app)
  return app
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xf-headers-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="zh-CN"><head><title>先锋</title></head><body><div id="app"></div></body></html>')
  writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log(1)')
  db = await freshDatabase()
})
afterAll(async () => {
  for (const app of apps)
    await app.close()
  await db.drop()
  rmSync(dir, { recursive: true, force: true })
})

function directives(csp: string | undefined): Map<string, string> {
  return new Map((csp ?? '').split(';').map(d => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/)
    return [name!, sources.join(' ')]
  }))
}

describe('security headers', () => {
  it('should send a same-origin CSP, no framing, nosniff and the referrer policy on the shell, an asset and API answers', async () => {
    const app = await serve()
    const answers = {
      'shell /': await app.inject({ method: 'GET', url: '/' }),
      'client route /points': await app.inject({ method: 'GET', url: '/points' }),
      'asset': await app.inject({ method: 'GET', url: '/assets/index-abc123.js' }),
      'api 200 /api/setup': await app.inject({ method: 'GET', url: '/api/setup' }),
      'api 401 /api/auth/me': await app.inject({ method: 'GET', url: '/api/auth/me' }),
      'api 404': await app.inject({ method: 'GET', url: '/api/no-such-thing' }),
    }
    for (const [name, res] of Object.entries(answers)) {
      expect(res.statusCode, name).toBe(({ 'api 401 /api/auth/me': 401, 'api 404': 404 } as Record<string, number>)[name] ?? 200)
      const csp = directives(res.headers['content-security-policy'] as string)
      expect(csp.get('default-src'), name).toBe('\'self\'')
      expect(csp.get('script-src'), name).toBe('\'self\' \'wasm-unsafe-eval\'')
      expect(csp.get('style-src'), name).toBe('\'self\'')
      expect(csp.get('connect-src'), name).toBe('\'self\'')
      expect(csp.get('frame-ancestors'), name).toBe('\'none\'')
      expect(csp.get('object-src'), name).toBe('\'none\'')
      expect(csp.has('upgrade-insecure-requests'), name).toBe(false)
      expect(res.headers['x-content-type-options'], name).toBe('nosniff')
      expect(res.headers['x-frame-options'], name).toBe('DENY')
      expect(res.headers['referrer-policy'], name).toBe('strict-origin-when-cross-origin')
      expect(res.headers['strict-transport-security'], name).toBeUndefined()
    }
  })

  it('should add HSTS and upgrade-insecure-requests only when PUBLIC_URL is https', async () => {
    const app = await serve({ PUBLIC_URL: 'https://xf.example.org' })
    const res = await app.inject({ method: 'GET', url: '/api/setup' })
    expect(res.headers['strict-transport-security']).toBe('max-age=15552000')
    expect(directives(res.headers['content-security-policy'] as string).has('upgrade-insecure-requests')).toBe(true)
  })
})
