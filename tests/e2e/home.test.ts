import type { MeetingScreen } from '#shared/meetings/schemas'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { codeForWindow, importMeetingKey, windowAt } from '#shared/meetings/token'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

const MIN = 60_000
const DAY = 24 * 60 * MIN
const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 12; V2102A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MMWEBID/2585 MicroMessenger/8.0.33.2320(0x28002151) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64'

/*
 * Issue 16 item 1 and issue 15 item 4: each role's home says what is theirs, from a fixture with
 * known data. 张测试 (member) logged three entries, 李组长 approved one; 张测试 scanned the group's
 * 组织生活会 code late (a late scan for 李组长 to confirm) and submitted a pledge (for the admin
 * to review); a branch meeting ended an hour ago and is not closed (for the admin to close); a
 * meeting ten days away is beyond the week home looks at. Item 2: the WeChat guide and the install card.
 */
describe('home of each role', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []
  let zhang: SeededBranch['members'][number]
  let li: SeededBranch['members'][number]
  let expectedTotal: number

  async function pageAs(client: ApiClient | null, options: { userAgent?: string, elder?: '0' | '1' } = {}): Promise<Page> {
    const context = await phoneContext(browser, { baseURL: server.url, ...(options.userAgent ? { userAgent: options.userAgent } : {}) })
    contexts.push(context)
    if (client)
      await useSession(context, server, client)
    // The 长辈版 offer answered: these tests are about what follows it.
    await context.addInitScript((choice) => {
      if (localStorage.getItem('xf.elderMode') === null)
        localStorage.setItem('xf.elderMode', choice)
    }, options.elder ?? '0')
    return context.newPage()
  }

  const push = (client: ApiClient, ops: { type: string, payload: unknown }[]) => client.post<{ results: { status: string }[] }>('/api/sync/push', {
    protocol: SYNC_PROTOCOL,
    deviceId: randomUUID(),
    ops: ops.map((op, i) => ({ opId: randomUUID(), seq: i + 1, clientTime: new Date().toISOString(), ...op })),
  })

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      groups: ['第一党小组', '第二党小组'],
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0, titles: ['组长'] },
      ],
    })
    ;[zhang, li] = branch.members as [typeof zhang, typeof li]
    const year = new Date().getFullYear()
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

    const { rules } = await zhang.client.get<{ rules: { id: string, key: string }[] }>('/api/points/rules')
    const ruleId = (key: string) => rules.find(r => r.key === key)!.id
    const ids = [randomUUID(), randomUUID(), randomUUID()]
    await push(zhang.client, ids.map((id, i) => ({ type: 'entry.create', payload: { id, ruleId: ruleId('volunteer'), date: today, note: `志愿服务 ${i + 1}` } })))
    await li.client.post('/api/points/approvals/approve', { ids: [ids[0]] })
    const summary = await zhang.client.get<{ total: number, pendingCount: number }>(`/api/points/summary?year=${year}`)
    expect(summary.pendingCount).toBe(2)
    expectedTotal = summary.total

    const now = Date.now()
    const meeting = (client: ApiClient, body: Record<string, unknown>) => client.post<{ id: string }>('/api/meetings', { agenda: '', ...body })
    const groupMeeting = await meeting(li.client, { type: 'group_meeting', groupId: branch.groups[0]!.id, topic: '组织生活会', startsAt: new Date(now - 30 * MIN).toISOString(), endsAt: new Date(now + 60 * MIN).toISOString(), place: '二楼小会议室' })
    await meeting(branch.admin, { type: 'branch_assembly', groupId: null, topic: '上月党员大会', startsAt: new Date(now - 3 * 60 * MIN).toISOString(), endsAt: new Date(now - 60 * MIN).toISOString(), place: '' })
    await meeting(branch.admin, { type: 'branch_assembly', groupId: null, topic: '年终总结大会', startsAt: new Date(now + 10 * DAY).toISOString(), endsAt: new Date(now + 10 * DAY + 60 * MIN).toISOString(), place: '大礼堂' })
    // 张测试 scanned 25 minutes ago with no signal: it reached the server late and waits for 李组长.
    const screen = await li.client.get<MeetingScreen>(`/api/meetings/${groupMeeting.id}/screen`)
    const late = await codeForWindow(await importMeetingKey(screen.key), groupMeeting.id, windowAt(now - 25 * MIN))
    const pushed = await push(zhang.client, [{ type: 'checkin.create', payload: { meetingId: groupMeeting.id, token: late.token, scannedAt: new Date(now - 25 * MIN).toISOString() } }])
    expect(pushed.results[0]!.status).toBe('applied')

    const pledge = await zhang.client.post<{ id: string }>('/api/pledges', {
      ownerKind: 'member',
      year,
      supervisor: '王书记',
      supervisorContact: '支部办公室',
      items: [{ category: 'excel', duty: '食品检验', target: '全年完成检验报告 200 份', dueDate: `${year}-12-31` }],
    })
    await zhang.client.post(`/api/pledges/${pledge.id}/submit`)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const context of contexts)
      await context.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should show a member the year\'s score with 待审核 apart, the four actions once each, and the next meeting within a week', async () => {
    const page = await pageAs(zhang.client)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('home-score-total').textContent()).toBe(String(expectedTotal))
    expect(await page.getByTestId('home-score-pending').textContent()).toContain('另有 2 条待审核')
    expect(await page.locator('.home-actions__tile').allTextContents()).toEqual(['记积分', '扫码签到', '我的积分', '承诺'])
    // No 常用 list repeating the actions.
    expect(await page.getByText('常用', { exact: true }).count()).toBe(0)

    const next = page.getByTestId('home-next-meeting')
    await expect.poll(() => next.textContent()).toContain('组织生活会')
    expect(await next.textContent()).toContain('二楼小会议室')
    expect(await next.textContent()).toContain('第一党小组')
    const todo = page.getByTestId('home-todo')
    expect(await todo.textContent()).not.toContain('年终总结大会')
    expect(await todo.textContent()).not.toContain('待审核')
    expect(await page.getByTestId('home-admin').count()).toBe(0)

    // The tab and the score page are 我的积分, with that title.
    await page.getByRole('tab', { name: '我的积分' }).click()
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('我的积分')
    expect(await page.title()).toContain('我的积分')
    await page.screenshot({ path: '/tmp/xf-home-member.png', fullPage: true })
  })

  it('should count a member\'s entry still on the phone as 待同步, not as 待审核', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await useSession(context, server, zhang.client)
    await context.addInitScript(() => localStorage.setItem('xf.elderMode', '0'))
    const page = await context.newPage()
    await page.goto('/')
    // Offline, the screens come from the service worker's precache.
    await waitForServiceWorker(page)
    await page.getByTestId('home-log-points').click()
    await page.getByTestId('rule-volunteer').click()
    await context.setOffline(true)
    await page.getByTestId('points-note').locator('textarea').fill('社区义诊')
    await page.getByTestId('points-save').click()
    await page.getByTestId('points-timeline').waitFor()
    // 我的积分 says the same: 待审核 is what the server has.
    expect(await page.getByTestId('points-pending').textContent()).toContain('另有 2 条待审核')
    expect(await page.getByTestId('points-unsynced').textContent()).toContain('1 条待同步')
    await page.getByRole('tab', { name: '首页' }).click()
    await expect.poll(() => page.getByTestId('home-score-unsynced').textContent()).toContain('1 条待同步')
    expect(await page.getByTestId('home-score-pending').textContent()).toContain('另有 2 条待审核')
    // Closed still offline: the entry never reaches the server, so the other roles' counts stand.
    await context.close()
  })

  it('should tell a group leader how many entries wait for approval and the late scan to confirm', async () => {
    const page = await pageAs(li.client)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('home-todo-approvals').textContent()).toContain('2 条积分待审核')
    await expect.poll(() => page.getByTestId('home-todo-lateScans').textContent()).toContain('1 条补传签到待确认')
    expect(await page.getByTestId('home-todo-pledgesToReview').count()).toBe(0)
    expect(await page.getByTestId('home-todo-meetingsToClose').count()).toBe(0)
    await page.getByTestId('home-todo-approvals').click()
    await page.waitForURL(/\/points\/approvals$/)
    await page.screenshot({ path: '/tmp/xf-home-leader.png', fullPage: true })

    // 组织管理 lists the organizer screens a leader may open, 会议管理 among them.
    await page.goto('/admin')
    await page.getByTestId('hub-meetings').waitFor()
    expect(await page.getByTestId('hub-points-approvals').count()).toBe(1)
    expect(await page.getByTestId('hub-pledges-review').count()).toBe(0)
  })

  it('should tell the branch admin the pledge to review and the meeting to close, and list every organizer screen', async () => {
    const page = await pageAs(branch.admin)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('home-todo-pledgesToReview').textContent()).toContain('1 份承诺待审核')
    await expect.poll(() => page.getByTestId('home-todo-meetingsToClose').textContent()).toContain('1 场会议')
    await page.screenshot({ path: '/tmp/xf-home-admin.png', fullPage: true })
    await page.getByTestId('home-todo-pledgesToReview').click()
    await page.waitForURL(/\/pledges\/review$/)

    await page.goto('/admin')
    for (const id of ['hub-meetings', 'hub-pledges-review', 'hub-points-approvals', 'hub-points-adjust', 'hub-points-members', 'hub-admin-members'])
      await page.getByTestId(id).waitFor()
  })

  it('should show the 长辈版 home with the big actions first and the same 待办', async () => {
    const page = await pageAs(zhang.client, { elder: '1' })
    await page.goto('/')
    await page.locator('.home-elder').waitFor()
    expect(await page.locator('.home-actions__tile').allTextContents()).toEqual(['记积分', '扫码签到', '我的积分', '承诺'])
    await expect.poll(() => page.getByTestId('home-next-meeting').textContent()).toContain('组织生活会')
    await expect.poll(() => page.getByTestId('home-score-total').textContent()).toBe(String(expectedTotal))
  })

  it('should show the install card once, only on home, never with the 长辈版 offer, and not again once dismissed', async () => {
    const offer = (page: Page) => page.evaluate(() => {
      const event = new Event('beforeinstallprompt') as Event & { prompt: () => Promise<void>, userChoice: Promise<{ outcome: string }> }
      event.prompt = async () => {}
      event.userChoice = Promise.resolve({ outcome: 'dismissed' })
      window.dispatchEvent(event)
    })
    const page = await pageAs(zhang.client)
    await page.goto('/login')
    await offer(page)
    expect(await page.getByTestId('pwa-install').count()).toBe(0)
    await page.goto('/points')
    await offer(page)
    await page.getByTestId('points-total').waitFor()
    expect(await page.getByTestId('pwa-install').count()).toBe(0)
    // Home, reached inside the app: the event the browser fired earlier is kept.
    await page.getByRole('tab', { name: '首页' }).click()
    await page.getByTestId('pwa-install').waitFor()
    await page.getByRole('button', { name: '不用了' }).click()
    expect(await page.getByTestId('pwa-install').count()).toBe(0)
    await page.reload()
    await offer(page)
    await page.getByTestId('home-todo').waitFor()
    expect(await page.getByTestId('pwa-install').count()).toBe(0)

    // A phone that has not answered the 长辈版 offer sees that one card only.
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await useSession(context, server, zhang.client)
    const fresh = await context.newPage()
    await fresh.goto('/')
    await offer(fresh)
    await fresh.getByTestId('elder-prompt').waitFor()
    expect(await fresh.getByTestId('pwa-install').count()).toBe(0)
  })

  it('should keep each form\'s main button above the fold at 360 × 640 in 长辈版, with an install offer pending', async () => {
    const offer = (page: Page) => page.evaluate(() => {
      const event = new Event('beforeinstallprompt') as Event & { prompt: () => Promise<void> }
      event.prompt = async () => {}
      window.dispatchEvent(event)
    })
    const bottomOf = async (page: Page, selector: string) => {
      const box = await page.locator(selector).first().boundingBox()
      return box ? box.y + box.height : Number.POSITIVE_INFINITY
    }
    const newcomer = await branch.admin.post<{ id: string }>('/api/members', { name: '王新', login: 'wangxin', role: 'member', titles: [], groupId: branch.groups[1]!.id })
    const invite = await branch.admin.post<{ url: string }>(`/api/members/${newcomer.id}/invite`)
    const visitor = await pageAs(null, { elder: '1' })
    await visitor.goto(new URL(invite.url).pathname + new URL(invite.url).hash)
    await offer(visitor)
    await visitor.locator('.auth__submit').waitFor()
    expect(await visitor.getByTestId('pwa-install').count()).toBe(0)
    expect(await bottomOf(visitor, '.auth__submit')).toBeLessThanOrEqual(640)
    await visitor.goto('/login')
    await offer(visitor)
    await visitor.locator('.login__submit').waitFor()
    expect(await bottomOf(visitor, '.login__submit')).toBeLessThanOrEqual(640)

    const page = await pageAs(zhang.client, { elder: '1' })
    await page.goto('/points/log')
    await offer(page)
    await page.getByTestId('rule-volunteer').click()
    await page.getByTestId('points-save').waitFor()
    expect(await page.getByTestId('pwa-install').count()).toBe(0)
    expect(await bottomOf(page, '[data-testid=points-save]')).toBeLessThanOrEqual(640)

    // A tap anywhere on the field's row, not only on its small input, puts the cursor in it.
    const note = page.getByTestId('points-note')
    const box = (await note.boundingBox())!
    await note.click({ position: { x: box.width - 4, y: 4 } })
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA')
  })

  it('should guide a member inside WeChat to the phone\'s browser with a link to copy, and offer no install there', async () => {
    const page = await pageAs(null, { userAgent: WECHAT_UA })
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.goto('/login')
    const guide = page.getByTestId('pwa-open-in-browser')
    await guide.waitFor()
    expect(await guide.textContent()).toContain('右上角 ···')
    expect(await guide.textContent()).toContain('在浏览器打开')
    await page.getByTestId('pwa-copy-link').click()
    await expect.poll(() => guide.textContent()).toContain('链接已复制')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/login`)
    await page.evaluate(() => window.dispatchEvent(new Event('beforeinstallprompt')))
    expect(await page.getByTestId('pwa-install').count()).toBe(0)
    await page.screenshot({ path: '/tmp/xf-wechat-guide.png' })

    // The same phone's ordinary browser sees no guide.
    const plain = await pageAs(null)
    await plain.goto('/login')
    await plain.locator('form').first().waitFor()
    expect(await plain.getByTestId('pwa-open-in-browser').count()).toBe(0)
  })
})
