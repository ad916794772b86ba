import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * The branch's 五个好 review of its groups in Chromium: the branch admin opens it from 组织管理,
 * sees each group's figures for the period beside the five ratings, rates a group (through the
 * outbox), closes the review, and prints the result on A4 without the app's bars.
 */
describe('the 五个好 review of groups in the browser', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server)
    browser = await launchBrowser()
    // One closed 党小组会 of the first group this year: its figures show it.
    const now = Date.now()
    const meeting = await branch.admin.post<{ id: string }>('/api/meetings', { type: 'group_meeting', groupId: branch.groups[0]!.id, topic: '学习党章', startsAt: new Date(now - 20 * 60_000).toISOString(), endsAt: new Date(now + 60 * 60_000).toISOString(), place: '会议室', agenda: '学习' })
    await branch.admin.post(`/api/meetings/${meeting.id}/close`, {})
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should let the branch admin rate a group beside its figures, close the review and print it on A4 without the app\'s bars', async () => {
    context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.admin)
    const page: Page = await context.newPage()
    await page.goto('/admin')
    await page.getByTestId('hub-group-reviews').click()
    await page.getByTestId('review-create').click()
    const first = branch.groups[0]!.id
    const card = page.getByTestId(`group-${first}`)
    await card.waitFor()
    // The figures of the period: one meeting held by the first group.
    await expect.poll(() => card.getByTestId('group-figures').textContent()).toMatch(/组织会议\s*1/)

    for (const d of ['leadership', 'members', 'mechanism', 'results', 'masses'])
      await card.getByTestId(`score-${d}-${d === 'masses' ? 3 : 4}`).click()
    await page.getByTestId('ballot-save').click()
    await expect.poll(() => page.getByText('评分已保存').isVisible()).toBe(true)
    // Synced by the app on its own: the server has the ballot.
    await expect.poll(async () => (await branch.admin.get<{ reviews: { ballots: number }[] }>('/api/group-reviews')).reviews[0]?.ballots, { timeout: 15_000 }).toBe(1)

    await page.getByTestId('review-close').click()
    await page.locator('.van-dialog__confirm').click()
    const result = card.getByTestId('group-result')
    await result.waitFor()
    expect(await result.textContent()).toContain('3.8')

    await page.emulateMedia({ media: 'print' })
    for (const bar of ['.van-tabbar', '.sync-bar', '[data-testid="pwa-install"]', '[data-testid="review-print"]']) {
      const el = page.locator(bar).first()
      expect(await el.count() === 0 || !(await el.isVisible()), bar).toBe(true)
    }
    expect(await result.isVisible()).toBe(true)
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
    expect(pages).toBe(1)
  }, 120_000)
})
