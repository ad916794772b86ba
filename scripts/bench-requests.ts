import type { Page } from 'playwright-core'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from '../tests/e2e/harness'

/*
 * `npx tsx scripts/bench-requests.ts [--list] [--slow]`: how many requests a phone's first visit makes to
 * show the login page and three logged-in screens (home, 记积分, 我的积分), and the layout shift
 * seen meanwhile — against the built app (npx vite build) served by the real server on a fresh
 * database. Request counts do not depend on the machine's load, so this is the figure to compare
 * between builds; Lighthouse (npm run bench:lighthouse) gives the timings. A first visit: empty
 * cache, no service worker yet; the worker's own precache downloads are not the page's requests.
 * --slow loads each page as Lighthouse's mobile run does (slow 4G, 4× CPU), for the layout shift.
 */
const LIST = process.argv.includes('--list')
/** Lighthouse's mobile conditions (slow 4G, a 4× slower CPU), where late files show as layout shifts. */
const SLOW = process.argv.includes('--slow')

interface Seen { requests: string[], cls: number }

async function visit(page: Page, url: string): Promise<Seen> {
  const requests: string[] = []
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error')
      errors.push(msg.text())
  })
  page.on('request', (req) => {
    if (!req.serviceWorker())
      requests.push(`${req.resourceType().padEnd(10)} ${new URL(req.url()).pathname}`)
  })
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number }
    w.__cls = 0
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number, hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput)
          w.__cls += entry.value
      }
    }).observe({ type: 'layout-shift', buffered: true })
  })
  if (SLOW) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  }
  await page.goto(url, { waitUntil: 'networkidle', timeout: 60_000 })
  // A late chunk or font would still count: the page is settled when nothing more comes for a while.
  await page.waitForTimeout(1500)
  const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls)
  // A page that broke loads less: no count from it.
  if (errors.length)
    throw new Error(`${url}: ${errors.join('; ')}`)
  return { requests, cls }
}

async function main(): Promise<void> {
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const seeded = await seedBranch(server)
    const member = seeded.members[0]!
    const pages = [
      { name: 'login', path: '/login', logged: false },
      { name: 'home', path: '/', logged: true },
      { name: 'points-log 记积分', path: '/points/log', logged: true },
      { name: 'points 我的积分', path: '/points', logged: true },
    ]
    console.log(`${'page'.padEnd(20)} requests  js  css  other  CLS`)
    for (const p of pages) {
      const context = await phoneContext(browser)
      if (p.logged)
        await useSession(context, server, member.client)
      const page = await context.newPage()
      const seen = await visit(page, `${server.url}${p.path}`)
      const ended = new URL(page.url()).pathname
      if (ended !== p.path)
        throw new Error(`${p.name} ended on ${ended}`)
      const count = (type: string) => seen.requests.filter(r => r.startsWith(type)).length
      const js = count('script')
      const css = count('stylesheet')
      console.log(`${p.name.padEnd(20 - [...p.name].filter(c => c.charCodeAt(0) > 0x2E80).length)} ${String(seen.requests.length).padStart(8)} ${String(js).padStart(3)} ${String(css).padStart(4)} ${String(seen.requests.length - js - css).padStart(6)}  ${seen.cls.toFixed(3)}`)
      if (LIST)
        console.log(seen.requests.map(r => `    ${r}`).join('\n'))
      await context.close()
    }
  }
  finally {
    await browser.close()
    await server.dispose()
  }
}

void main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
