import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'
import { pdfPageCount } from './pdf'

/*
 * 年度积分与表现记录 in Chromium (issue 13 item 7): a member opens 我的 → 年度记录 and prints their
 * own year on exactly one A4 page without the app's bars (and, with no signal, still sees what was
 * last loaded and when); the branch admin prints the whole branch, one page per member, and
 * downloads the .xlsx with a row per member.
 */
describe('each member\'s annual record', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []
  const year = new Date().getFullYear()

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张一', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
        { name: '王二', login: 'wang', role: 'member', group: 1 },
      ],
    })
    const zhang = branch.members[0]!.member
    await branch.admin.post('/api/points/approvals/adjustments', { memberId: zhang.id, date: `${year}-01-15`, reason: '参加社区志愿服务', category: 'serve', points: 3 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const c of contexts)
      await c.close()
    await browser?.close()
    await server?.dispose()
  })

  async function open(client: ApiClient, phone: boolean): Promise<{ context: BrowserContext, page: Page }> {
    const context = phone
      ? await phoneContext(browser, { baseURL: server.url })
      : await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
    contexts.push(context)
    await useSession(context, server, client)
    return { context, page: await context.newPage() }
  }

  /** Under print media: whether any of the app's bars is visible. Then back to no emulation (page.pdf() prints). */
  async function chromeWhenPrinted(page: Page): Promise<number> {
    await page.emulateMedia({ media: 'print' })
    let visible = 0
    for (const chrome of ['.van-tabbar', '.sync-bar', '.pwa-card', '.van-nav-bar', 'button'])
      visible += await page.locator(chrome).filter({ visible: true }).count()
    await page.emulateMedia({ media: null })
    return visible
  }

  it('should let a member open their own year from 我的 and print it on one A4 page, offline too', async () => {
    const { context, page } = await open(branch.members[0]!.client, true)
    await page.goto('/me')
    await page.getByTestId('me-records').click()
    await page.getByTestId('record-member').waitFor()
    expect(new URL(page.url()).searchParams.get('scope')).toBe('member')
    expect(new URL(page.url()).searchParams.get('year')).toBe(String(year))
    expect(await page.getByTestId('record-member').count()).toBe(1)
    expect(await page.getByTestId('record-member-head').textContent()).toContain('张一')
    const total = Number(await page.getByTestId('record-total').textContent())
    expect(total).toBeGreaterThan(0)
    // On screen the app is around it; on paper none of it.
    expect(await page.locator('.van-tabbar').isVisible()).toBe(true)
    expect(await chromeWhenPrinted(page)).toBe(0)
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    expect(pdfPageCount(pdf)).toBe(1)

    // No signal: the year as last loaded, and when.
    await context.setOffline(true)
    // Back to 我的 inside the app (the page is already on the phone), then in again.
    await page.goBack()
    await page.getByTestId('me-records').click()
    await page.getByTestId('record-offline').waitFor()
    expect(await page.getByTestId('record-offline').textContent()).toMatch(/没有网络.*\d:\d{2}/)
    expect(Number(await page.getByTestId('record-total').textContent())).toBe(total)
    await context.setOffline(false)
  }, 60_000)

  it('should print the whole branch one member per page and download the .xlsx with a row per member', async () => {
    const { page } = await open(branch.admin, false)
    await page.goto('/admin')
    await page.getByTestId('hub-records').click()
    // Four members: the three seeded and the 书记 who set the branch up.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=record-member]').length === 4)
    expect(new URL(page.url()).searchParams.get('scope')).toBe('branch')
    expect(await chromeWhenPrinted(page)).toBe(0)
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    expect(pdfPageCount(pdf)).toBe(4)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('record-xlsx').click()])
    expect(download.suggestedFilename()).toMatch(/年度积分与表现记录\.xlsx$/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    // A header row and a row per member.
    expect(sheet.rowCount).toBe(5)
    const names = sheet.getRows(2, 4)!.map(r => r.getCell(1).value)
    expect(new Set(names)).toEqual(new Set(['张一', '李组长', '王二', '王书记']))
  }, 60_000)
})
