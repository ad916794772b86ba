import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseToken, windowAt } from '#shared/meetings/token'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { qrY4m } from './checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, launchBrowser, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

const MIN = 60_000
/** How long before the sync the member scanned: far past the 30 s in which a QR scan counts as fresh. */
const LATE_MS = 3 * MIN
const TOPIC = '学习贯彻全会精神'

/*
 * Issue 5: "an offline scan synced later waits for the organizer, who confirms it", and the camera
 * a member cannot use. The server judges lateness on its own clock, so instead of waiting minutes
 * the devices live in the past: the projector laptop's and the member's phone's clocks (Playwright's
 * clock) read three minutes ago while the member scans with the server stopped; the phone's clock
 * then catches up to now and the server comes back, so the scan arrives three minutes after its
 * window, exactly as a scan made in a room without signal and synced on the way home.
 */
describe('an offline check-in synced late', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let camBrowser: Browser | undefined
  let meetingId: string

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, { members: [{ name: '张测试', login: 'zhang', role: 'member', group: 0 }] })
    const now = Date.now()
    const meeting = await branch.admin.post<{ id: string }>('/api/meetings', {
      type: 'branch_assembly',
      groupId: null,
      topic: TOPIC,
      startsAt: new Date(now - 20 * MIN).toISOString(),
      endsAt: new Date(now + 60 * MIN).toISOString(),
      place: '三楼会议室',
      agenda: '',
    })
    meetingId = meeting.id
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await camBrowser?.close()
    await browser?.close()
    await server?.dispose()
  })

  /** The 签到 screen on the projector laptop, opened online, then showing the code of LATE_MS ago. */
  async function oldTokenFromScreen(): Promise<string> {
    const laptop = await phoneContext(browser, { baseURL: server.url })
    await laptop.clock.install({ time: Date.now() })
    await useSession(laptop, server, branch.admin)
    const screen = await laptop.newPage()
    await screen.goto(`/meetings/${meetingId}/screen`)
    const canvas = screen.locator('canvas[data-token]')
    await canvas.waitFor({ timeout: 20_000 })
    await laptop.clock.setSystemTime(Date.now() - LATE_MS)
    const oldWindow = windowAt(Date.now() - LATE_MS + 10_000)
    await expect.poll(async () => parseToken((await canvas.getAttribute('data-token')) ?? '')?.window ?? Infinity, { timeout: 10_000 }).toBeLessThanOrEqual(oldWindow)
    const token = (await canvas.getAttribute('data-token'))!
    await laptop.close()
    return token
  }

  async function badgeOf(page: Page): Promise<string> {
    const card = page.locator('.checkin__card', { hasText: TOPIC })
    return (await card.locator('.checkin__badge').textContent({ timeout: 5000 }).catch(() => ''))?.trim() ?? ''
  }

  it('should keep the scan as 待同步 while the server is down, show it as 待确认 once synced late, 已签到 once the organizer confirms it, and its points after the close', async () => {
    const token = await oldTokenFromScreen()
    const video = join(tmpdir(), `xf-checkin-late-${Date.now()}.y4m`)
    qrY4m(token, video)
    camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    })
    const phone = await phoneContext(camBrowser, { baseURL: server.url })
    await phone.clock.install({ time: Date.now() - LATE_MS })
    await useSession(phone, server, branch.members[0]!.client)
    const page = await phone.newPage()

    // Online first, as every member's phone has been: the app, its decoder and the meeting are on the phone.
    await page.goto('/me')
    await waitForServiceWorker(page)
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 30_000 }).toContain('已同步')
    await page.goto('/checkin')
    await page.locator('.checkin__card', { hasText: TOPIC }).waitFor()

    await server.stop()
    await page.getByRole('button', { name: '扫码签到' }).first().click()
    const done = page.locator('.checkin__done')
    await done.waitFor({ timeout: 30_000 })
    expect(await done.getAttribute('data-status')).toBe('queued')
    expect(await done.textContent()).toContain('签到已保存在手机上')
    await page.getByRole('button', { name: '返回' }).click()
    await expect.poll(() => badgeOf(page)).toBe('待同步')

    // Three minutes later the phone has signal again.
    await phone.clock.setSystemTime(Date.now())
    await server.restart()
    await page.goto('/me')
    await expect.poll(async () => {
      await page.getByTestId('sync-now').click({ timeout: 2000 }).catch(() => {})
      return page.getByTestId('sync-state').textContent()
    }, { timeout: 60_000, interval: 1000 }).toContain('已同步')
    await page.goto('/checkin')
    await expect.poll(() => badgeOf(page), { timeout: 15_000 }).toBe('待确认')

    // The organizer sees it flagged as a late upload and confirms it on the attendance screen.
    const organizer = await phoneContext(browser, { baseURL: server.url })
    await useSession(organizer, server, branch.admin)
    const attendance = await organizer.newPage()
    await attendance.goto(`/meetings/${meetingId}`)
    const row = attendance.locator('.meetings__row[data-member="张测试"]')
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('pending')
    expect(await row.textContent()).toContain('离线补传')
    await row.getByRole('button', { name: '确认', exact: true }).click()
    // The decision shows at once (待同步) and reaches the server with the organizer's next sync.
    await expect.poll(() => row.getAttribute('data-status')).toBe('verified')
    await expect.poll(() => row.getAttribute('data-sync'), { timeout: 30_000 }).toBe('synced')

    await page.reload()
    await expect.poll(() => badgeOf(page), { timeout: 30_000 }).toBe('已签到')

    // Closing the meeting grants the attendance points, which the member's score history shows.
    await attendance.getByRole('button', { name: '结束会议并统计考勤' }).click()
    await attendance.locator('.van-dialog__confirm').click()
    await attendance.locator('.meetings__status[data-status="closed"]').waitFor({ timeout: 15_000 })
    // Closed on the phone at once; the points once the close has reached the server.
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('2 分')

    await page.goto('/points')
    const entry = page.getByTestId('points-timeline').locator('.van-cell', { hasText: TOPIC })
    await expect.poll(() => entry.count(), { timeout: 30_000 }).toBe(1)
    expect(await entry.textContent()).toContain('参加党员大会/党小组会/党课/主题党日')
    expect(await entry.textContent()).toContain('+2')
    await expect.poll(() => page.getByTestId('points-total').textContent(), { timeout: 15_000 }).toContain('62')
    await page.screenshot({ path: '/tmp/xf-checkin-late-points.png', fullPage: true })
    await organizer.close()
    await phone.close()
  })
})

