import type { MeetingScreen } from '#shared/meetings/schemas'
import type { Browser, BrowserContext } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { codeForWindow, importMeetingKey, windowAt } from '#shared/meetings/token'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { qrY4m } from './checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

const MIN = 60_000
const TOPIC = '学习贯彻会议精神'

/*
 * The built app under its Content-Security-Policy: every screen a member, an organizer and the
 * public open — login, home, 记积分, the QR scan through the zxing-wasm decoder, the organizer's
 * rotating code and attendance list, the public board — and the service worker serving the shell
 * with the server stopped, with not one CSP violation reported by any page.
 */
describe('the app under its Content-Security-Policy', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let meetingId: string
  const video = join(tmpdir(), `xf-csp-${Date.now()}.y4m`)
  const violations: string[] = []
  const contexts: BrowserContext[] = []

  /** A phone whose every page reports CSP violations (events and console messages) to the test. */
  async function watched(): Promise<BrowserContext> {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await context.exposeBinding('__xfCspViolation', (_source, text: string) => {
      violations.push(text)
    })
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        void (window as unknown as { __xfCspViolation: (t: string) => void }).__xfCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`)
      })
    })
    context.on('console', (message) => {
      if (message.text().includes('Content Security Policy'))
        violations.push(message.text())
    })
    return context
  }

  async function pushCheckin(client: ApiClient, payload: Record<string, unknown>) {
    const op = { opId: randomUUID(), seq: 1, type: 'checkin.create', payload, clientTime: new Date().toISOString() }
    return client.post<{ results: { status: string }[] }>('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [op] })
  }

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server)
    const now = Date.now()
    meetingId = (await branch.admin.post<{ id: string }>('/api/meetings', {
      type: 'branch_assembly',
      groupId: null,
      topic: TOPIC,
      startsAt: new Date(now - 30 * MIN).toISOString(),
      endsAt: new Date(now + 60 * MIN).toISOString(),
      place: '三楼会议室',
      agenda: '',
    })).id
    // The fake camera shows the code of the next window: fresh for the next ~50 s (one window ahead is the clock grace).
    const screen = await branch.admin.get<MeetingScreen>(`/api/meetings/${meetingId}/screen`)
    const key = await importMeetingKey(screen.key)
    qrY4m((await codeForWindow(key, meetingId, windowAt(Date.now()) + 1)).token, video)
    // 李组长 scanned 25 minutes ago, offline, and the phone claims 5 minutes ago: a flagged late scan.
    const late = await codeForWindow(key, meetingId, windowAt(now - 25 * MIN))
    const pushed = await pushCheckin(branch.members[1]!.client, { meetingId, token: late.token, scannedAt: new Date(now - 5 * MIN).toISOString() })
    expect(pushed.results[0]!.status).toBe('applied')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    })
  })
  afterAll(async () => {
    for (const context of contexts)
      await context.close().catch(() => {})
    await browser?.close()
    await server?.dispose()
    rmSync(video, { force: true })
  })

  it('should send the policy with the shell and keep it to our own origin', async () => {
    const res = await fetch(server.url)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain('default-src \'self\'')
    expect(csp).toContain('frame-ancestors \'none\'')
    expect(csp).not.toMatch(/unsafe-inline|https?:|\*/)
  })

  let member: BrowserContext
  let probeStart = Infinity
  it('should log in, open home and 记积分, and check in by scanning the QR with the zxing-wasm decoder', async () => {
    member = await watched()
    const page = await member.newPage()
    await page.goto('/login')
    const zhang = branch.members[0]!
    await page.getByLabel('登录名').fill(zhang.member.login)
    await page.getByLabel('密码').fill(zhang.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('heading', { name: new RegExp(zhang.member.name) }).waitFor({ timeout: 15_000 })
    await page.getByTestId('home-log-points').click()
    await page.getByTestId('rule-volunteer').waitFor({ timeout: 15_000 })

    // ?zxing forces the wasm decoder even where the browser has its own: the one that needs 'wasm-unsafe-eval'.
    await page.goto('/checkin?zxing')
    await page.getByRole('button', { name: '扫码签到' }).first().click()
    await page.locator('.checkin__done[data-status="verified"]').waitFor({ timeout: 30_000 })
    expect(await page.evaluate(() => document.documentElement.dataset.xfDecoder)).toBe('zxing')
  })

  it('should show the organizer\'s rotating QR, and the late scan\'s flag with both clocks in the attendance list', async () => {
    const organizer = await watched()
    await useSession(organizer, server, branch.admin)
    const page = await organizer.newPage()
    await page.goto(`/meetings/${meetingId}/screen`)
    await page.locator('canvas[data-token]').waitFor({ timeout: 20_000 })
    await page.getByText('张测试').waitFor({ timeout: 15_000 })

    await page.goto(`/meetings/${meetingId}`)
    const row = page.locator('.meetings__row[data-member="李组长"]')
    await row.waitFor({ timeout: 15_000 })
    expect(await row.getAttribute('data-status')).toBe('pending')
    expect(await row.textContent()).toContain('离线补传，手机时间与签到码不符')
    expect(await row.locator('.meetings__row-flag[data-flag="late_clock"]').textContent()).toMatch(/相差 20 分钟/)
  })

  it('should show the public board with its QR image to a visitor with no session', async () => {
    const { slug } = await branch.members[0]!.client.get<{ slug: string }>('/api/pledges/board-link')
    const visitor = await watched()
    const page = await visitor.newPage()
    await page.goto(`/board/${slug}`)
    const qr = page.locator('[data-testid=board-qr]')
    await qr.waitFor({ timeout: 15_000 })
    await expect.poll(() => qr.evaluate(el => (el.querySelector('img') ?? el as HTMLImageElement).naturalWidth > 0), { timeout: 10_000 }).toBe(true)
  })

  it('should keep the service worker in control and reopen the app with the server stopped', async () => {
    const page = await member.newPage()
    await page.goto('/')
    await waitForServiceWorker(page)
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}/sw.js`)
    await server.stop()
    await page.reload()
    await page.getByRole('heading', { name: new RegExp(branch.members[0]!.member.name) }).waitFor({ timeout: 15_000 })
    // The shell came from the precache with its headers: the policy still holds offline (this probe's own report is left out below).
    probeStart = violations.length
    // An inline script (DevTools' own evaluate is exempt from the policy, a page's inline script is not).
    expect(await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'window.__xfInline = 1'
      document.head.append(script)
      await new Promise(r => setTimeout(r, 100))
      return (window as unknown as { __xfInline?: number }).__xfInline === 1 ? 'ran' : 'blocked'
    })).toBe('blocked')
    // …and is reported like any violation would be: the listeners this test relies on do hear them.
    await expect.poll(() => violations.slice(probeStart).some(v => v.includes('script-src')), { timeout: 5000 }).toBe(true)
  })

  it('should have reported no CSP violation on any of these screens', () => {
    expect(violations.slice(0, probeStart)).toEqual([])
  })
})
