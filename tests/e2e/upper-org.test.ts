import type { Browser, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, launchBrowser, makeUpperAdmin, phoneContext, seedBranch, startServer, tokenOf } from './harness'

/*
 * Issue 14 points 1–2 end to end: a single-branch install joins an upper organization (npm run
 * upper-admin --attach); its admin logs in on the same login page, creates a second branch, whose
 * admin sets it up from the link on a phone; members of both log points; the upper admin sees both
 * branches' figures and nobody's name, note or phone.
 */
const UPPER = { login: 'jggw', password: 'upper-pass-1' }
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

function visible(page: Page, locator: ReturnType<Page['locator']>) {
  return expect.poll(() => locator.isVisible(), { timeout: 15_000, message: `visible on ${page.url()}` }).toBe(true)
}

/** The upper admin on the one login page every account uses. */
async function logIn(page: Page, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('登录名').fill(UPPER.login)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

/** The member logs 志愿服务 with a private note; the branch admin approves it. */
async function loggedPoints(member: ApiClient, admin: ApiClient): Promise<void> {
  const { rules } = await member.get<{ rules: { id: string, key: string }[] }>('/api/points/rules')
  const id = randomUUID()
  await member.post('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [{ opId: randomUUID(), seq: 1, clientTime: new Date().toISOString(), type: 'entry.create', payload: { id, ruleId: rules.find(r => r.key === 'volunteer')!.id, date: today(), note: '私密备注 看望病中母亲' } }] })
  await admin.post('/api/points/approvals/approve', { ids: [id] })
}

describe('the upper organization over two branches', () => {
  let server: RunningServer
  let first: SeededBranch
  let browser: Browser
  let setupUrl = ''

  beforeAll(async () => {
    server = await startServer()
    first = await seedBranch(server, { members: [{ name: '张测试', login: 'zhang', role: 'member', group: 0 }] })
    await first.admin.patch(`/api/members/${first.members[0]!.member.id}`, { phone: '13800001111' }).catch(() => {})
    const { stdout } = await makeUpperAdmin(server, UPPER.login, UPPER.password)
    expect(stdout).toContain('1 existing branch(es) now under it')
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('should let the upper admin log in on the login page and create a second branch with its setup link', async () => {
    const page = await (await phoneContext(browser, { baseURL: server.url })).newPage()
    await logIn(page, UPPER.password)
    await visible(page, page.getByRole('heading', { name: /各支部概况/ }))
    await visible(page, page.getByTestId('upper-branch-测试党支部'))
    await page.getByLabel('支部名称').fill('第二党支部')
    await page.getByRole('button', { name: '新建并生成设置链接' }).click()
    await visible(page, page.getByTestId('upper-setup-link'))
    setupUrl = (await page.locator('.upper__url').textContent())!.trim()
    expect(setupUrl).toMatch(/\/setup#[\w-]{20,}$/)
    await visible(page, page.getByTestId('upper-branch-第二党支部'))
  })

  it('should let the second branch\'s admin set it up from the link exactly as a fresh install', async () => {
    const page = await (await phoneContext(browser, { baseURL: server.url })).newPage()
    await page.goto(setupUrl.replace(/^https?:\/\/[^/]+/, server.url))
    await expect.poll(() => page.getByLabel('党支部名称').inputValue(), { timeout: 15_000 }).toBe('第二党支部')
    await page.getByLabel('管理员姓名').fill('钱书记')
    await page.getByLabel('登录名').fill('qian')
    await page.getByLabel('密码', { exact: true }).fill('qian-pass-1')
    await page.getByLabel('确认密码').fill('qian-pass-1')
    await page.getByRole('button', { name: '完成设置' }).click()
    await visible(page, page.getByRole('heading', { name: /钱书记/ }))
  })

  it('should show the upper admin both branches\' figures after members of both log points, and no personal detail', async () => {
    const second = new ApiClient(server.url)
    await second.post('/api/auth/login', { login: 'qian', password: 'qian-pass-1' })
    const sun = await second.post<{ id: string }>('/api/members', { name: '孙党员', login: 'sun', role: 'member', groupId: null })
    const invite = await second.post<{ url: string }>(`/api/members/${sun.id}/invite`)
    const sunClient = new ApiClient(server.url)
    await sunClient.post(`/api/invites/${tokenOf(invite.url)}/accept`, { password: 'sun-pass-1' })
    await loggedPoints(first.members[0]!.client, first.admin)
    await loggedPoints(sunClient, second)

    const page = await (await phoneContext(browser, { baseURL: server.url })).newPage()
    await logIn(page, UPPER.password)
    const firstCard = page.getByTestId('upper-branch-测试党支部')
    const secondCard = page.getByTestId('upper-branch-第二党支部')
    await visible(page, secondCard)
    // 测试党支部: admin + 张测试, 2 points → 1 per member; 第二党支部: 钱书记 + 孙党员, likewise.
    await expect.poll(async () => (await firstCard.textContent()) ?? '').toMatch(/党员人数\s*2/)
    await expect.poll(async () => (await secondCard.textContent()) ?? '').toMatch(/带头服务群众\s*1/)
    const text = await page.locator('main').textContent() ?? ''
    for (const secret of ['张测试', '孙党员', '钱书记', '私密备注', '13800001111', 'zhang', 'sun'])
      expect(text, `the overview shows ${secret}`).not.toContain(secret)

    // Last year: the same branches, none of this year's points; the year stays in the address.
    const year = Number(today().slice(0, 4))
    await page.getByLabel('年度').selectOption(String(year - 1))
    await expect.poll(async () => (await secondCard.textContent()) ?? '').toMatch(/带头服务群众\s*0/)
    expect(page.url()).toContain(`year=${year - 1}`)
    await page.getByLabel('年度').selectOption(String(year))
    await expect.poll(async () => (await secondCard.textContent()) ?? '').toMatch(/带头服务群众\s*1/)

    await firstCard.getByRole('link', { name: '测试党支部' }).click()
    await visible(page, page.getByRole('heading', { name: '各党小组' }))
    await expect.poll(async () => page.getByTestId('upper-group').count()).toBeGreaterThan(0)
    const drill = await page.locator('main').textContent() ?? ''
    for (const secret of ['张测试', '私密备注', '13800001111'])
      expect(drill).not.toContain(secret)
    // A member's page is not the upper admin's: sent back to the overview.
    await page.goto('/points')
    await visible(page, page.getByRole('heading', { name: /各支部概况/ }))
  })

  it('should let the upper admin change their password from the overview, and only the new one log in', async () => {
    const page = await (await phoneContext(browser, { baseURL: server.url })).newPage()
    await logIn(page, UPPER.password)
    await visible(page, page.getByRole('heading', { name: /各支部概况/ }))
    await page.getByRole('link', { name: /修改密码/ }).click()
    await page.getByLabel('当前密码').fill(UPPER.password)
    await page.getByLabel('新密码').fill('gongwei-pass-2')
    await page.getByLabel('确认密码').fill('gongwei-pass-2')
    await page.getByRole('button', { name: '确认修改' }).click()
    await visible(page, page.getByRole('heading', { name: /各支部概况/ }))

    const again = await (await phoneContext(browser, { baseURL: server.url })).newPage()
    await logIn(again, UPPER.password)
    await visible(again, again.getByRole('alert').filter({ hasText: /登录名或密码/ }))
    await again.getByLabel('密码').fill('gongwei-pass-2')
    await again.getByRole('button', { name: '登录' }).click()
    await visible(again, again.getByRole('heading', { name: /各支部概况/ }))
  })
})
