import type { Browser, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, makeUpperAdmin, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * Issue 14 point 4 end to end: the upper admin opens 支部争先, rates the branch beside its figures
 * and closes it; evaluates (评诺) an item of the branch's published pledge to the organization; the
 * branch admin then reads the organization's rating on their own 支部争先评价 page.
 */
const year = new Date().getFullYear()
const TARGET = '年内建成党员先锋岗 3 个'
const TARGET2 = '开放党员活动室供群众使用'

function visible(page: Page, locator: ReturnType<Page['locator']>) {
  return expect.poll(() => locator.isVisible(), { timeout: 15_000, message: `visible on ${page.url()}` }).toBe(true)
}

describe('支部争先 and the organization\'s 评诺 of a branch pledge', () => {
  let server: RunningServer
  let branch: SeededBranch
  let upper: ApiClient
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, { members: [] })
    upper = (await makeUpperAdmin(server)).client
    // The branch's own pledge to the organization, published by its admin.
    const pledge = await branch.admin.post<{ id: string }>('/api/pledges', {
      ownerKind: 'branch',
      year,
      supervisor: '机关工委',
      supervisorContact: '工委办公室',
      items: [
        { category: 'serve', duty: '阵地建设', target: TARGET, dueDate: `${year}-12-31` },
        { category: 'serve', duty: '阵地建设', target: TARGET2, dueDate: `${year}-12-31` },
      ],
    })
    for (const step of ['submit', 'approve', 'publish'])
      await branch.admin.post(`/api/pledges/${pledge.id}/${step}`)
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('should tell the branch admin the branch has no rating before the organization closes one', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.admin)
    const page = await context.newPage()
    await page.goto('/admin/branch-assessments')
    await visible(page, page.getByTestId('branch-assess-empty'))
    expect(await page.getByTestId('branch-assess-empty').textContent()).toContain('还没有上级党组织的支部争先评价')
    await context.close()
  })

  it('should let the upper admin rate the branch beside its figures, refuse a half rating in words, and close', async () => {
    // The upper admin works at a desk: a wide screen.
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    await useSession(context, server, upper)
    const page = await context.newPage()
    await page.goto('/upper')
    await page.getByTestId('upper-assessments-link').click()
    await visible(page, page.getByRole('heading', { name: '支部争先' }))
    await page.getByRole('button', { name: `${year}年上半年` }).click()

    const card = page.getByTestId('assess-branch-测试党支部')
    await visible(page, card)
    // Its figures are there beside the buttons: members, 五带头, 三会一课.
    await expect.poll(async () => (await card.textContent()) ?? '').toMatch(/党员人数\s*1/)
    expect(await card.textContent()).toContain('三会一课 执行')
    await card.getByTestId('rate-leadership-4').click()
    await card.getByRole('button', { name: '保存对该支部的评价' }).click()
    // Four dimensions missing: the server's refusal, in words naming the branch.
    await visible(page, card.getByRole('alert').filter({ hasText: '测试党支部' }))

    for (const [d, s] of [['members', 3], ['mechanism', 4], ['results', 3], ['masses', 4]] as const)
      await card.getByTestId(`rate-${d}-${s}`).click()
    await card.getByLabel('评价意见').fill('组织生活规范，群众评价好')
    await card.getByRole('button', { name: '保存对该支部的评价' }).click()
    await visible(page, card.getByRole('status').filter({ hasText: '已保存' }))
    await expect.poll(async () => page.getByTestId('assessment-status').textContent()).toContain('已评 1/1 个支部')
    expect(await card.textContent()).toContain('综合 3.6 分')

    await page.getByRole('button', { name: '结束评议' }).click()
    await page.locator('.van-dialog').getByRole('button', { name: '结束评议' }).click()
    await expect.poll(async () => page.getByTestId('assessment-status').textContent()).toContain('已结束')
    await visible(page, card.getByText('组织生活规范，群众评价好'))
    expect(await card.getByRole('button', { name: '保存对该支部的评价' }).count()).toBe(0)

    // 评诺: the drill-down shows the branch's pledge with its progress; one item judged.
    await page.goto(`/upper/branches/${branch.adminMe.branchId}`)
    const item = page.getByTestId(`branch-pledge-item-${TARGET}`)
    await visible(page, item)
    expect(await item.textContent()).toContain('践诺进度')
    await item.getByRole('button', { name: '部分兑现' }).click()
    await item.getByLabel('评诺意见').fill('已建成 2 个')
    await item.getByRole('button', { name: '保存评诺' }).click()
    await visible(page, item.getByRole('status').filter({ hasText: '部分兑现' }))
    // 未兑现 for a good reason is recorded as such and shown beside the result.
    const second = page.getByTestId(`branch-pledge-item-${TARGET2}`)
    await second.getByRole('button', { name: '未兑现' }).click()
    await second.getByText('有正当理由').click()
    await second.getByLabel('评诺意见').fill('活动室改造推迟至明年')
    await second.getByRole('button', { name: '保存评诺' }).click()
    await visible(page, second.getByRole('status').filter({ hasText: '未兑现（有正当理由）' }))
    await context.close()
  })

  it('should show the branch admin the organization\'s closed rating from the hub', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, branch.admin)
    const page = await context.newPage()
    await page.goto('/admin')
    await page.getByTestId('hub-branch-assessments').click()
    const card = page.getByTestId(`branch-assessment-${year}-H1`)
    await visible(page, card)
    const text = (await card.textContent()) ?? ''
    expect(text).toContain('领导班子好')
    expect(text).toContain('满意（4）')
    expect(text).toContain('3.6')
    expect(text).toContain('组织生活规范，群众评价好')
    await context.close()
  })
})
