import type { Browser } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

/*
 * 承诺 → 践诺 → 公示: a member records progress on a published pledge with the phone offline; it is
 * saved on the phone, syncs once the network is back, and the public board (no login) shows it.
 */

interface BoardJson { pledges: { ownerName: string, items: { percent: number, progressStatus: string }[] }[] }

describe('pledge progress from a phone to the public board', () => {
  let server: RunningServer
  let browser: Browser
  let branch: SeededBranch

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    branch = await seedBranch(server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('should save progress recorded offline on the phone, sync it once online, and show it on the public board', async () => {
    const member = branch.members[0]!
    const year = new Date().getFullYear()
    const pledge = await member.client.post<{ id: string }>('/api/pledges', {
      ownerKind: 'member',
      year,
      supervisor: '王书记',
      supervisorContact: '支部办公室',
      items: [{ category: 'excel', duty: '食品检验', target: '全年完成检验报告 200 份', dueDate: `${year}-12-31` }],
    })
    await member.client.post(`/api/pledges/${pledge.id}/submit`)
    await branch.admin.post(`/api/pledges/${pledge.id}/approve`)
    await branch.admin.post(`/api/pledges/${pledge.id}/publish`)
    const { slug } = await member.client.get<{ slug: string }>('/api/pledges/board-link')
    const board = () => fetch(`${server.url}/api/board/${slug}`).then(r => r.json() as Promise<BoardJson>)

    const context = await phoneContext(browser)
    await useSession(context, server, member.client)
    const page = await context.newPage()
    await page.goto(`${server.url}/pledges/${pledge.id}`)
    await waitForServiceWorker(page)
    await expect.poll(() => page.getByText('全年完成检验报告 200 份').isVisible(), { timeout: 15_000 }).toBe(true)

    await context.setOffline(true)
    await page.getByRole('button', { name: '记录践诺情况' }).click()
    await page.locator('[data-testid=progress-percent] input').fill('60')
    await page.locator('[data-testid=progress-note] textarea').fill('已完成 120 份')
    await page.locator('[data-testid=progress-save]').click()
    const progress = page.locator('[data-testid=pledge-item-progress]')
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toMatch(/进行中 · 60%\s*待同步/)
    // Nothing reached the server while offline.
    expect((await board()).pledges[0]!.items[0]!.percent).toBe(0)

    await context.setOffline(false)
    await expect.poll(async () => (await board()).pledges[0]!.items[0]!.percent, { timeout: 30_000 }).toBe(60)
    const archive = await branch.admin.get<{ progress: unknown[] }[]>('/api/pledges/archive')
    expect(archive[0]!.progress).toHaveLength(1)
    await context.close()

    // The public: a fresh browser with no session opens the board link.
    const pub = await phoneContext(browser)
    const boardPage = await pub.newPage()
    await boardPage.goto(`${server.url}/board/${slug}`)
    await expect.poll(() => boardPage.getByText('全年完成检验报告 200 份').isVisible(), { timeout: 15_000 }).toBe(true)
    expect(await boardPage.locator('[data-testid=board-item-progress]').first().textContent()).toContain('进行中 60%')
    expect(boardPage.url()).toContain(`/board/${slug}`)
    expect(await boardPage.locator('[data-testid=board-qr]').isVisible()).toBe(true)
    const text = await boardPage.locator('body').textContent() ?? ''
    expect(text).toContain(member.member.name)
    expect(text).not.toContain(member.member.login)
    expect(text).not.toContain('已完成 120 份')
    await pub.close()
  })
})
