import type { DbHandle } from '#server/db/database'
import type { FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, TEST_PASSWORD_PARAMS } from './helper'

/* The built PWA as the server sends it: precompressed where the browser accepts it, the shell for
   client routes, the API's own 404 under /api/, and caching that lets updates reach phones. */
let dir: string
let app: FastifyInstance
let db: { handle: DbHandle, drop: () => Promise<void> }
const THEME = ':root{--xf-red:#b71c1c}body{background:#f5f5f5}'
const INDEX = `<!doctype html><html lang="zh-CN"><head><title>先锋</title><link rel="stylesheet" crossorigin href="/assets/index-1.css"></head><body>${'<div id="app"></div>'.repeat(80)}</body></html>`
const SCRIPT = `console.log(${JSON.stringify('先锋'.repeat(600))})`
/** What the build lists for each client route (vite.config.ts writes route-preloads.json). */
const PRELOADS = [
  { path: '/login', public: true, js: ['/assets/runtime-1.js', '/assets/ui-1.js'], css: ['/assets/ui-1.css'] },
  { path: '/board/:slug', public: true, js: ['/assets/ui-1.js', '/assets/BoardPage-1.js'], css: ['/assets/ui-1.css'] },
  { path: '/', public: false, js: ['/assets/ui-1.js', '/assets/member-1.js', '/assets/HomePage-1.js'], css: ['/assets/ui-1.css', '/assets/member-1.css'] },
  { path: '/points/log', public: false, js: ['/assets/ui-1.js', '/assets/member-1.js', '/assets/PointsLogPage-1.js'], css: ['/assets/ui-1.css', '/assets/member-1.css', '/assets/PointsLogPage-1.css'] },
  { path: '/pledges/:id', public: false, js: ['/assets/PledgePage-1.js'], css: [] },
  { path: '/pledges/new', public: false, js: ['/assets/PledgeEditPage-1.js'], css: [] },
  { path: '/:pathMatch(.*)*', public: true, js: ['/assets/NotFoundPage-1.js'], css: [] },
]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xf-static-'))
  mkdirSync(join(dir, 'assets'))
  const put = (name: string, text: string, compressed = true) => {
    writeFileSync(join(dir, name), text)
    if (compressed) {
      writeFileSync(join(dir, `${name}.br`), brotliCompressSync(text))
      writeFileSync(join(dir, `${name}.gz`), gzipSync(text))
    }
  }
  put('index.html', INDEX)
  put('assets/index-abc123.js', SCRIPT)
  put('assets/index-1.css', THEME, false)
  put('manifest.webmanifest', '{"name":"先锋"}', false)
  put('guest.html', '<!doctype html><title>讲评评分</title>', false)
  put('route-preloads.json', JSON.stringify(PRELOADS), false)
  db = await freshDatabase()
  const config = loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:', APP_DIR: dir })
  app = await buildApp({ config, database: db.handle, serveApp: true, passwordParams: TEST_PASSWORD_PARAMS })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await db.drop()
  rmSync(dir, { recursive: true, force: true })
})

const get = (url: string, encoding?: string) => app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} })

