import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch, SeedMember } from './harness'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, seedBranch, startServer, useSession } from './harness'
import { pdfOutline, pdfPageCount } from './pdf'

/* Issue 16 point 3: the 党员平时积分记录表 prints like the paper one — one member per A4 page, no
   app chrome (tab bar, sync bar, install card, buttons) on paper, no blank trailing page. Chromium
   prints the built app to PDF; the pages are counted from the PDF and each member's header (a
   heading, so it is in the PDF's outline) is found on its own page. */

const NAMES = ['张一', '张二', '张三', '张四', '李一', '李二', '李三', '王一', '王二', '王三', '赵一']
const CHROME_TEXT = ['首页', '我的', '立即同步', '打印', '下载 Excel', '查看']

describe('printing the 党员平时积分记录表', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    // The branch admin is a member too: with these eleven the branch's sheet has 12 members.
    const members: SeedMember[] = NAMES.map((name, i) => ({ name, login: `p${i + 1}`, role: i === 4 ? 'group_leader' : 'member', group: i < 4 ? 0 : 1 }))
    branch = await seedBranch(server, { members })
    // A few rows on the first member's page, as a real year has.
    const first = branch.members[0]!.member
    for (const [reason, points] of [['参加社区志愿服务', 2], ['学习党章', 1], ['缺席组织生活会', -2]] as const)
      await branch.admin.post('/api/points/approvals/adjustments', { memberId: first.id, date: `${new Date().getFullYear()}-01-1${points + 3}`, reason, category: points > 0 ? 'serve' : 'discipline', points })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  /** A desktop browser (where people print), logged in as `client`, on the sheet once it has rendered. */
  async function sheetPage(client: ApiClient, choose?: (page: Page) => Promise<void>): Promise<{ context: BrowserContext, page: Page }> {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    await useSession(context, server, client)
    const page = await context.newPage()
    await page.goto('/points/sheet')
    await page.getByTestId('points-sheet').waitFor()
    if (choose)
      await choose(page)
    return { context, page }
  }

  /** What print media shows: the visible text, and whether any piece of app chrome is visible. */
  async function printed(page: Page) {
    await page.emulateMedia({ media: 'print' })
    // innerText, not textContent: only what is rendered, which is the point.
    // eslint-disable-next-line unicorn/prefer-dom-node-text-content
    const text = await page.evaluate(() => document.body.innerText)
    const chrome = await page.evaluate(() => [...document.querySelectorAll('.xf-chrome, .van-tabbar, .sync-bar, .pwa-shell, button, .van-button')]
      .filter(el => (el as HTMLElement).offsetParent !== null || el.getClientRects().length > 0)
      .length)
    // Back to no emulation (not 'screen': page.pdf() would then print the screen's layout).
    await page.emulateMedia({ media: null })
    return { text, chrome }
  }

  it('should print one member\'s sheet on exactly one A4 page with no app chrome', async () => {
    const { context, page } = await sheetPage(branch.members[0]!.client)
    // On screen the app is there: the tab bar and the sheet's buttons.
    expect(await page.locator('.van-tabbar').isVisible()).toBe(true)
    const { text, chrome } = await printed(page)
    expect(chrome).toBe(0)
    for (const word of CHROME_TEXT)
      expect(text).not.toContain(word)
    expect(text).toContain('党员平时积分记录表')
    expect(text).toContain('参加社区志愿服务')
    expect(text).toContain('党员签字')

    const pdf = await page.pdf({ format: 'A4', outline: true, tagged: true, printBackground: true, preferCSSPageSize: true })
    writeFileSync('/tmp/xf-print-member.pdf', pdf)
    expect(pdfPageCount(pdf)).toBe(1)
    const heads = pdfOutline(pdf).filter(h => h.title.includes('姓名'))
    expect(heads).toEqual([{ title: expect.stringContaining('姓名：张一') as string, page: 1 }])
    await context.close()
  })

  it('should print the whole branch of 12 on 12 pages, each member on their own page, with no blank page after', async () => {
    const { context, page } = await sheetPage(branch.admin, async (p) => {
      await p.getByRole('radio', { name: '全支部' }).click()
      await p.getByRole('button', { name: '查看' }).click()
      await p.waitForFunction(() => document.querySelectorAll('[data-testid=sheet-member-head]').length === 12)
    })
    const { text, chrome } = await printed(page)
    expect(chrome).toBe(0)
    for (const word of CHROME_TEXT)
      expect(text).not.toContain(word)
    // Every member's page carries the signature lines.
    expect(text.match(/党员签字/g)).toHaveLength(12)

    const pdf = await page.pdf({ format: 'A4', outline: true, tagged: true, printBackground: true, preferCSSPageSize: true })
    writeFileSync('/tmp/xf-print-branch.pdf', pdf)
    expect(pdfPageCount(pdf)).toBe(12)
    const heads = pdfOutline(pdf).filter(h => h.title.includes('姓名'))
    expect(heads.map(h => h.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const names = heads.map(h => /姓名：(\S+)/.exec(h.title)?.[1])
    expect(new Set(names)).toEqual(new Set([...NAMES, '王书记']))
    await context.close()
  })
})
