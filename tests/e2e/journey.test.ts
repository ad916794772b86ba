import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from './harness'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, startServer } from './harness'

/*
 * The first day of a branch, through the UI only: the secretary opens the link the server printed,
 * creates the branch and their admin account, a 党小组 and a member, and sends an invite; the member
 * opens it on their own phone, sets a password, logs in and sees their home.
 */

const BRANCH = '第三党支部'
const ADMIN = { name: '王书记', login: 'wang', password: 'wang-pass-2026' }
const GROUP = '第一党小组'
const MEMBER = { name: '赵红梅', login: 'zhaohm', password: 'zhao-pass-2026' }

function visible(page: Page, locator: ReturnType<Page['locator']>) {
  return expect.poll(() => locator.isVisible(), { timeout: 15_000, message: `visible on ${page.url()}` }).toBe(true)
}

describe('first start to a member’s home', () => {
  let server: RunningServer
  let browser: Browser
  let inviteUrl = ''

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('should print a one-time setup link on first start, and open setup only with its token (200)', async () => {
    expect(server.setupUrl).toMatch(new RegExp(`^${server.url}/setup#[\\w-]{20,}$`))
    expect(server.output()).toContain(server.setupUrl)
    const status = await fetch(`${server.url}/api/setup`).then(r => r.json())
    expect(status).toEqual({ needsSetup: true })
  })

  it('should let the secretary create the branch, a group, a member and an invite link from the phone', async () => {
    const context = await phoneContext(browser)
    const page = await context.newPage()

    await page.goto(server.setupUrl!)
    await page.getByLabel('党支部名称').fill(BRANCH)
    await page.getByLabel('管理员姓名').fill(ADMIN.name)
    await page.getByLabel('登录名').fill(ADMIN.login)
    await page.getByLabel('密码', { exact: true }).fill(ADMIN.password)
    await page.getByLabel('确认密码').fill(ADMIN.password)
    await page.getByRole('button', { name: '完成设置' }).click()
    await visible(page, page.getByRole('heading', { name: new RegExp(ADMIN.name) }))

    await page.getByText('组织管理', { exact: true }).click()
    await page.getByText('党小组管理', { exact: true }).click()
    await page.getByLabel('党小组名称').fill(GROUP)
    await page.getByRole('button', { name: '新建党小组' }).click()
    await visible(page, page.getByRole('list', { name: '党小组列表' }).getByText(GROUP))

    await page.goBack()
    await page.getByText('党员管理', { exact: true }).click()
    await page.getByRole('button', { name: '添加党员' }).click()
    await page.getByLabel('姓名', { exact: true }).fill(MEMBER.name)
    await page.getByLabel('登录名').fill(MEMBER.login)
    await page.getByLabel('党小组').selectOption({ label: GROUP })
    await page.getByRole('button', { name: '添加', exact: true }).click()
    await visible(page, page.getByText('还没有设置密码：请发送邀请。'))
    await page.getByRole('button', { name: '发送邀请' }).click()

    const sheet = page.getByRole('dialog', { name: '邀请链接' })
    await visible(page, sheet.getByRole('img', { name: `${MEMBER.name} 的邀请二维码` }))
    inviteUrl = await sheet.getByLabel('邀请链接').inputValue()
    expect(inviteUrl).toMatch(new RegExp(`^${server.url}/invite#[\\w-]{20,}$`))
    await context.close()
  })

  it('should let the invited member set a password on their own phone, log in and see their name on home', async () => {
    expect(inviteUrl, 'the invite link from the previous step').toMatch(/\/invite#/)
    const phone = await phoneContext(browser)
    const page = await phone.newPage()
    await page.goto(inviteUrl)
    await visible(page, page.getByText(`这是给 ${MEMBER.name}（${BRANCH}）的邀请。`))
    await page.getByLabel('新密码').fill(MEMBER.password)
    await page.getByLabel('确认密码').fill(MEMBER.password)
    await page.getByRole('button', { name: '设置密码并登录' }).click()
    await visible(page, page.getByRole('heading', { name: `${MEMBER.name}，您好` }))
    await phone.close()

    // Another device: the new password works on the login page.
    const other = await phoneContext(browser)
    const login = await other.newPage()
    await login.goto(server.url)
    await login.getByLabel('登录名').fill(MEMBER.login)
    await login.getByLabel('密码').fill(MEMBER.password)
    await login.getByRole('button', { name: '登录' }).click()
    await visible(login, login.getByRole('heading', { name: `${MEMBER.name}，您好` }))
    await visible(login, login.getByText(new RegExp(`${BRANCH}\\s*·\\s*${GROUP}`)))
    await other.close()
  })

  it('should have stored the branch, group, member with a password hash and the used invite', async () => {
    const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true })
    try {
      const member = db.prepare(`select m.name, m.role, m.password_hash, g.name as group_name, b.name as branch_name
        from member m join party_group g on g.id = m.group_id join branch b on b.id = m.branch_id where m.login = ?`).get(MEMBER.login) as Record<string, string>
      expect(member).toMatchObject({ name: MEMBER.name, role: 'member', group_name: GROUP, branch_name: BRANCH })
      expect(member.password_hash).toMatch(/^scrypt\$/)
      const invites = db.prepare(`select i.used_at from invite i join member m on m.id = i.member_id where m.login = ?`).all(MEMBER.login) as { used_at: string | null }[]
      expect(invites.filter(i => i.used_at)).toHaveLength(1)
      expect(db.prepare(`select count(*) as n from member where role = 'branch_admin'`).get()).toEqual({ n: 1 })
    }
    finally {
      db.close()
    }
    // The setup link is spent: the same token cannot make a second admin.
    const again = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xianfeng': '1' },
      body: JSON.stringify({ token: new URL(server.setupUrl!).hash.slice(1), branchName: 'x', adminName: 'x', login: 'intruder', password: 'intruder-pass-1' }),
    })
    expect(again.status).toBe(409)
  })
})
