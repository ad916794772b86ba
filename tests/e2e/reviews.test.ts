import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * 定期讲评 in Chromium (issue 12): the group leader creates and opens a session, two members write
 * their 陈述 (one with no signal) and rate each other, the leader closes it, each member sees their
 * own averages, and the result sheet prints on one A4 page without the app's bars.
 */
describe('a group\'s 讲评 from the phones', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
        { name: '张一', login: 'zhang', role: 'member', group: 0 },
        { name: '王二', login: 'wang', role: 'member', group: 0 },
      ],
    })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const c of contexts)
      await c.close()
    await browser?.close()
    await server?.dispose()
  })

  async function phone(who: SeededBranch['members'][number]): Promise<{ context: BrowserContext, page: Page }> {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await useSession(context, server, who.client)
    return { context, page: await context.newPage() }
  }

  /** Fills every dimension of one member's sheet with the given answer. */
  async function rate(page: Page, name: string, score: number, comment?: string) {
    const sheet = page.getByTestId(`ratee-${name}`)
    for (const d of ['study', 'excel', 'serve', 'discipline', 'uphold'])
      await sheet.locator(`button[data-dimension="${d}"][data-score="${score}"]`).click()
    if (comment)
      await sheet.locator('textarea').fill(comment)
  }

  async function writeStatement(page: Page, participation: string) {
    await page.getByTestId('statement-participation').fill(participation)
    await page.getByTestId('statement-pledges').fill('承诺的三件事都已完成')
    await page.getByTestId('statement-improvement').fill('加强理论学习')
    await page.getByTestId('statement-save').click()
    await page.getByTestId('statement-saved').waitFor()
  }

  it('should hold the review and show each member their own averages, and print the sheet on A4', async () => {
    const [li, zhang, wang] = branch.members as [SeededBranch['members'][number], SeededBranch['members'][number], SeededBranch['members'][number]]
    const status = async (id: string) => (await li.client.get<{ session: { status: string } }>(`/api/reviews/${id}`)).session.status

    // The leader creates the session and opens rating.
    const leader = await phone(li)
    await leader.page.goto('/reviews/new')
    await leader.page.getByTestId('review-period').selectOption('2026-H1')
    await leader.page.getByTestId('review-create').click()
    await leader.page.waitForURL(/\/reviews\/[0-9a-f-]{36}$/)
    const id = leader.page.url().split('/').at(-1)!
    await expect.poll(() => li.client.get<{ id: string }[]>('/api/reviews').then(list => list.some(r => r.id === id)), { timeout: 30_000 }).toBe(true)
    await leader.page.getByTestId('review-advance').click()
    await expect.poll(() => status(id), { timeout: 30_000 }).toBe('open')
    await leader.page.getByTestId('review-advance').click()
    await expect.poll(() => status(id), { timeout: 30_000 }).toBe('rating')

    // 张一 writes and rates online.
    const a = await phone(zhang)
    await a.page.goto(`/reviews/${id}`)
    await writeStatement(a.page, '参加了全部组织生活')
    await rate(a.page, '王二', 3, '多参加志愿服务')
    await rate(a.page, '李组长', 4)
    await a.page.getByTestId('ballot-save').click()
    await a.page.getByTestId('ballot-saved').waitFor()

    // 王二 opens the page, loses the signal, writes and rates; it lands when back online.
    const b = await phone(wang)
    await b.page.goto(`/reviews/${id}`)
    await b.page.getByTestId('statement-participation').waitFor()
    await b.context.setOffline(true)
    await writeStatement(b.page, '没有信号时写的陈述')
    // Rating oneself is not offered: only the others have a sheet.
    expect(await b.page.getByTestId('ratee-王二').count()).toBe(0)
    await rate(b.page, '张一', 4, '学习认真')
    await b.page.getByTestId('ballot-save').click()
    await b.page.getByTestId('ballot-saved').waitFor()
    const statements = () => li.client.get<{ statements: { memberName: string }[], ballots: number }>(`/api/reviews/${id}`)
    expect((await statements()).statements.map(s => s.memberName)).not.toContain('王二')
    await b.context.setOffline(false)
    await expect.poll(async () => (await statements()).statements.map(s => s.memberName).sort(), { timeout: 30_000 }).toEqual(['张一', '王二'].sort())
    await expect.poll(async () => (await statements()).ballots, { timeout: 30_000 }).toBe(2)

    // The leader closes it (after confirming).
    await leader.page.reload()
    await leader.page.getByTestId('review-advance').click()
    await leader.page.locator('.van-dialog__confirm').click()
    await expect.poll(() => status(id), { timeout: 30_000 }).toBe('closed')

    // Each member sees their own averages, not another's.
    await a.page.reload()
    await expect.poll(() => a.page.getByTestId('my-overall').textContent(), { timeout: 30_000 }).toContain('4.00')
    expect(await a.page.getByTestId('my-result').textContent()).toContain('学习认真')
    await b.page.reload()
    await expect.poll(() => b.page.getByTestId('my-overall').textContent(), { timeout: 30_000 }).toContain('3.00')
    expect(await b.page.getByTestId('my-result').textContent()).toContain('多参加志愿服务')

    // The result sheet: on screen with its buttons; printed, one A4 page with none of the app's bars.
    await leader.page.goto(`/reviews/${id}/results`)
    await leader.page.getByTestId('result-王二').waitFor()
    expect(await leader.page.getByTestId('review-print').isVisible()).toBe(true)
    await leader.page.emulateMedia({ media: 'print' })
    expect(await leader.page.getByTestId('review-sheet').isVisible()).toBe(true)
    expect(await leader.page.locator('.review-a4__table').isVisible()).toBe(true)
    expect(await leader.page.locator('.review-a4__table').textContent()).toContain('3.00')
    expect(await leader.page.getByTestId('review-print').isVisible()).toBe(false)
    for (const chrome of ['.van-tabbar', '.sync-bar', '.pwa-card', '.van-nav-bar'])
      expect(await leader.page.locator(chrome).filter({ visible: true }).count(), chrome).toBe(0)
    const pdf = await leader.page.pdf({ format: 'A4', printBackground: true })
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1)
  }, 180_000)
})
