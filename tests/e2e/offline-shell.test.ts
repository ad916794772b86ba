import type { Browser } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, waitForServiceWorker } from './harness'

interface ManifestIcon { src: string, sizes: string, type?: string, purpose?: string }
interface Manifest { name: string, short_name: string, start_url: string, display: string, theme_color: string, icons: ManifestIcon[] }

describe('installable offline shell', () => {
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

  it('should link a manifest with Chinese names, standalone display and 192, 512 and maskable icons that all load (200)', async () => {
    const html = await fetch(server.url).then(r => r.text())
    const href = html.match(/<link[^>]+rel="manifest"[^>]+href="([^"]+)"/)?.[1] ?? html.match(/<link[^>]+href="([^"]+)"[^>]+rel="manifest"/)?.[1]
    expect(href, 'index.html links a manifest').toBeTruthy()

    const res = await fetch(new URL(href!, server.url))
    expect(res.status).toBe(200)
    const manifest = await res.json() as Manifest
    expect(manifest.name).toMatch(/先锋/)
    expect(manifest.short_name).toBe('先锋')
    expect(manifest.start_url).toBe('/')
    expect(manifest.display).toBe('standalone')
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i)

    const any = (size: string) => manifest.icons.find(i => i.sizes === size && (i.purpose ?? 'any').split(' ').includes('any'))
    expect(any('192x192'), '192×192 icon').toBeDefined()
    expect(any('512x512'), '512×512 icon').toBeDefined()
    expect(manifest.icons.some(i => i.purpose?.split(' ').includes('maskable')), 'a maskable icon').toBe(true)
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, server.url))
      expect(image.status, icon.src).toBe(200)
      expect(image.headers.get('content-type'), icon.src).toMatch(/^image\//)
    }
  })

  it('should say in words that there is no network on the login screen, and stop saying it once back online', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    try {
      const page = await context.newPage()
      await page.goto('/login')
      await page.getByRole('button', { name: '登录' }).waitFor()
      expect(await page.getByTestId('offline-banner').count()).toBe(0)
      await context.setOffline(true)
      await expect.poll(() => page.getByTestId('offline-banner').textContent()).toContain('当前没有网络')
      await context.setOffline(false)
      await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0)
    }
    finally {
      await context.close()
    }
  })

  it('should open the app shell and the member’s cached name with the server stopped, on reload and on another route (200 from the service worker)', async () => {
    const [member] = seeded.members
    const context = await phoneContext(browser)
    const page = await context.newPage()

    await page.goto(`${server.url}/login`)
    await page.getByLabel('登录名').fill(member!.member.login)
    await page.getByLabel('密码').fill(member!.password)
    await page.getByRole('button', { name: '登录' }).click()
    const greeting = page.getByRole('heading', { name: new RegExp(member!.member.name) })
    await expect.poll(() => greeting.isVisible(), { timeout: 15_000 }).toBe(true)

    await waitForServiceWorker(page)
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}/sw.js`)

    await server.stop()
    expect(await fetch(`${server.url}/api/health`).then(() => 'answered', () => 'unreachable')).toBe('unreachable')

    await page.reload()
    await expect.poll(() => greeting.isVisible(), { timeout: 15_000 }).toBe(true)

    // A full navigation (not a client-side route change): the service worker must answer it.
    await page.goto(`${server.url}/me`)
    const homeTab = page.getByRole('tab', { name: '首页' })
    await expect.poll(() => homeTab.isVisible(), { timeout: 15_000 }).toBe(true)
    await homeTab.click()
    await expect.poll(() => greeting.isVisible(), { timeout: 15_000 }).toBe(true)
    await context.close()
  })
})
