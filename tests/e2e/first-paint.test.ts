import type { Browser, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * Issue 17: a phone's first visit loads few files. The login screen is the shell and one chunk
 * (Vant, the forms' error words, the screen) with one stylesheet, and asks the server nothing when
 * nobody is cached. Vant's rules come in one stylesheet, after the shell's theme and before every
 * screen's own CSS, whichever screen opens first: in another order rules of equal weight on one
 * element resolve otherwise (text clipped at 200 %).
 */
describe('first paint', () => {
  let server: RunningServer
  let seeded: SeededBranch
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    seeded = await seedBranch(server)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  /** Opens a path on a new phone (empty cache, no service worker yet) and lists what it fetched. */
  async function firstVisit(path: string, loggedIn: boolean): Promise<{ page: Page, requests: { type: string, path: string }[] }> {
    const context = await phoneContext(browser, { baseURL: server.url })
    if (loggedIn)
      await useSession(context, server, seeded.members[0]!.client)
    const page = await context.newPage()
    const requests: { type: string, path: string }[] = []
    page.on('request', (req) => {
      if (!req.serviceWorker())
        requests.push({ type: req.resourceType(), path: new URL(req.url()).pathname })
    })
    await page.goto(path, { waitUntil: 'networkidle' })
    return { page, requests }
  }

  /** The page's stylesheets in the order the browser applies them, with whether each holds Vant's own rules. */
  function sheets(page: Page) {
    return page.evaluate(() => [...document.styleSheets].map((sheet) => {
      const text = [...sheet.cssRules].map(r => r.cssText).join('\n')
      return { href: new URL(sheet.href ?? location.href).pathname, vant: /(?:^|\n)\.van-cell \{/.test(text) }
    }))
  }

  it('should show the login screen from the shell and one chunk with one stylesheet, asking the server nothing', async () => {
    const { page, requests } = await firstVisit('/login', false)
    await expect.poll(() => page.getByRole('button', { name: '登录' }).isVisible()).toBe(true)
    expect(requests.filter(r => r.path.startsWith('/api/'))).toEqual([])
    // index.html's script and stylesheet; the screen's chunk with the bundler's helpers, and its stylesheet.
    expect(requests.filter(r => r.type === 'script').length, JSON.stringify(requests)).toBeLessThanOrEqual(3)
    // The shell's theme is in the page itself: one stylesheet to fetch, and the theme applies (not blocked by the CSP).
    expect(requests.filter(r => r.type === 'stylesheet').length, JSON.stringify(requests)).toBeLessThanOrEqual(1)
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--xf-red').trim())).toBe('#b71c1c')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(245, 245, 245)')
    await page.context().close()
  })

  it('should apply Vant\'s one stylesheet after the theme and before every screen stylesheet on 记积分', async () => {
    const { page, requests } = await firstVisit('/points/log', true)
    await expect.poll(() => page.getByTestId('rule-volunteer').isVisible()).toBe(true)
    const order = await sheets(page)
    const vant = order.filter(s => s.vant)
    expect(vant.length, JSON.stringify(order)).toBe(1)
    const at = order.indexOf(vant[0]!)
    // The shell's theme first; everything after Vant's sheet is our screens' and parts' CSS.
    expect(at).toBe(1)
    expect(order.length).toBeGreaterThan(at + 1)
    // Before: about 60 requests for this screen; the layout, shared parts and the screen come in a few files.
    expect(requests.filter(r => r.type === 'script' || r.type === 'stylesheet').length, JSON.stringify(requests)).toBeLessThanOrEqual(14)
    await page.context().close()
  })

  it('should ask for a screen\'s files with the page itself, not after the shell has run and asked the server', async () => {
    for (const [path, screen] of [['/points/log', 'PointsLogPage'], ['/points', 'PointsPage'], ['/', 'HomePage']] as const) {
      const { page, requests } = await firstVisit(path, true)
      await expect.poll(() => page.locator('.van-tabbar').isVisible()).toBe(true)
      const firstApi = requests.findIndex(r => r.path.startsWith('/api/'))
      const files = requests.filter(r => r.type === 'script' || r.type === 'stylesheet')
      // The index.html the server sent for this address names them: the browser asks while reading it.
      expect(requests.findIndex(r => r.path.includes(`/${screen}-`)), path).toBeGreaterThan(0)
      expect(requests.findIndex(r => r.path.includes(`/${screen}-`)), path).toBeLessThan(firstApi)
      expect(requests.slice(0, firstApi).filter(r => r.type === 'script' || r.type === 'stylesheet').length, path).toBe(files.length)
      await page.context().close()
    }
  })

  it('should not make the browser lay the page out again and again while a screen first renders', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, seeded.members[0]!.client)
    // Each read of an element's box in the middle of rendering forces a layout, on a slow phone the
    // largest single cost of opening a screen: Vant's bars measured themselves four times, for a
    // placeholder this app does not show (vite.config.ts, lazyVantPlaceholder).
    await context.addInitScript(() => {
      const w = window as unknown as { __boxReads: string[] }
      w.__boxReads = []
      const read = Element.prototype.getBoundingClientRect
      Element.prototype.getBoundingClientRect = function (this: Element) {
        w.__boxReads.push(this.className.toString())
        return read.call(this)
      }
      const scroll = window.scrollTo.bind(window)
      window.scrollTo = ((...args: Parameters<typeof window.scrollTo>) => {
        w.__boxReads.push('scrollTo')
        return scroll(...args)
      }) as typeof window.scrollTo
    })
    const page = await context.newPage()
    await page.goto('/points/log', { waitUntil: 'networkidle' })
    await expect.poll(() => page.getByTestId('rule-volunteer').isVisible()).toBe(true)
    // Vant's bars measured again 100, 200 and 300 ms after mounting.
    await page.waitForTimeout(500)
    const reads = await page.evaluate(() => (window as unknown as { __boxReads: string[] }).__boxReads)
    expect(reads.filter(r => /van-(?:tabbar|nav-bar)/.test(r)), JSON.stringify(reads)).toEqual([])
    // The first screen is at its top already: no scroll to the top in the middle of rendering it.
    expect(reads).not.toContain('scrollTo')
    // Going on to another screen still opens it at its top.
    await page.evaluate(() => {
      document.body.style.minHeight = '3000px'
      window.scrollTo(0, 400)
    })
    expect(await page.evaluate(() => window.scrollY)).toBe(400)
    await page.getByRole('tab', { name: '我的积分' }).click()
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0)
    await context.close()
  })
})
