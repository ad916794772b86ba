import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * The organizer's side of points and pledges in Chromium: a branch admin grants points to a member
 * from the organizer screens, then records 一票否决 after a plain warning, and the member's own
 * 我的积分 shows the total become 0; pledge items past their due date are flagged on the member's
 * home screen and on the organizer's, each organizer seeing only their own scope.
 */
describe('organizer screens in the browser', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function pageAs(client: SeededBranch['admin']): Promise<Page> {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await useSession(context, server, client)
    return context.newPage()
  }

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
        { name: '赵二组', login: 'zhao', role: 'member', group: 1 },
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

  it('should let a branch admin grant points to a member, then 一票否决 after a warning, and the member sees the total become 0', async () => {
    const zhang = branch.members[0]!
    const member = await pageAs(zhang.client)
    await member.goto('/points')
    await expect.poll(() => member.getByTestId('points-total').textContent(), { timeout: 15_000 }).toContain('60')

    const admin = await pageAs(branch.admin)
    await admin.goto('/admin')
    await admin.getByTestId('hub-points-adjust').click()
    await admin.getByTestId(`pick-${zhang.member.id}`).waitFor()
    // Nothing is sent while the form is incomplete: each missing field says what it needs.
    await admin.getByTestId('adjust-submit').click()
    await expect.poll(() => admin.getByText('请至少选择一名党员').isVisible()).toBe(true)
    expect(await admin.getByText('请写明原因').isVisible()).toBe(true)

    await admin.getByTestId(`pick-${zhang.member.id}`).click()
    await admin.getByTestId('adjust-mode-free').click()
    await admin.getByLabel('五带头类别').selectOption('excel')
    await admin.locator('[data-testid=adjust-points] input').fill('5')
    await admin.locator('[data-testid=adjust-reason] textarea').fill('抗洪抢险表现突出')
    await admin.getByTestId('adjust-submit').click()
    // Saved on the phone at once (待同步), then shown as the server granted it once synced.
    await expect.poll(() => admin.getByTestId('adjust-results').textContent(), { timeout: 10_000 }).toContain('张测试')
    await expect.poll(() => admin.getByTestId('adjust-results').textContent(), { timeout: 30_000 }).toContain('已记 5 分')

    await member.getByTestId('sync-now').click()
    await expect.poll(() => member.getByTestId('points-total').textContent(), { timeout: 30_000 }).toContain('65')

    await admin.goto('/points/members')
    await admin.getByTestId(`member-${zhang.member.id}`).click()
    await expect.poll(() => admin.getByTestId('org-member-total').textContent(), { timeout: 10_000 }).toContain('65')
    await expect.poll(() => admin.getByTestId('org-member-entries').textContent(), { timeout: 10_000 }).toContain('抗洪抢险表现突出')
    await admin.locator('[data-testid=veto-decision] input').fill('支委会决定〔2026〕3号')
    await admin.locator('[data-testid=veto-reason] textarea').fill('受党内警告处分')
    await admin.getByTestId('veto-submit').click()
    const dialog = admin.getByRole('dialog')
    await dialog.waitFor()
    // The warning says plainly what happens to the member's score.
    expect(await dialog.textContent()).toMatch(/张测试 \d{4} 年度积分将变为 0 分（现为 65 分）/)
    await admin.getByRole('button', { name: '确定，积分归零' }).click()
    await expect.poll(() => admin.getByTestId('org-member-total').textContent(), { timeout: 10_000 }).toMatch(/^\s*0\s*$/)
    expect(await admin.getByTestId('org-member-veto').textContent()).toContain('支委会决定〔2026〕3号')
    await admin.screenshot({ path: '/tmp/xf-organizer-veto.png', fullPage: true })

    await member.getByTestId('sync-now').click()
    await expect.poll(() => member.getByTestId('points-total').textContent(), { timeout: 30_000 }).toMatch(/^\s*0\s*$/)
    expect(await member.getByText('一票否决：支委会决定〔2026〕3号').isVisible()).toBe(true)

    // The audit trail tells the branch admin who did it, and why.
    await admin.goto('/points/audit')
    const trail = admin.getByTestId('audit-list')
    await expect.poll(() => trail.textContent(), { timeout: 10_000 }).toContain('一票否决：张测试')
    expect(await trail.textContent()).toContain('王书记')
    expect(await trail.textContent()).toContain('抗洪抢险表现突出')
  })

  it('should flag overdue pledge items to the member on the home screen and to the organizers of their scope', async () => {
    const [zhang, li, zhao] = branch.members as [SeededBranch['members'][number], SeededBranch['members'][number], SeededBranch['members'][number]]
    const shanghai = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000))
    const yesterday = shanghai(-1)
    const year = Number(yesterday.slice(0, 4))
    async function published(who: typeof zhang, target: string, dueDate: string) {
      const pledge = await who.client.post<{ id: string }>('/api/pledges', {
        ownerKind: 'member',
        year,
        supervisor: '王书记',
        supervisorContact: '支部办公室',
        items: [{ category: 'excel', duty: '食品检验', target, dueDate }],
      })
      await who.client.post(`/api/pledges/${pledge.id}/submit`)
      await branch.admin.post(`/api/pledges/${pledge.id}/approve`)
      await branch.admin.post(`/api/pledges/${pledge.id}/publish`)
    }
    await published(zhang, '完成检验报告 50 份', yesterday)
    await published(zhao, '带教新人 2 名', yesterday)

    const member = await pageAs(zhang.client)
    await member.goto('/')
    const notice = member.getByTestId('home-due-notice')
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain('完成检验报告 50 份')
    expect(await notice.textContent()).toContain('已逾期')
    expect(await notice.textContent()).toContain('您有 1 项承诺已逾期')
    expect(await notice.textContent()).not.toContain('带教新人')

    // The group leader sees their group's overdue item, not another group's.
    const leader = await pageAs(li.client)
    await leader.goto('/')
    const leaderCard = leader.getByTestId('home-overdue-card')
    await expect.poll(() => leaderCard.textContent(), { timeout: 15_000 }).toContain('完成检验报告 50 份')
    expect(await leaderCard.textContent()).toContain('张测试')
    expect(await leaderCard.textContent()).not.toContain('带教新人')

    const admin = await pageAs(branch.admin)
    await admin.goto('/')
    const adminCard = admin.getByTestId('home-overdue-card')
    await expect.poll(() => adminCard.textContent(), { timeout: 15_000 }).toContain('带教新人 2 名')
    expect(await adminCard.textContent()).toContain('完成检验报告 50 份')
    expect(await adminCard.textContent()).toContain('逾期 2 项')
    await admin.screenshot({ path: '/tmp/xf-organizer-overdue.png', fullPage: true })

    // One tap from the card to the pledge.
    await adminCard.getByText('带教新人 2 名').click()
    await expect.poll(() => admin.url(), { timeout: 15_000 }).toMatch(/\/pledges\/[\w-]+$/)
  })

  it('should let a branch admin turn ranking on for members, and export a chosen group\'s record sheet', async () => {
    const admin = await pageAs(branch.admin)
    await admin.goto('/points/settings')
    const ranking = admin.getByRole('switch', { name: '显示排名' })
    await ranking.waitFor()
    expect(await ranking.getAttribute('aria-checked')).toBe('false')
    await ranking.click()
    await admin.getByTestId('settings-save').click()
    await expect.poll(() => admin.locator('.van-toast__text', { hasText: '积分设置已保存' }).isVisible(), { timeout: 10_000 }).toBe(true)

    const member = await pageAs(branch.members[1]!.client)
    await member.goto('/points')
    await member.getByTestId('sync-now').click()
    await expect.poll(() => member.getByTestId('points-rank').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/第 \d+ 名（共 4 人）/)

    await admin.goto('/points/sheet')
    await admin.getByRole('radio', { name: '党小组' }).click()
    await admin.getByLabel('党小组', { exact: true }).selectOption({ label: '第一党小组' })
    await admin.getByRole('button', { name: '查看' }).click()
    const sheet = admin.getByTestId('points-sheet')
    await expect.poll(() => sheet.textContent(), { timeout: 10_000 }).toContain('张测试')
    expect(await sheet.textContent()).not.toContain('赵二组')
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('sheet-xlsx').click()])
    expect(download.suggestedFilename()).toMatch(/党员平时积分记录表.*\.xlsx$/)
  })
})
