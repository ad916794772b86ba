import type { Round } from '#shared/commendations/schemas'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db/database'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'
import { pdfPageCount, pdfPageOrientations } from './pdf'

/*
 * 评选表彰 end to end in Chromium (issue 13 items 4–6): the branch admin opens a 七一 round, the
 * shortlist orders the members by their seeded figures, the admin nominates with a 事迹 and
 * publishes; the public board shows the nominee, a member of the public comments, the admin
 * approves it and it shows beside the nominee; after 公示 the admin awards; the member sees the
 * commendation on home, the points granted (岗位业绩受表彰) and on their annual record; the
 * 光荣榜 and the 荣誉证书 print on A4 (the certificate landscape) without the app's bars.
 */
describe('a 七一 commendation round from the phones and the board', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []
  const year = new Date().getFullYear()
  const citation = '全年检验报告零差错，带头攻关新项目'
  const feedback = '李二同志工作认真，群众公认'

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张一', login: 'zhang', role: 'member', group: 0 },
        { name: '李二', login: 'li', role: 'member', group: 0 },
        { name: '王三', login: 'wang', role: 'member', group: 1 },
        { name: '赵组长', login: 'zhao', role: 'group_leader', group: 1 },
      ],
    })
    // Known figures: 李二 6, 王三 4, 张一 2 above the base; the 书记 and 赵组长 none.
    for (const [i, points] of [[1, 6], [2, 4], [0, 2]] as const)
      await branch.admin.post('/api/points/approvals/adjustments', { memberId: branch.members[i]!.member.id, date: `${year}-03-0${i + 1}`, reason: '完成专项任务', category: 'excel', points })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const c of contexts)
      await c.close()
    await browser?.close()
    await server?.dispose()
  })

  async function open(client: ApiClient | null, phone: boolean): Promise<Page> {
    const context = phone
      ? await phoneContext(browser, { baseURL: server.url })
      : await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    contexts.push(context)
    if (client)
      await useSession(context, server, client)
    return context.newPage()
  }

  it('should shortlist, publish, take the public\'s feedback, decide, grant the points and print', async () => {
    const admin = await open(branch.admin, false)
    const round = (id: string) => branch.admin.get<Round>(`/api/commendations/rounds/${id}`)

    // The admin opens a 七一 round with the campaign's titles and starts nominating.
    await admin.goto('/honours')
    await admin.getByTestId('honour-kind').selectOption('july1')
    await admin.getByTestId('honour-create').click()
    await admin.waitForURL(/\/honours\/[0-9a-f-]{36}$/)
    const id = admin.url().split('/').at(-1)!
    await admin.getByTestId('honour-open').click()
    await expect.poll(async () => (await round(id)).status, { timeout: 30_000 }).toBe('nominating')

    // The shortlist of 优秀共产党员: by the record, best first; equal figures in pinyin order.
    await admin.getByRole('button', { name: '推荐参考名单' }).first().click()
    const rows = admin.getByTestId('honour-candidate')
    await rows.first().waitFor()
    const names = await rows.evaluateAll(trs => trs.map(tr => tr.querySelector('td')?.textContent?.trim()))
    expect(names).toEqual(['李二', '王三', '张一', '王书记', '赵组长'])

    // Nominated with a 事迹 (an op through the outbox), then published.
    await rows.first().locator('input').fill(citation)
    await rows.first().getByTestId('honour-nominate').click()
    await expect.poll(async () => (await round(id)).nominees.map(n => n.name), { timeout: 30_000 }).toEqual(['李二'])
    await admin.getByTestId('honour-publish').click()
    await expect.poll(async () => (await round(id)).status, { timeout: 30_000 }).toBe('publicity')

    // The public board shows the nominee and the 事迹; a member of the public comments.
    const { slug } = await branch.members[0]!.client.get<{ slug: string }>('/api/pledges/board-link')
    const board = await open(null, true)
    await board.goto(`/board/${slug}`)
    const nominee = board.getByTestId('board-nominee').filter({ hasText: '李二' })
    await nominee.waitFor()
    expect(await nominee.textContent()).toContain(citation)
    await nominee.locator('textarea').fill(feedback)
    await nominee.getByRole('button', { name: '提交意见' }).click()
    await board.getByText('已收到，审核后公开').waitFor()
    // Not public before it is approved.
    await board.reload()
    await nominee.waitFor()
    expect(await nominee.textContent()).not.toContain(feedback)

    // The 支委会 sees it beside the nominee and approves it; the board then shows it there.
    await admin.reload()
    const mine = admin.getByTestId('honour-nominee').filter({ hasText: '李二' })
    await mine.getByText(feedback).waitFor()
    await mine.getByRole('button', { name: '公开', exact: true }).click()
    await mine.getByText('已公开').waitFor()
    await board.reload()
    await nominee.getByText(feedback).waitFor()

    // 公示 over (its start moved back, as the server tests do), the admin awards.
    const handle = openDatabase(server.databaseUrl)
    await handle.db.updateTable('commendation_round').set({ published_at: new Date(Date.now() - 30 * 86_400_000).toISOString() }).where('id', '=', id).execute()
    await handle.db.destroy()
    await admin.reload()
    await admin.getByTestId('honour-award').click()
    await expect.poll(async () => (await round(id)).status, { timeout: 30_000 }).toBe('decided')
    expect((await round(id)).nominees[0]!.status).toBe('awarded')

    // The member: the commendation on home, the points granted by 岗位业绩受表彰, the annual record.
    const li = await open(branch.members[1]!.client, true)
    await li.goto('/')
    await expect.poll(async () => li.getByTestId('home-honours').textContent().catch(() => ''), { timeout: 30_000 }).toContain('优秀共产党员')
    await li.goto('/points')
    await expect.poll(async () => {
      await li.reload()
      return li.getByText('岗位业绩受表彰').count()
    }, { timeout: 30_000 }).toBeGreaterThan(0)
    await li.goto('/records?scope=member')
    await li.getByTestId('record-commendations').filter({ hasText: '优秀共产党员' }).waitFor()

    // The 光荣榜 on a portrait page and one landscape 荣誉证书 per awardee, none of the app's bars.
    await admin.goto(`/honours/${id}/print`)
    await admin.getByTestId('honour-certificate').waitFor()
    expect(await admin.getByTestId('honour-list').textContent()).toContain('李二')
    expect(await admin.getByTestId('honour-certificate').textContent()).toContain('李二')
    await admin.emulateMedia({ media: 'print' })
    for (const chrome of ['.van-tabbar', '.sync-bar', '.pwa-card', '.van-nav-bar', 'button'])
      expect(await admin.locator(chrome).filter({ visible: true }).count(), chrome).toBe(0)
    await admin.emulateMedia({ media: null })
    const pdf = await admin.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    writeFileSync('/tmp/xf-honours.pdf', pdf)
    expect(pdfPageCount(pdf)).toBe(2)
    expect(pdfPageOrientations(pdf).sort()).toEqual(['landscape', 'portrait'])
  }, 120_000)
})