describe('the built app', () => {
  it('should send the precompressed brotli or gzip file the browser accepts, and the plain one otherwise', async () => {
    const br = await get('/assets/index-abc123.js', 'gzip, deflate, br')
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT)
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 2)
    expect(br.headers['cache-control']).toContain('immutable')

    const gz = await get('/assets/index-abc123.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT)

    const plain = await get('/assets/index-abc123.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(SCRIPT)
  })

  it('should send the shell, compressed and revalidated, for client routes, and the API\'s JSON 404 under /api/', async () => {
    for (const url of ['/', '/points/log', '/login?redirect=%2Fme']) {
      const res = await get(url, 'br')
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(res.headers['content-type']).toContain('text/html')
      const html = brotliDecompressSync(res.rawPayload).toString()
      expect(html.startsWith('<!doctype html><html lang="zh-CN"><head><title>先锋</title>')).toBe(true)
      expect(html.endsWith(INDEX.slice(INDEX.indexOf('</head>')))).toBe(true)
    }
    const gz = await get('/points/log', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toContain('<div id="app"></div>')
    expect((await get('/points/log')).body).toContain('<div id="app"></div>')
    const api = await get('/api/no-such-thing', 'br')
    expect(api.statusCode).toBe(404)
    expect(api.json()).toMatchObject({ statusCode: 404 })
    expect((await get('/assets/missing-file.js')).statusCode).toBe(404)
    const manifest = await get('/manifest.webmanifest', 'br')
    expect(manifest.statusCode).toBe(200)
    expect(manifest.headers['cache-control']).toBe('no-cache')
    expect(manifest.body).toBe('{"name":"先锋"}')
  })
})

describe('a screen\'s files named in the shell', () => {
  /** The files the shell sent for an address names, in order: preloaded scripts, then stylesheets. */
  async function named(url: string, session?: string) {
    const res = await app.inject({ url, headers: { 'accept-encoding': 'br', ...(session ? { cookie: `theme=1; xf_session=${session}` } : {}) } })
    expect(res.statusCode).toBe(200)
    const html = brotliDecompressSync(res.rawPayload).toString()
    return {
      vary: String(res.headers.vary),
      scripts: [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map(m => m[1]),
      styles: [...html.matchAll(/<link rel="stylesheet" crossorigin href="([^"]+)">/g)].map(m => m[1]),
    }
  }

  it('should name a member\'s screen\'s scripts and stylesheets, in the order the build gave, for a phone with a session', async () => {
    const page = await named('/points/log', 'abc123')
    expect(page.scripts).toEqual(['/assets/ui-1.js', '/assets/member-1.js', '/assets/PointsLogPage-1.js'])
    // Vant's sheet before the layout's before the screen's: rules of equal weight resolve as on any other way in.
    expect(page.styles).toEqual(['/assets/ui-1.css', '/assets/member-1.css', '/assets/PointsLogPage-1.css'])
    // A cache between must not give one phone's page to another.
    expect(page.vary).toContain('cookie')
    expect((await named('/', 'abc123')).scripts).toContain('/assets/HomePage-1.js')
  })

  it('should name the login page\'s files where a phone with no session will be sent to log in', async () => {
    for (const url of ['/points/log', '/', '/login', '/login?redirect=%2Fpoints']) {
      const page = await named(url)
      expect(page.scripts, url).toEqual(['/assets/runtime-1.js', '/assets/ui-1.js'])
      expect(page.styles, url).toEqual(['/assets/ui-1.css'])
    }
    // An empty cookie is no session.
    const res = await app.inject({ url: '/points/log', headers: { cookie: 'xf_session=' } })
    expect(res.body).not.toContain('PointsLogPage')
  })

  it('should pick the route vue-router picks: a public page as it is, a fixed path before a parameter, the not-found page last', async () => {
    expect((await named('/board/AbC123')).scripts).toContain('/assets/BoardPage-1.js')
    expect((await named('/pledges/new', 's')).scripts).toEqual(['/assets/PledgeEditPage-1.js'])
    expect((await named('/pledges/0b7f3c', 's')).scripts).toEqual(['/assets/PledgePage-1.js'])
    expect((await named('/pledges/0b7f3c/', 's')).scripts).toEqual(['/assets/PledgePage-1.js'])
    expect((await named('/no/such/screen', 's')).scripts).toEqual(['/assets/NotFoundPage-1.js'])
  })

  it('should write the shell\'s own small stylesheet into the page, allowed by its hash in the CSP and nowhere else', async () => {
    const res = await get('/points/log')
    expect(res.body).toContain(`<style>${THEME}</style>`)
    expect(res.body).not.toContain('href="/assets/index-1.css"')
    const hash = `'sha256-${createHash('sha256').update(THEME).digest('base64')}'`
    expect(res.headers['content-security-policy']).toMatch(new RegExp(`style-src 'self' ${hash.replace(/[+/]/g, '\\$&')}(?:;|$)`))
    // Only the page that carries it: an asset or an API answer keeps the plain policy.
    expect((await get('/assets/index-abc123.js')).headers['content-security-policy']).not.toContain('sha256')
    expect((await get('/api/health')).headers['content-security-policy']).not.toContain('sha256')
  })

  it('should send a rebuilt shell without a restart', async () => {
    const before = await get('/points/log')
    const rebuilt = INDEX.replace('<title>先锋</title>', '<title>先锋 2</title>')
    writeFileSync(join(dir, 'index.html'), rebuilt)
    // A file system with coarse times: make sure the new file's time differs.
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5000))
    const after = await get('/points/log')
    expect(before.body).toContain('<title>先锋</title>')
    expect(after.body).toContain('<title>先锋 2</title>')
    // Mid-rebuild (the build empties its folder first): no shell to send, and no server error.
    renameSync(join(dir, 'index.html'), join(dir, 'index.html.away'))
    const during = await get('/points/log')
    expect(during.statusCode).toBeLessThan(500)
    renameSync(join(dir, 'index.html.away'), join(dir, 'index.html'))
    writeFileSync(join(dir, 'index.html'), INDEX)
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 10_000))
    expect((await get('/points/log')).body).toContain('<title>先锋</title>')
  })
})

describe('one route for every file', () => {
  it('should serve the build through one wildcard route, a file written after start included', async () => {
    // Not a route per file (a build has hundreds with their .br/.gz): that cost start-up time.
    expect(app.printRoutes()).not.toContain('index-abc123')
    writeFileSync(join(dir, 'assets', 'late-def456.js'), 'console.log(1)')
    const late = await get('/assets/late-def456.js')
    expect(late.statusCode).toBe(200)
    expect(late.body).toBe('console.log(1)')
    expect(late.headers['cache-control']).toContain('immutable')
  })

  it('should never serve a file outside the build, however the path is spelled', async () => {
    for (const url of ['/../package.json', '/assets/..%2F..%2Fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%E0%A4%A.js']) {
      const res = await get(url)
      expect(res.statusCode, url).not.toBe(500)
      expect(res.body, url).not.toContain('"dependencies"')
      expect(res.body, url).not.toContain('root:')
    }
  })
})

describe('the 讲评 guest link', () => {
  it('should answer /g/<code> with the light guest page, not the member app', async () => {
    const res = await app.inject({ url: '/g/AbCdEfGh12345678' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('讲评评分')
    expect(res.headers['cache-control']).toBe('no-cache')
  })
})
