import type { Role } from '#shared/roles'
import type { Me } from '#shared/schemas/auth'
import type { Group, Invite, Member } from '#shared/schemas/org'
import type { ChildProcess } from 'node:child_process'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SESSION } from '#shared/constants'
import { chromium } from 'playwright-core'

/*
 * The end-to-end harness: the real server (scripts/start.mjs, the same entry as `npm start`: the compiled server) on a
 * free loopback port with its own SQLite file, headless Chromium from Debian, and an API client
 * that seeds a branch without clicking through setup. Every e2e test builds on this file.
 */

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
/** The built PWA under test; APP_DIR points elsewhere, as it does for the server. */
export const APP_DIR = resolve(process.env.APP_DIR || join(ROOT, 'dist/app'))
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium'
/** Shared with the Lighthouse bench: no network beyond loopback, nothing the browser fetches on its own. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Fails with what to do, instead of a blank page, when the PWA was not built. */
export function assertBuilt(): void {
  for (const file of ['index.html', 'sw.js', 'manifest.webmanifest']) {
    if (!existsSync(join(APP_DIR, file)))
      throw new Error(`e2e: ${join(APP_DIR, file)} is missing. Build the app first: npx vite build (npm test does it for you).`)
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolvePort(port))
    })
  })
}

export interface ServerOptions {
  /** Extra or overriding environment, e.g. DATABASE_URL for PostgreSQL or LOG_LEVEL. */
  env?: Record<string, string>
  /** Milliseconds to wait for the first 200 on /api/health. */
  timeoutMs?: number
}

export interface RunningServer {
  /** http://localhost:PORT — the origin the server prints in its setup link. */
  url: string
  port: number
  databaseUrl: string
  /** The one-time setup link printed at start, or null once a branch admin exists. */
  setupUrl: string | null
  /** Everything the server printed since the last (re)start. */
  output: () => string
  /** The server process's id while it runs (benchmarks read its memory from /proc). */
  pid: () => number | undefined
  /** Ends the server and its children. SIGTERM shuts down gracefully; SIGKILL simulates a crash. */
  stop: (signal?: 'SIGTERM' | 'SIGKILL') => Promise<void>
  /** Stops (if running) and starts again on the same port with the same database. */
  restart: () => Promise<void>
  /** Stops and deletes the temporary database directory. */
  dispose: () => Promise<void>
}

/**
 * Starts the real server with `node scripts/start.mjs`: one process (npm would add a parent), in
 * its own process group so stop() ends everything it spawned.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  assertBuilt()
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'xianfeng-e2e-'))
  const databaseUrl = options.env?.DATABASE_URL ?? `sqlite:${join(dir, 'xianfeng.db')}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    APP_DIR,
    ...options.env,
    DATABASE_URL: databaseUrl,
  }
  delete env.PUBLIC_URL
  const url = `http://localhost:${port}`
  let child: ChildProcess | null = null
  let output = ''

  const server: RunningServer = {
    url,
    port,
    databaseUrl,
    setupUrl: null,
    output: () => output,
    pid: () => child?.pid,
    async stop(signal = 'SIGTERM') {
      const running = child
      child = null
      if (!running || running.exitCode !== null || running.signalCode !== null)
        return
      const exited = new Promise<void>(done => running.once('exit', () => done()))
      killGroup(running, signal)
      const timer = setTimeout(() => killGroup(running, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
    async restart() {
      await server.stop()
      await launch()
    },
    async dispose() {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }

  async function launch() {
    output = ''
    const started = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = started
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
    }
    started.stdout?.on('data', collect)
    started.stderr?.on('data', collect)
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    await waitFor(async () => {
      if (started.exitCode !== null)
        throw new Error(`e2e: the server exited with code ${started.exitCode} before answering:\n${output}`)
      return healthy(url)
    }, deadline, () => `e2e: no 200 from ${url}/api/health in time. Server output:\n${output}`)
    // The link is printed right after listen; wait for it whenever setup is still open.
    const setup = await fetch(`${url}/api/setup`).then(r => r.json() as Promise<{ needsSetup: boolean }>)
    server.setupUrl = null
    if (setup.needsSetup) {
      await waitFor(async () => Boolean(setupLink(output)), deadline, () => `e2e: the server printed no setup link:\n${output}`)
      server.setupUrl = setupLink(output)
    }
  }

  try {
    await launch()
  }
  catch (err) {
    await server.dispose()
    throw err
  }
  return server
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    // Negative pid: the whole process group (detached made the child its leader).
    process.kill(-child.pid!, signal)
  }
  catch {
    // Already gone.
  }
}

function setupLink(output: string): string | null {
  return output.match(/https?:\/\/\S+\/setup#[\w-]+/)?.[0] ?? null
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`)
    return res.status === 200
  }
  catch {
    return false
  }
}

/** Polls a condition (never a fixed sleep) until it holds or the deadline passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, deadline: number, message: () => string): Promise<void> {
  for (;;) {
    if (await check())
      return
    if (Date.now() > deadline)
      throw new Error(message())
    await new Promise(r => setTimeout(r, 50))
  }
}

/* ---------- browser ---------- */

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`e2e: Chromium is missing at ${CHROMIUM}; install it with apt-get install chromium (scripts/test-env.sh does)`)
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
}

/** A small Android phone as many older members have: 360×640, touch, Chinese. */
export async function phoneContext(browser: Browser, options: { baseURL?: string, userAgent?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  })
}

