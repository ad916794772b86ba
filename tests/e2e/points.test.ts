import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

/* Issue 4 end to end: log an entry offline → sync → the group leader approves → the member sees
   the points and the chart; the record sheet renders. */
describe('points in the browser', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
      ],
    })
    browser = await launchBrowser()
    context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.members[0]!.client)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should log an entry offline as 待同步, sync it as 待审核, and show the points once the leader approves', async () => {
    const page = await context.newPage()
    await page.goto('/')
    // Offline, the app's screens come from the service worker's precache.
    await waitForServiceWorker(page)
    await page.getByTestId('home-log-points').click()
    await page.getByTestId('rule-volunteer').click()
    await context.setOffline(true)
    await page.getByTestId('points-note').locator('textarea').fill('进社区宣传食品安全')
    await page.getByTestId('points-save').click()
    await page.getByTestId('points-timeline').waitFor().catch(async (err: unknown) => {
      await page.screenshot({ path: '/tmp/xf-points-fail.png', fullPage: true })
      throw err
    })
    await expect.poll(() => page.getByTestId('status-sync').count(), { timeout: 10_000 }).toBe(1)
    expect(await page.getByTestId('status-sync').textContent()).toContain('待同步')
    // One offline notice, in the sync bar, not a second banner saying the same above it.
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toContain('离线')
    expect(await page.getByTestId('offline-banner').count()).toBe(0)

    await context.setOffline(false)
    await page.getByTestId('sync-now').click().catch(() => {})
    await expect.poll(() => page.getByTestId('status-pending').count(), { timeout: 30_000 }).toBe(1)
    expect(await page.getByTestId('points-pending').textContent()).toContain('2')

    const leader = branch.members[1]!.client
    const queue = await leader.get<{ items: { id: string, note: string }[] }>('/api/points/approvals')
    expect(queue.items.map(e => e.note)).toEqual(['进社区宣传食品安全'])
    await leader.post('/api/points/approvals/approve', { ids: [queue.items[0]!.id] })

    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('status-approved').count(), { timeout: 30_000 }).toBe(1)
    expect(await page.getByTestId('points-total').textContent()).toContain('62')
    await page.getByTestId('points-chart').waitFor()
    await page.screenshot({ path: '/tmp/xf-points-e2e.png', fullPage: true })
  })

  it('should render the 党员平时积分记录表 with the approved entry and the running total', async () => {
    await context.setOffline(false)
    const page = await context.newPage()
    await page.goto('/points/sheet')
    const sheet = page.getByTestId('points-sheet')
    await sheet.waitFor()
    await expect.poll(() => sheet.textContent()).toContain('党员志愿服务')
    expect(await sheet.textContent()).toContain('62')
    await page.screenshot({ path: '/tmp/xf-points-sheet.png', fullPage: true })
  })
})
