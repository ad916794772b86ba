import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/* Issue 7: 长辈版 offered on first use, chosen on the home screen, remembered on the phone, switched
   off again in 我的; and status changes said through the app's live region. */
describe('长辈版 and announcements', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server)
    browser = await launchBrowser()
    context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.members[0]!.client)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should offer 长辈版 once, show 18 px text and four big actions once chosen, keep it after a reload, and switch back in 我的', async () => {
    const page = await context.newPage()
    await page.goto('/')
    const textSize = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize))
    await page.getByTestId('elder-prompt').waitFor()
    expect(await textSize()).toBe(16)
    expect(await page.getByTestId('home-log-points').isVisible()).toBe(true)

    await page.getByTestId('elder-prompt-yes').click()
    await page.locator('.home-elder').waitFor()
    expect(await page.getByTestId('elder-prompt').count()).toBe(0)
    expect(await textSize()).toBe(18)
    const tiles = page.locator('.home-actions__tile')
    expect(await tiles.allTextContents()).toEqual(['记积分', '扫码签到', '我的积分', '承诺'])
    for (const box of await tiles.evaluateAll(els => els.map(el => el.getBoundingClientRect())))
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(60)
    expect(await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).lineHeight) / Number.parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(1.3)

    await page.reload()
    await page.locator('.home-elder').waitFor()
    expect(await page.getByTestId('elder-prompt').count()).toBe(0)

    await page.getByRole('tab', { name: /我的$/ }).click()
    const toggle = page.getByRole('switch', { name: /长辈版/ })
    expect(await toggle.getAttribute('aria-checked')).toBe('true')
    await toggle.click()
    expect(await toggle.getAttribute('aria-checked')).toBe('false')
    expect(await textSize()).toBe(16)
    await page.goto('/')
    await page.getByTestId('home-log-points').waitFor()
    // Chosen once (either way): no prompt again, the switch stays on the home screen.
    expect(await page.getByTestId('elder-prompt').count()).toBe(0)
    expect(await page.getByRole('switch', { name: /长辈版/ }).isVisible()).toBe(true)
    await page.close()
  })

  it('should say a toast (已保存) through the live region a screen reader reads', async () => {
    const admin = await phoneContext(browser, { baseURL: server.url })
    await useSession(admin, server, branch.admin)
    const page = await admin.newPage()
    await page.goto('/admin/groups')
    await page.locator('input').first().fill('第三党小组')
    await page.locator('form button[type=submit]').first().click()
    const region = page.getByTestId('announcer')
    expect(await region.getAttribute('aria-live')).toBe('polite')
    await expect.poll(() => region.textContent(), { timeout: 10_000 }).toContain('第三党小组')
    await admin.close()
  })
})