/**
 * Waits until the service worker is active and controls the page. A first visit is not
 * controlled (the worker installs during it); the page reloads once, as a phone's next open would.
 */
export async function waitForServiceWorker(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  await waitFor(
    () => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.active)),
    deadline,
    () => `e2e: no active service worker for ${page.url()} after ${timeoutMs} ms (is it registered?)`,
  )
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))))
    await page.reload()
  await waitFor(
    () => page.evaluate(() => Boolean(navigator.serviceWorker.controller)),
    deadline,
    () => `e2e: the service worker is active but does not control ${page.url()}`,
  )
}

/** Puts an API client's session into a browser context, so a page opens logged in. */
export async function useSession(context: BrowserContext, server: RunningServer, client: ApiClient): Promise<void> {
  if (!client.session)
    throw new Error('e2e: this client is not logged in')
  await context.addCookies([{ name: SESSION.cookie, value: client.session, url: server.url, httpOnly: true, sameSite: 'Lax' }])
}

/* ---------- API ---------- */

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, method: string, path: string) {
    super(`${method} ${path} → ${status}: ${body}`)
  }
}

/** fetch with the app's CSRF header and one session cookie, like the PWA's own client. */
export class ApiClient {
  session = ''
  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        [SESSION.csrfHeader]: '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.session ? { cookie: `${SESSION.cookie}=${this.session}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const [name, value = ''] = (pair ?? '').split('=')
      if (name === SESSION.cookie)
        this.session = value
    }
    const text = await res.text()
    if (!res.ok)
      throw new ApiError(res.status, text, method, path)
    return (text ? JSON.parse(text) : undefined) as T
  }

  get = <T>(path: string) => this.request<T>('GET', path)
  post = <T>(path: string, body: unknown = {}) => this.request<T>('POST', path, body)
  patch = <T>(path: string, body: unknown) => this.request<T>('PATCH', path, body)
  delete = <T>(path: string) => this.request<T>('DELETE', path)
}

export function tokenOf(link: string): string {
  const token = new URL(link).hash.slice(1)
  if (!token)
    throw new Error(`e2e: no token in ${link}`)
  return token
}

export interface SeedMember {
  name: string
  login: string
  role?: Role
  /** Index into the seeded groups; null for no group. Defaults to the first group. */
  group?: number | null
  titles?: string[]
}

export interface SeededMember {
  member: Member
  password: string
  /** Logged in through the invite, as the member's phone would be. */
  client: ApiClient
}

export interface SeededBranch {
  admin: ApiClient
  adminMe: Me
  adminLogin: string
  adminPassword: string
  groups: Group[]
  members: SeededMember[]
}

export const DEFAULT_SEED = {
  branchName: '测试党支部',
  groups: ['第一党小组', '第二党小组'],
  members: [
    { name: '张测试', login: 'zhang', role: 'member', group: 0 },
    { name: '李组长', login: 'li', role: 'group_leader', group: 1, titles: ['组长'] },
  ] as SeedMember[],
}

/**
 * Sets up a branch through the API for tests that are not about setup: the first admin from the
 * printed setup link, the groups, and members who each accept an invite and so hold a session.
 */
export async function seedBranch(server: RunningServer, seed: Partial<typeof DEFAULT_SEED> = {}): Promise<SeededBranch> {
  const { branchName, groups: groupNames, members: memberSeeds } = { ...DEFAULT_SEED, ...seed }
  if (!server.setupUrl)
    throw new Error('e2e: seedBranch needs a server that has not been set up yet')
  const admin = new ApiClient(server.url)
  const adminLogin = 'admin'
  const adminPassword = 'admin-pass-1'
  const adminMe = await admin.post<Me>('/api/setup', { token: tokenOf(server.setupUrl), branchName, adminName: '王书记', login: adminLogin, password: adminPassword })
  server.setupUrl = null

  const groups: Group[] = []
  for (const name of groupNames)
    groups.push(await admin.post<Group>('/api/groups', { name }))

  const members: SeededMember[] = []
  for (const seedMember of memberSeeds) {
    const groupIndex = seedMember.group === undefined ? 0 : seedMember.group
    const member = await admin.post<Member>('/api/members', {
      name: seedMember.name,
      login: seedMember.login,
      role: seedMember.role ?? 'member',
      titles: seedMember.titles ?? [],
      groupId: groupIndex === null ? null : groups[groupIndex]?.id ?? null,
    })
    const invite = await admin.post<Invite>(`/api/members/${member.id}/invite`)
    const client = new ApiClient(server.url)
    const password = `${seedMember.login}-pass-1`
    await client.post<Me>(`/api/invites/${tokenOf(invite.url)}/accept`, { password })
    members.push({ member, password, client })
  }
  return { admin, adminMe, adminLogin, adminPassword, groups, members }
}

/**
 * 上级党组织 (issue 14): `npm run upper-admin --attach` on the server's database, as an operator
 * would, so every branch there comes under the new organization; then its admin logged in.
 */
export async function makeUpperAdmin(server: RunningServer, login = 'jggw', password = 'upper-pass-1'): Promise<{ client: ApiClient, stdout: string }> {
  const made = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/upper-admin.ts'), '--org', '机关工委', '--name', '王主任', '--login', login, '--attach'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, XF_UPPER_PASSWORD: password },
    encoding: 'utf8',
  })
  if (made.status !== 0)
    throw new Error(`e2e: npm run upper-admin failed: ${made.stderr}`)
  const client = new ApiClient(server.url)
  await client.post('/api/auth/login', { login, password })
  return { client, stdout: made.stdout }
}