describe('a camera the member cannot use', () => {
  let server: RunningServer
  let branch: SeededBranch
  const browsers: Browser[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, { members: [{ name: '张测试', login: 'zhang', role: 'member', group: 0 }] })
  })
  afterAll(async () => {
    for (const b of browsers)
      await b.close()
    await server?.dispose()
  })

  async function scanWith(args: string[], setUp: (context: BrowserContext) => Promise<void> = async () => {}): Promise<Page> {
    const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...args] })
    browsers.push(b)
    const context = await phoneContext(b, { baseURL: server.url })
    await setUp(context)
    await useSession(context, server, branch.members[0]!.client)
    const page = await context.newPage()
    await page.goto('/checkin')
    await page.getByRole('button', { name: '扫码签到' }).first().click()
    return page
  }

  it('should say that camera permission is denied and point to the code', async () => {
    // A camera exists, but the member refused it (Chromium's prompt answers "block").
    const page = await scanWith(['--use-fake-device-for-media-stream', '--deny-permission-prompts'])
    const alert = page.getByRole('alert')
    await alert.waitFor({ timeout: 20_000 })
    expect(await alert.textContent()).toContain('没有相机权限')
    expect(await alert.textContent()).toContain('输入签到码')
    await page.getByRole('button', { name: '输入签到码' }).click()
    await page.locator('input[inputmode="numeric"]').waitFor()
  })

  it('should say that the phone has no camera and point to the code', async () => {
    // Permission granted, but no camera at all (no fake device, and this machine has none).
    const page = await scanWith(['--use-fake-ui-for-media-stream'])
    const alert = page.getByRole('alert')
    await alert.waitFor({ timeout: 20_000 })
    expect(await alert.textContent()).toContain('找不到可用的相机')
  })
})
