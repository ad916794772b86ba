import type { Browser, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db/database'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * 讲评 guests (issue 12 item 7): a guest with no account opens the session's link in a fresh
 * browser, rates two members, is refused a second ballot from the same browser, and the group
 * leader lets the guest's comment through. The session is written straight into the server's
 * database: creating and advancing sessions is another branch's work.
 */

describe('a guest rates a group\'s members through the 讲评 link', () => {
  let server: RunningServer
  let browser: Browser
  let branch: SeededBranch
  let sessionId: string
  let code: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '赵党员', login: 'zhao', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0, titles: ['组长'] },
      ],
    })
    const handle = openDatabase(server.databaseUrl)
    const now = new Date().toISOString()
    sessionId = randomUUID()
    code = randomBytes(12).toString('base64url')
    const leader = branch.members[2]!.member
    await handle.db.insertInto('review_session').values({ id: sessionId, branch_id: branch.adminMe.branchId, group_id: branch.groups[0]!.id, meeting_id: null, title: '2026年上半年组织生活会讲评', period: '2026-H1', period_from: '2026-01-01', period_to: '2026-06-30', status: 'rating', guest_cap: 10, guest_code: code, created_by: leader.id, opened_at: now, rating_opened_at: now, closed_at: null, closed_by: null, created_at: now, updated_at: now }).execute()
    await handle.db.insertInto('review_statement').values({ id: randomUUID(), session_id: sessionId, branch_id: branch.adminMe.branchId, member_id: branch.members[0]!.member.id, participation: '带头参加社区志愿服务十二次', pledges: '承诺全部兑现', improvement: '加强理论学习', created_at: now, updated_at: now }).execute()
    await handle.db.destroy()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  async function rate(page: Page, name: string, word: string, comment = '') {
    const card = page.locator(`section[aria-label="${name}"]`)
    await card.getByRole('button', { name: `为 ${name} 评分` }).click()
    for (let k = 0; k < 5; k++)
      await card.locator('label.g-choice').filter({ hasText: new RegExp(`^${word}$`) }).nth(k).click()
    if (comment)
      await card.locator('textarea').fill(comment)
  }

  it('should take the guest\'s ballot once, refuse the second from the same browser, and hold the comment for the leader', async () => {
    const guest = await phoneContext(browser)
    const page = await guest.newPage()
    await page.goto(`${server.url}/g/${code}`)
    await expect.poll(() => page.getByRole('heading', { name: '2026年上半年组织生活会讲评' }).isVisible(), { timeout: 15_000 }).toBe(true)
    await expect.poll(() => page.getByText('带头参加社区志愿服务十二次').isVisible()).toBe(true)
    // No account, no app: nothing of the member app or anyone's login.
    const text = await page.locator('body').textContent() ?? ''
    expect(text).not.toMatch(/zhang|zhao|积分/)

    await page.getByLabel('您的姓名（可不填）').fill('王师傅')
    await page.locator('label.g-choice', { hasText: '服务对象' }).click()
    await rate(page, '张测试', '满意', '服务群众很热心')
    await rate(page, '赵党员', '比较满意')
    await page.getByRole('button', { name: '提交评分' }).click()
    await expect.poll(() => page.getByText('评分已提交，谢谢您的参与！').isVisible()).toBe(true)

    // Same browser again, as if the page forgot: the server still knows this phone.
    await page.evaluate(c => localStorage.removeItem(`xf-guest-done:${c}`), code)
    await page.reload()
    await rate(page, '张测试', '不满意')
    await page.locator('label.g-choice', { hasText: '其他' }).click()
    await page.getByRole('button', { name: '提交评分' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('您已经评过分了')
    await guest.close()

    // The group leader lets the comment through from the organizer's page.
    const leader = branch.members[2]!
    const phone = await phoneContext(browser)
    await useSession(phone, server, leader.client)
    const org = await phone.newPage()
    await org.goto(`${server.url}/reviews/${sessionId}/guests`)
    await expect.poll(() => org.locator('[data-testid=guest-url]').textContent(), { timeout: 15_000 }).toContain(`/g/${code}`)
    expect(await org.getByText('已有 1 位群众评分（上限 10 人）').isVisible()).toBe(true)
    const comment = org.locator('[data-testid=guest-comment]')
    await expect.poll(() => comment.textContent()).toContain('服务群众很热心')
    expect(await comment.textContent()).toContain('王师傅')
    await comment.getByRole('button', { name: '通过', exact: true }).click()
    await expect.poll(() => org.locator('[data-testid=guest-comments-empty]').isVisible()).toBe(true)
    const approved = await leader.client.get<{ comment: string }[]>(`/api/reviews/${sessionId}/guest-comments?status=approved`)
    expect(approved.map(c => c.comment)).toEqual(['服务群众很热心'])
    await phone.close()
  })
})
