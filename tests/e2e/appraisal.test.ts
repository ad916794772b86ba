import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { randomBytes, randomUUID } from 'node:crypto'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/*
 * 民主评议党员 in Chromium (issue 13): a branch of 6 appraises its year. The admin opens it and
 * moves it on from the phone, a member writes their 个人总结 beside their year record and votes —
 * a ballot with too many 优秀 refused on the phone with the numbers, then fixed and accepted — the
 * admin closes and counts, the 支委会 sets a grade differing from the ballot (a reason required),
 * and that member sees their counts and grade. The other members' ballots and the undisputed
 * grades are pushed through the sync API: this test is about the screens, not their number.
 */
const YEAR = 2026
type Who = SeededBranch['members'][number]

describe('a branch\'s 民主评议 from the phones', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张一', login: 'zhang', role: 'member', group: 0 },
        { name: '李二', login: 'li', role: 'member', group: 0 },
        { name: '王三', login: 'wang', role: 'member', group: 1 },
        { name: '赵四', login: 'zhao', role: 'member', group: 1 },
        { name: '钱五', login: 'qian', role: 'member', group: 0 },
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

  async function phone(client: ApiClient): Promise<Page> {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    await useSession(context, server, client)
    return context.newPage()
  }

  /** One op pushed as a phone would, for the steps this test does not click through. */
  async function pushOp(client: ApiClient, type: string, payload: unknown) {
    const res = await client.post<{ results: { status: string, code?: string }[] }>('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [{ opId: randomUUID(), seq: 1, type, payload, clientTime: new Date().toISOString() }] })
    expect(res.results[0]).toMatchObject({ status: 'applied' })
  }

  const status = () => branch.admin.get<{ appraisal: { id: string, status: string } | null }>(`/api/appraisals/year/${YEAR}`).then(r => r.appraisal?.status ?? null)

  async function step(admin: Page, to: string) {
    await admin.goto(`/appraisal?year=${YEAR}`)
    await admin.locator(`[data-testid="appraisal-step"][data-to="${to}"]`).click()
    await admin.locator('.van-dialog__confirm').click()
    await expect.poll(status, { timeout: 30_000 }).toBe(to)
  }

  it('should open, vote (one ballot refused for too many 优秀), count and decide, and show a member their grade', async () => {
    const [zhang, li, wang, zhao, qian] = branch.members as [Who, Who, Who, Who, Who]
    const everyone = [{ id: branch.adminMe.id, client: branch.admin }, ...branch.members.map(m => ({ id: m.member.id, client: m.client }))]

    // The admin opens the year from the phone: 全支部互评, 优秀 at most 1/3 → ⌊6/3⌋ = 2 per ballot.
    const admin = await phone(branch.admin)
    await admin.goto(`/appraisal?year=${YEAR}`)
    await admin.getByTestId('appraisal-open').click()
    await admin.getByTestId('open-submit').click()
    await admin.waitForURL(/\/appraisal\?year=2026$/)
    await expect.poll(status, { timeout: 30_000 }).toBe('summaries')
    const id = (await branch.admin.get<{ appraisal: { id: string } }>(`/api/appraisals/year/${YEAR}`)).appraisal.id

    // 张一 writes the 个人总结 with the year record attached.
    const a = await phone(zhang.client)
    await a.goto(`/appraisal/summary?year=${YEAR}`)
    await a.getByTestId('appraisal-record').waitFor()
    expect(await a.getByTestId('appraisal-record').textContent()).toContain('出勤率')
    await a.getByTestId('summary-text').fill('一年来带头学习，按时参加组织生活，承诺事项全部兑现。')
    await a.getByTestId('summary-save').click()
    await a.getByTestId('summary-saved').waitFor()

    await step(admin, 'ballot')

    // 张一 votes: three 优秀 is refused on the phone with the numbers; one changed, it is accepted.
    await a.goto(`/appraisal/ballot?year=${YEAR}`)
    const choose = (name: string, grade: string) => a.getByTestId(`grade-${name}`).locator(`button[data-grade="${grade}"]`).click()
    await choose('李二', 'excellent')
    await choose('王三', 'excellent')
    await choose('赵四', 'excellent')
    await choose('钱五', 'qualified')
    await choose('王书记', 'qualified')
    expect(await a.getByTestId('grade-张一').count()).toBe(0)
    expect(await a.getByTestId('ballot-quota').textContent()).toContain('优秀 3 人 / 最多 2 人')
    await a.getByTestId('ballot-save').click()
    expect(await a.getByTestId('ballot-error').textContent()).toBe('优秀最多 2 人，您选了 3 人')
    const voted = () => zhang.client.get<{ voted: boolean }>(`/api/appraisals/year/${YEAR}`).then(r => r.voted)
    expect(await voted()).toBe(false)
    await choose('赵四', 'basic')
    await a.getByTestId('ballot-save').click()
    await a.getByTestId('ballot-saved').waitFor()
    await expect.poll(voted, { timeout: 30_000 }).toBe(true)

    // Everyone else votes (through the API): 李二 优秀 from all, the rest 合格.
    for (const voter of everyone.filter(p => p.id !== zhang.member.id)) {
      const grades = Object.fromEntries(everyone.filter(p => p.id !== voter.id).map(p => [p.id, p.id === li.member.id ? 'excellent' : 'qualified']))
      await pushOp(voter.client, 'appraisal.ballot', { appraisalId: id, secret: randomBytes(32).toString('base64url'), grades })
    }

    await step(admin, 'counted')

    // The 支委会: 李二 has 5 × 优秀; setting 合格 needs a reason, refused on the phone without one.
    await admin.goto(`/appraisal/results?year=${YEAR}`)
    const row = admin.getByTestId('result-李二')
    await row.waitFor()
    expect(await admin.getByTestId('results-voters').textContent()).toContain('已投票 6 人')
    expect(await row.getByTestId('count-excellent').textContent()).toBe('5')
    await row.locator('button[data-grade="qualified"]').click()
    await row.getByTestId('decide-save').click()
    expect(await row.getByTestId('decide-error').textContent()).toContain('李二 的确定等次与投票结果（优秀）不同，请填写理由')
    await row.getByTestId('decide-reason').fill('全年两次无故缺席组织生活')
    await row.getByTestId('decide-save').click()
    await expect.poll(async () => (await branch.admin.get<{ members: { name: string, finalGrade: string | null }[] }>(`/api/appraisals/${id}/results`)).members.find(m => m.name === '李二')?.finalGrade, { timeout: 30_000 }).toBe('qualified')
    for (const m of [branch.adminMe.id, zhang.member.id, wang.member.id, zhao.member.id, qian.member.id])
      await pushOp(branch.admin, 'appraisal.decide', { appraisalId: id, memberId: m, grade: 'qualified', reason: '' })

    await step(admin, 'decided')

    // 李二 sees their own counts and the 支委会's grade with its reason.
    const b = await phone(li.client)
    await b.goto(`/appraisal?year=${YEAR}`)
    await b.getByTestId('appraisal-my-grade').waitFor()
    expect(await b.getByTestId('my-count-excellent').textContent()).toContain('5')
    expect(await b.getByTestId('appraisal-my-grade').textContent()).toContain('合格')
    expect(await b.getByTestId('appraisal-my-result').textContent()).toContain('全年两次无故缺席组织生活')
  }, 120_000)
})
