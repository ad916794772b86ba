import type { Browser, BrowserContext } from 'playwright-core'
import type { SyncWorld } from './sync-harness'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiClient, launchBrowser, phoneContext, waitForServiceWorker } from './harness'
import { openLoggedIn, pendingCount, setPhone, startSyncWorld, syncUntilEmpty, waitUntil } from './sync-harness'

/* DESIGN §1 cases 1, 2, 3, 5, 9 and the chaos test, in Chromium against the built app and the real server. */
describe('offline outbox and sync in the browser', () => {
  let world: SyncWorld
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    world = await startSyncWorld()
    browser = await launchBrowser()
  })
  beforeEach(async () => {
    world.proxy.mode = 'pass'
    world.proxy.swSuffix = ''
    context = await phoneContext(browser)
  })
  afterEach(async () => {
    await context.close()
  })

  afterAll(async () => {
    await browser?.close()
    await world?.dispose()
  })

  const profileOps = (phone: string) => world.rows(`select op_id, status from sync_op where type = 'profile.update' and result like ?`, `%"phone":"${phone}"%`)
  const profileChanges = (phone: string) => world.rows(`select seq from change_log where entity = 'profile' and data like ?`, `%"phone":"${phone}"%`)
  const serverPhone = () => (world.rows(`select phone from member where login = ?`, world.login)[0] as { phone: string | null }).phone

  it('should keep a write made offline through a reload, mark it 待同步, and apply it once when the network returns (case 1)', async () => {
    const page = await openLoggedIn(context, world)
    await waitForServiceWorker(page)
    world.proxy.mode = 'down'
    await setPhone(page, '13800000001')
    await expect.poll(() => pendingCount(page)).toBe(1)
    expect(await page.getByTestId('badge-pending').count()).toBe(1)

    await page.reload()
    await page.getByTestId('sync-status').waitFor()
    await expect.poll(() => pendingCount(page)).toBe(1)
    expect(await page.getByTestId('phone-value').textContent()).toBe('13800000001')
    expect(profileOps('13800000001')).toHaveLength(0)

    world.proxy.mode = 'pass'
    await syncUntilEmpty(page)
    expect(profileOps('13800000001')).toEqual([{ op_id: expect.any(String), status: 'applied' }])
    expect(profileChanges('13800000001')).toHaveLength(1)
    expect(serverPhone()).toBe('13800000001')
    expect(await page.getByTestId('badge-pending').count()).toBe(0)
  })

  it('should count a write once when the server committed it but the reply was lost (case 2)', async () => {
    const page = await openLoggedIn(context, world)
    world.proxy.mode = 'drop-push'
    const before = world.proxy.pushes
    await setPhone(page, '13800000002')
    await waitUntil(() => world.proxy.pushes > before, 20_000, 'the push to reach the server')
    expect(profileOps('13800000002')).toHaveLength(1)
    expect(await pendingCount(page)).toBe(1)

    world.proxy.mode = 'pass'
    await syncUntilEmpty(page)
    expect(world.proxy.pushes).toBeGreaterThanOrEqual(before + 2)
    expect(profileOps('13800000002')).toHaveLength(1)
    expect(profileChanges('13800000002')).toHaveLength(1)
  })

  it('should apply an op once when two tabs sync at the same moment, and clear 待同步 in both (case 3)', async () => {
    const a = await openLoggedIn(context, world)
    const b = await context.newPage()
    await b.goto(`${world.proxy.url}/me`)
    await b.getByTestId('sync-status').waitFor()
    world.proxy.mode = 'down'
    await setPhone(a, '13800000003')
    await expect.poll(() => pendingCount(b), { timeout: 10_000 }).toBe(1)

    world.proxy.mode = 'pass'
    await Promise.all([a.getByTestId('sync-now').click(), b.getByTestId('sync-now').click()])
    await syncUntilEmpty(a)
    await expect.poll(() => pendingCount(b), { timeout: 10_000 }).toBe(0)
    expect(profileOps('13800000003')).toHaveLength(1)
    expect(profileChanges('13800000003')).toHaveLength(1)
  })

  it('should pause on 401 with every op kept, ask to log in again, and finish after login (case 5)', async () => {
    const own = new ApiClient(world.proxy.url)
    await own.post('/api/auth/login', { login: world.login, password: world.password })
    const page = await openLoggedIn(context, world, '/me', own)
    world.proxy.mode = 'down'
    for (const phone of ['13800000051', '13800000052', '13800000053'])
      await setPhone(page, phone)
    await expect.poll(() => pendingCount(page)).toBe(3)

    // The session ends on the server (revoked elsewhere) while the phone is offline.
    const cookie = (await context.cookies()).find(c => c.name === 'xf_session')!.value
    world.proxy.mode = 'pass'
    await fetch(`${world.proxy.url}/api/auth/logout`, { method: 'POST', headers: { 'x-xianfeng': '1', 'cookie': `xf_session=${cookie}` } })
    await page.getByTestId('sync-now').click()
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toContain('登录已过期')
    expect(await pendingCount(page)).toBe(3)
    expect(profileOps('13800000051')).toHaveLength(0)

    await page.getByRole('button', { name: '重新登录' }).click()
    await page.getByPlaceholder('登录名或手机号').fill(world.login)
    await page.getByPlaceholder('请输入密码').fill(world.password)
    await page.locator('button[type=submit]').click()
    await page.getByTestId('sync-status').waitFor()
    await syncUntilEmpty(page)
    for (const phone of ['13800000051', '13800000052', '13800000053'])
      expect(profileOps(phone)).toHaveLength(1)
    expect(serverPhone()).toBe('13800000053')
  })

  it('should lose no queued op when a new service worker takes over and the page reloads (case 9)', async () => {
    let page = await openLoggedIn(context, world)
    await waitForServiceWorker(page)
    world.proxy.mode = 'down'
    await setPhone(page, '13800000009')
    await expect.poll(() => pendingCount(page)).toBe(1)

    // The new worker's files load; the queued op cannot leave before the reload.
    world.proxy.mode = 'api-down'
    world.proxy.swSuffix = `// update ${Date.now()}`
    const installed = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      await reg!.update()
      const worker = reg!.installing ?? reg!.waiting
      if (!worker)
        return false
      await new Promise<void>((resolve) => {
        const done = () => worker.state === 'installed' || worker.state === 'activated'
        if (done())
          resolve()
        worker.addEventListener('statechange', () => done() && resolve())
      })
      worker.postMessage({ type: 'SKIP_WAITING' })
      return true
    })
    expect(installed, 'a new service worker version installed').toBe(true)

    // The app is closed and opened again (the phone's "reload"): the new worker serves it.
    await page.close()
    page = await context.newPage()
    await page.goto(`${world.proxy.url}/me`)
    await page.getByTestId('sync-status').waitFor()
    await expect.poll(() => page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      return Boolean(navigator.serviceWorker.controller) && !reg?.waiting && !reg?.installing
    }), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => pendingCount(page)).toBe(1)
    expect(profileOps('13800000009')).toHaveLength(0)

    world.proxy.mode = 'pass'
    await syncUntilEmpty(page)
    expect(profileOps('13800000009')).toHaveLength(1)
  })

  it('should end with exactly N applied ops after N writes while the network flaps and the server restarts (chaos)', async () => {
    const N = 24
    const page = await openLoggedIn(context, world)
    await waitForServiceWorker(page)
    const phones = Array.from({ length: N }, (_, i) => `139${String(i).padStart(8, '0')}`)
    const chaosState = { writing: true }
    let restarts = 0
    const chaos = (async () => {
      const modes = ['pass', 'down', 'drop-push'] as const
      while (chaosState.writing) {
        world.proxy.mode = modes[Math.floor(Math.random() * modes.length)]!
        await new Promise(r => setTimeout(r, 150 + Math.random() * 500))
        if (restarts < 3 && Math.random() < 0.15) {
          restarts++
          await world.server.restart()
        }
      }
    })()
    for (const phone of phones)
      await setPhone(page, phone)
    chaosState.writing = false
    await chaos
    while (restarts < 3) {
      restarts++
      await world.server.restart()
    }
    world.proxy.mode = 'pass'
    await syncUntilEmpty(page, 90_000)

    const applied = phones.flatMap(p => profileOps(p))
    expect(applied).toHaveLength(N)
    expect(new Set(applied.map(r => (r as { op_id: string }).op_id)).size).toBe(N)
    expect(phones.flatMap(p => profileChanges(p))).toHaveLength(N)
    expect(serverPhone()).toBe(phones[N - 1])
  })
})
