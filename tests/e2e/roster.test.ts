import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'
import { pdfPageCount } from './pdf'

/* Issue 16 point 6 in the browser: the admin uploads a filled roster, reads every row's verdict,
   imports the good rows, prints their invite QR codes; the same file again adds nobody. */

async function rosterFile(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('名册').addRows([['姓名', '登录名', '党小组', '手机号', '角色', '入党日期'], ...rows])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('importing the roster from Excel', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server)
    browser = await launchBrowser()
    context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.admin)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should preview every row in words, import the good ones, and print their invite QR codes', async () => {
    const file = await rosterFile([
      ['周新', 'zhouxin', '第一党小组', '13800000011', '党员', '2010-07-01'],
      ['吴新', 'wuxin', '第二党小组', '', '党小组长', ''],
      ['', 'noname', '', '', '', ''],
      ['郑新', 'zhengxin', '第九党小组', '', '', ''],
      ['张重名', 'zhang', '', '', '', ''],
    ])
    const page = await context.newPage()
    await page.goto('/admin')
    await page.getByTestId('hub-roster').click()
    await page.getByTestId('roster-template').waitFor()
    await page.getByTestId('roster-file').setInputFiles({ name: '名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file })

    const counts = page.getByTestId('roster-counts')
    await expect.poll(() => counts.textContent().catch(() => '')).toContain('可导入 2 人')
    expect(await counts.textContent()).toContain('有问题 3 行')
    const rows = page.getByTestId('roster-row')
    expect(await rows.count()).toBe(5)
    expect(await rows.nth(2).textContent()).toContain('缺少姓名')
    expect(await rows.nth(3).textContent()).toContain('没有名为「第九党小组」的党小组')
    expect(await rows.nth(4).textContent()).toContain('登录名「zhang」已被其他党员使用')
    await page.screenshot({ path: '/tmp/xf-roster-preview.png', fullPage: true })

    await page.getByTestId('roster-import').click()
    await expect.poll(() => page.getByTestId('roster-result').textContent().catch(() => '')).toContain('已导入 2 名党员')
    const members = await branch.admin.get<{ login: string }[]>('/api/members')
    expect(members.map(m => m.login)).toEqual(expect.arrayContaining(['zhouxin', 'wuxin']))

    await page.getByTestId('roster-invite-all').click()
    await page.waitForURL(/\/admin\/members\/invites$/)
    const cards = page.getByTestId('invite-card')
    await expect.poll(() => cards.count()).toBe(2)
    await expect.poll(() => page.locator('[data-testid=invite-card] img').count()).toBe(2)
    expect(await cards.allTextContents()).toEqual([expect.stringContaining('周新'), expect.stringContaining('吴新')])
    expect(await cards.first().textContent()).toMatch(/\/invite#[\w-]{43}/)
    // The server has no PUBLIC_URL and the links say localhost: the admin is told what to set.
    expect(await page.getByTestId('invite-link-warning').textContent()).toContain('PUBLIC_URL=https://…')
    await page.screenshot({ path: '/tmp/xf-roster-invites.png', fullPage: true })
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdfPageCount(pdf)).toBe(1)
    await page.close()
  })

  it('should add nobody when the same file is uploaded again, showing its rows as 已存在', async () => {
    const file = await rosterFile([
      ['周新', 'zhouxin', '第一党小组', '13800000011', '党员', '2010-07-01'],
      ['吴新', 'wuxin', '第二党小组', '', '党小组长', ''],
    ])
    const page = await context.newPage()
    await page.goto('/admin/members/import')
    await page.getByTestId('roster-file').setInputFiles({ name: '名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file })
    await expect.poll(() => page.getByTestId('roster-counts').textContent().catch(() => '')).toContain('已存在 2 人')
    expect(await page.getByTestId('roster-row').allTextContents()).toEqual([expect.stringContaining('已存在'), expect.stringContaining('已存在')])
    expect(await page.getByTestId('roster-import').isDisabled()).toBe(true)
    await page.getByTestId('roster-file').setInputFiles({ name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,登录名\n') })
    await expect.poll(() => page.getByRole('alert').textContent().catch(() => '')).toContain('这不是 Excel 文件')
    await page.close()
  })
})
