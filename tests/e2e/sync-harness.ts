import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from './harness'
import { createServer, request as httpRequest } from 'node:http'
import SQLite from 'better-sqlite3'
import { ApiClient, APP_DIR, startServer, tokenOf, waitFor } from './harness'

/*
 * What the sync e2e tests add to the shared harness: a proxy between Chromium and the server that
 * can play "no network" and "reply lost after the commit" — context.setOffline does not cut what
 * the service worker fetches, a proxy cuts everything — and read access to the server's rows.
 */

/** pass; down: nothing gets through; api-down: the app's files load but no API call does; drop-push: pushes commit, replies are lost. */
export type ProxyMode = 'pass' | 'down' | 'api-down' | 'drop-push'

export interface SyncProxy {
  url: string
  mode: ProxyMode
  /** Push requests that reached the server (including ones whose reply was dropped). */
  pushes: number
  /** Text appended to /sw.js, to make the browser see a new service worker version. */
  swSuffix: string
  close: () => Promise<void>
}

/** Listens on a free port in 8400–8499 and forwards to the server's port. */
export async function startProxy(targetPort: () => number): Promise<SyncProxy> {
  const state: SyncProxy = { url: '', mode: 'pass', pushes: 0, swSuffix: '', close: async () => {} }
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (state.mode === 'down' || (state.mode === 'api-down' && req.url?.startsWith('/api/'))) {
      req.socket.destroy()
      return
    }
    const isPush = req.url?.startsWith('/api/sync/push') ?? false
    const isSw = req.url === '/sw.js'
    if (process.env.E2E_DEBUG && req.url?.includes('sw'))
      console.log(`[proxy] ${req.method} ${req.url} suffix=${Boolean(state.swSuffix)} mode=${state.mode}`)
    const headers = { ...req.headers }
    if (isSw && state.swSuffix) {
      // The suffix goes onto plain, complete bytes: no compression, no 304.
      delete headers['accept-encoding']
      delete headers['if-none-match']
      delete headers['if-modified-since']
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort(), path: req.url, method: req.method, headers }, (up) => {
      if (isPush)
        state.pushes++
      if (isPush && state.mode === 'drop-push') {
        // The server answered (and committed); the phone never hears it.
        up.resume()
        up.on('end', () => req.socket.destroy())
        return
      }
      if (isSw && state.swSuffix) {
        const chunks: Buffer[] = []
        up.on('data', (c: Buffer) => chunks.push(c))
        up.on('end', () => {
          const body = Buffer.concat([...chunks, Buffer.from(`\n${state.swSuffix}\n`)])
          const out = { ...up.headers, 'content-length': String(body.length) }
          delete out.etag
          delete out['last-modified']
          delete out['transfer-encoding']
          res.writeHead(up.statusCode ?? 200, out).end(body)
        })
        return
      }
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => req.socket.destroy())
    req.pipe(upstream)
  }
  let server: Server | null = null
  for (let attempt = 0; attempt < 50 && !server; attempt++) {
    const port = 8400 + Math.floor(Math.random() * 100)
    const candidate = createServer(handler)
    const ok = await new Promise<boolean>((resolve) => {
      candidate.once('error', () => resolve(false))
      candidate.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (ok) {
      server = candidate
      state.url = `http://localhost:${port}`
    }
  }
  if (!server)
    throw new Error('e2e: no free port in 8400–8499 for the sync proxy')
  const s = server
  state.close = () => new Promise<void>((resolve) => {
    s.closeAllConnections()
    s.close(() => resolve())
  })
  return state
}

export interface SyncWorld {
  server: RunningServer
  proxy: SyncProxy
  login: string
  password: string
  /** Logged in through the proxy's origin, as the phone is. */
  client: ApiClient
  rows: (sqlText: string, ...params: unknown[]) => unknown[]
  dispose: () => Promise<void>
}

/** The real server on a temp SQLite file, a branch with its admin, and the proxy in front. */
export async function startSyncWorld(): Promise<SyncWorld> {
  const server = await startServer({ env: { APP_DIR: process.env.E2E_APP_DIR || APP_DIR } })
  const proxy = await startProxy(() => server.port)
  const login = 'shuji'
  const password = 'shuji-pass-1'
  const client = new ApiClient(proxy.url)
  await client.post('/api/setup', { token: tokenOf(server.setupUrl!), branchName: '同步测试支部', adminName: '王书记', login, password })
  const file = server.databaseUrl.replace(/^sqlite:/, '')
  const rows = (sqlText: string, ...params: unknown[]) => {
    const db = new SQLite(file, { readonly: true, fileMustExist: true })
    try {
      return db.prepare(sqlText).all(...params)
    }
    finally {
      db.close()
    }
  }
  return {
    server,
    proxy,
    login,
    password,
    client,
    rows,
    dispose: async () => {
      await proxy.close()
      await server.dispose()
    },
  }
}

/** Opens the app logged in; `client` gives the page its own session (one the test may end). */
export async function openLoggedIn(context: BrowserContext, world: SyncWorld, path = '/me', client = world.client): Promise<Page> {
  await context.addCookies([{ name: 'xf_session', value: client.session, url: world.proxy.url, httpOnly: true, sameSite: 'Lax' }])
  const page = await context.newPage()
  page.on('console', (msg) => {
    if (process.env.E2E_DEBUG)
      console.log(`[browser ${msg.type()}] ${msg.text()}`)
  })
  page.on('pageerror', err => console.log(`[browser error] ${err.message}`))
  await page.goto(`${world.proxy.url}${path}`)
  await page.getByTestId('sync-status').waitFor()
  return page
}

/** The member edits their contact phone in 我的: one profile.update through the outbox. */
export async function setPhone(page: Page, phone: string): Promise<void> {
  await page.getByTestId('phone-cell').click()
  const input = page.getByTestId('phone-input').locator('input')
  await input.fill(phone)
  await page.getByTestId('phone-save').click()
  await page.getByTestId('phone-cell').waitFor()
}

export async function pendingCount(page: Page): Promise<number> {
  const texts = await page.getByTestId('sync-pending').allTextContents()
  return Number(texts[0]?.match(/\d+/)?.[0] ?? 0)
}

export async function waitUntil(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  await waitFor(check, Date.now() + ms, () => `e2e: timed out waiting for ${what}`)
}

/** Clicks 立即同步 until nothing waits (each click skips any back-off wait). */
export async function syncUntilEmpty(page: Page, ms = 60_000): Promise<void> {
  await waitUntil(async () => {
    if ((await pendingCount(page)) === 0 && (await page.getByTestId('sync-state').textContent())?.includes('已同步'))
      return true
    const button = page.getByTestId('sync-now')
    if (await button.count())
      await button.click({ timeout: 2000 }).catch(() => {})
    await page.waitForTimeout(400)
    return false
  }, ms, 'the outbox to empty').catch(async (err: Error) => {
    const state = await page.getByTestId('sync-status').allTextContents()
    throw new Error(`${err.message}; the page shows: ${state.join(' | ')} at ${page.url()}`)
  })
}
