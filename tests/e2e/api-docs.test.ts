import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, seedBranch, startServer, useSession } from './harness'

/*
 * The API viewer as a developer opens it: Swagger UI at /api/docs, under the app's own
 * Content-Security-Policy, loading nothing from anywhere but this server, and "Try it out"
 * carrying the session cookie of the app logged in in the same browser.
 */
describe('the API viewer at /api/docs', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext
  const violations: string[] = []
  const elsewhere: string[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, { members: [] })
    browser = await launchBrowser()
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } })
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
    context.on('request', (request) => {
      if (!request.url().startsWith(`${server.url}/`) && !request.url().startsWith('data:'))
        elsewhere.push(request.url())
    })
    await useSession(context, server, branch.admin)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should list every operation of the document and run one with the app\'s session, with no CSP violation and no request elsewhere', async () => {
    const doc = await (await fetch(`${server.url}/api/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> }
    const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)

    const page = await context.newPage()
    await page.goto('/api/docs')
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 })
    expect(await page.locator('.opblock').count()).toBe(count)
    await page.getByText('登录与账号 Sign-in and accounts').first().waitFor()

    const me = page.locator('.opblock-get').filter({ hasText: '/api/auth/me' }).first()
    await me.locator('.opblock-summary').click()
    await me.getByRole('button', { name: 'Try it out' }).click()
    await me.getByRole('button', { name: 'Execute' }).click()
    const live = me.locator('.live-responses-table tr.response .response-col_status').first()
    await live.waitFor({ timeout: 15_000 })
    expect((await live.textContent())?.trim()).toBe('200')
    expect(await me.locator('.live-responses-table').textContent()).toContain(branch.adminMe.name)

    expect(violations).toEqual([])
    expect(elsewhere).toEqual([])
  })
})
