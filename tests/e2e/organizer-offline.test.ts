import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * An organizer in a room with no signal: the group leader opened 待审核 once online, loses the
 * network, approves a member's entry, and it lands on the server once the phone is back online —
 * counted once in the member's score, never before.
 */
describe('an organizer deciding with no signal', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
      ],
    })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should approve an entry offline, show it waiting, and count it once when the phone is back online', async () => {
    const [zhang, li] = branch.members as [SeededBranch['members'][number], SeededBranch['members'][number]]
    const { rules } = await zhang.client.get<{ rules: { id: string, key: string, points: number }[] }>('/api/points/rules')
    const volunteer = rules.find(r => r.key === 'volunteer')!
    const id = randomUUID()
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    await zhang.client.post('/api/sync/push', {
      protocol: SYNC_PROTOCOL,
      deviceId: randomUUID(),
      ops: [{ opId: randomUUID(), seq: 1, type: 'entry.create', payload: { id, ruleId: volunteer.id, date: today, note: '进社区宣传食品安全' }, clientTime: new Date().toISOString() }],
    })
    const total = async () => (await zhang.client.get<{ total: number }>(`/api/points/summary?memberId=${zhang.member.id}`)).total
    const before = await total()
    const status = async () => (await zhang.client.get<{ entry: { status: string } }>(`/api/points/entries/${id}`)).entry.status

    context = await phoneContext(browser, { baseURL: server.url })
    await useSession(context, server, li.client)
    const page = await context.newPage()
    await page.goto('/points/approvals')
    const row = page.getByTestId(`approval-${id}`)
    await row.waitFor()

    await context.setOffline(true)
    await row.getByRole('button', { name: '通过', exact: true }).click()
    // Decided on the phone at once: out of the queue, listed as waiting to sync.
    await expect.poll(() => page.getByTestId('approval-waiting').textContent()).toContain('张测试')
    expect(await page.getByTestId('approval-waiting').textContent()).toContain('待同步')
    expect(await row.count()).toBe(0)
    // Nothing reached the server with no network.
    expect(await status()).toBe('pending')
    expect(await total()).toBe(before)

    await context.setOffline(false)
    await expect.poll(status, { timeout: 30_000 }).toBe('approved')
    await expect.poll(() => page.getByTestId('approval-waiting').count(), { timeout: 30_000 }).toBe(0)
    expect(await total()).toBe(before + volunteer.points)

    // Opened again after another reconnect: the queue is empty and nothing was counted twice.
    await context.setOffline(true)
    await context.setOffline(false)
    await page.reload()
    await page.getByText('没有待审核的记录').waitFor({ timeout: 15_000 })
    expect(await total()).toBe(before + volunteer.points)
  })
})
