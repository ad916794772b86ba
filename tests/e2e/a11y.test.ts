import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Mode } from './a11y-audit'
import type { AppRoute, Seeded } from './a11y-routes'
import type { ApiClient, RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeProblems, ELDER_ROOT, MIN_TARGET, setRootScale, smallTargets, textOverflows } from './a11y-audit'
import { appRoutes, SHOWS, walkUrls } from './a11y-routes'
import { launchBrowser, makeUpperAdmin, phoneContext, seedBranch, startServer, tokenOf, useSession } from './harness'

/*
 * Issue 7: every route of the app, as the public, a member and an organizer, in the standard mode
 * and in 长辈版, on a 360 × 640 phone. Fails on a serious or critical axe-core violation, a main
 * control smaller than the mode's minimum, or text overflowing at 200 % text (a11y-audit.ts
 * defines each). New routes in router.ts are walked automatically once they have a URL in
 * a11y-routes.ts.
 */

type Persona = 'public' | 'member' | 'organizer' | 'upper'
const MODES: Mode[] = ['standard', 'elder']

/** Which persona opens a route: public screens logged out; organizer-only screens as the admin. */
function personasFor(route: AppRoute): Persona[] {
  if (route.public)
    return ['public']
  if (route.upper)
    return ['upper']
  return route.role ? ['organizer'] : ['member', 'organizer']
}

describe('accessibility walk over every route', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let seeded: Seeded
  let upper: ApiClient
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server)
    seeded = await seedContent(branch)
    upper = (await makeUpperAdmin(server)).client
    seeded.assessmentId = (await upper.post<{ id: string }>('/api/upper/assessments', { period: `${new Date().getFullYear()}-Y` })).id
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const context of contexts)
      await context.close()
    await browser?.close()
    await server?.dispose()
  })

  it('should have a URL in the walk for every route in router.ts, and no URL for a route that is gone', () => {
    const names = appRoutes().map(r => r.name)
    expect(names.length).toBeGreaterThan(20)
    expect(Object.keys(walkUrls(seeded)).sort()).toEqual([...names].sort())
  })

  it('should double every text size when the root font size is 200 % (the app is sized in rem)', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto('/login')
    await page.locator('h1').first().waitFor()
    const sizes = () => page.evaluate(() => [...document.querySelectorAll('h1, label, input, button')].map(el => Number.parseFloat(getComputedStyle(el).fontSize)))
    const before = await sizes()
    await setRootScale(page, 2)
    const after = await sizes()
    expect(after).toEqual(before.map(px => px * 2))
  })

  it('should report a nameless button, an image without text, a small target and clipped text when a screen has them', async () => {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto('/login')
    await page.locator('h1').first().waitFor()
    await page.evaluate(() => {
      document.querySelector('main, #app')!.insertAdjacentHTML('beforeend', `
        <button id="bad-nameless"></button>
        <img id="bad-img" src="/icons/icon-192.png">
        <button id="bad-small">记</button>
        <p id="bad-inline">请看<a href="/">说明</a>后再填</p>
        <div id="bad-clip">党员志愿服务</div>`)
      // Through the CSSOM, as the app itself styles: the CSP refuses style="" attributes in markup.
      const sizes: Record<string, string> = {
        'bad-nameless': 'width:60px;height:60px',
        'bad-small': 'width:40px;height:60px',
        'bad-clip': 'width:60px;height:20px;overflow:hidden',
      }
      for (const [id, css] of Object.entries(sizes))
        document.getElementById(id)!.style.cssText = css
    })
    const axe = (await axeProblems(page)).map(v => v.id)
    expect(axe).toEqual(expect.arrayContaining(['button-name', 'image-alt']))
    expect((await smallTargets(page, 44)).map(s => s.what)).toEqual(['<button> "记"'])
    expect((await textOverflows(page)).map(o => o.what)).toEqual(['<div> "党员志愿服务"'])
  })

  it('should pass axe-core, target sizes and 200 % text on every route, in both modes', { timeout: 240_000 }, async () => {
    const started = Date.now()
    const routes = appRoutes()
    const urls = walkUrls(seeded)
    const failures: string[] = []
    const walked: string[] = []
    // The two modes walk side by side (Chromium renders each page in its own process).
    await Promise.all(MODES.map(async (mode) => {
      for (const persona of ['public', 'member', 'organizer', 'upper'] as Persona[]) {
        const page = await openAs(persona, mode)
        for (const route of routes.filter(r => personasFor(r).includes(persona))) {
          const url = urls[route.name]
          const where = `${persona}/${mode} ${route.name} (${url})`
          if (!url) {
            failures.push(`${where}: no URL in tests/e2e/a11y-routes.ts`)
            continue
          }
          walked.push(where)
          await visit(page, url)
          const shows = persona === 'public' ? undefined : SHOWS[persona][route.name]
          if (shows && !(await page.getByText(shows).first().waitFor({ timeout: 10_000 }).then(() => true, () => false)))
            failures.push(`${where}: does not show "${shows}"`)
          for (const v of await axeProblems(page))
            failures.push(`${where}: axe ${v.impact} ${v.id} — ${v.help}: ${v.nodes.join(' | ')}`)
          for (const s of await smallTargets(page, MIN_TARGET[mode]))
            failures.push(`${where}: target ${s.width}×${s.height} < ${MIN_TARGET[mode]} ${s.what}`)
          await setRootScale(page, 2 * (mode === 'elder' ? ELDER_ROOT : 1))
          const overflows = await textOverflows(page)
          for (const o of overflows)
            failures.push(`${where}: 200% text ${o.what} ${o.why}`)
          // A11Y_SHOTS=<dir> keeps a picture of each screen that overflows, to see why.
          if (overflows.length && process.env.A11Y_SHOTS)
            await page.screenshot({ path: `${process.env.A11Y_SHOTS}/${persona}-${mode}-${route.name}.png`, fullPage: true })
          await setRootScale(page, null)
        }
      }
    }))
    console.info(`a11y walk: ${walked.length} screens in ${Math.round((Date.now() - started) / 1000)} s\n${walked.sort().join('\n')}`)
    expect(failures).toEqual([])
  })

  async function openAs(persona: Persona, mode: Mode): Promise<Page> {
    const context = await phoneContext(browser, { baseURL: server.url })
    contexts.push(context)
    // The standard walk leaves the choice unmade, so the first-use 长辈版 prompt is walked too.
    if (mode === 'elder')
      await context.addInitScript(() => localStorage.setItem('xf.elderMode', '1'))
    if (persona === 'member')
      await useSession(context, server, branch.members[0]!.client)
    if (persona === 'organizer')
      await useSession(context, server, branch.admin)
    if (persona === 'upper')
      await useSession(context, server, upper)
    return context.newPage()
  }
})

/** Opens a URL and waits until the screen has its data: no request in flight for 200 ms. */
async function visit(page: Page, url: string): Promise<void> {
  const net = { inFlight: 0, quietSince: Date.now() }
  const up = () => {
    net.inFlight++
  }
  const down = () => {
    net.inFlight = Math.max(0, net.inFlight - 1)
    net.quietSince = Date.now()
  }
  page.on('request', up)
  page.on('requestfinished', down)
  page.on('requestfailed', down)
  try {
    await page.goto(url)
    const deadline = Date.now() + 8_000
    while (Date.now() < deadline && (net.inFlight > 0 || Date.now() - net.quietSince < 200))
      await page.waitForTimeout(50)
  }
  finally {
    page.off('request', up)
    page.off('requestfinished', down)
    page.off('requestfailed', down)
  }
}

/** Gives the screens something to show: entries (one returned), a published pledge, a meeting, an open invite. */
async function seedContent(branch: SeededBranch): Promise<Seeded> {
  const member = branch.members[0]!
  const { rules } = await member.client.get<{ rules: { id: string, key: string }[] }>('/api/points/rules')
  const ruleId = (key: string) => rules.find(r => r.key === key)!.id
  const today = new Date().toISOString().slice(0, 10)
  const entry = (key: string, note: string) => ({ opId: randomUUID(), seq: 0, type: 'entry.create', payload: { id: randomUUID(), ruleId: ruleId(key), date: today, note }, clientTime: new Date().toISOString() })
  const ops = [entry('volunteer', '进社区宣传食品安全'), entry('volunteer', '参加义务植树')].map((op, i) => ({ ...op, seq: i + 1 }))
  await member.client.post('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops })
  await branch.admin.post(`/api/points/approvals/${ops[1]!.payload.id}/return`, { reason: 'evidence_missing', text: '请补充活动照片' })

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

  const now = Date.now()
  const meeting = await branch.admin.post<{ id: string }>('/api/meetings', {
    type: 'branch_assembly',
    groupId: null,
    topic: '学习贯彻会议精神',
    startsAt: new Date(now - 10 * 60_000).toISOString(),
    endsAt: new Date(now + 60 * 60_000).toISOString(),
    place: '三楼会议室',
    agenda: '',
  })
  const newcomer = await branch.admin.post<{ id: string }>('/api/members', { name: '王新', login: 'wang', role: 'member', titles: [], groupId: branch.groups[0]!.id })
  const invite = await branch.admin.post<{ url: string }>(`/api/members/${newcomer.id}/invite`)
  const review = await branch.admin.post<{ id: string }>('/api/group-reviews', { period: `${year}-Y` })
  const round = await branch.admin.post<{ id: string }>('/api/commendations/rounds', { kind: 'july1', year, titles: [{ name: '优秀共产党员', target: 'member', quota: 1 }] })
  // A closed branch-wide 讲评 with the member's 陈述, so its page and result sheet have content.
  const reviewId = randomUUID()
  const push = (client: typeof member.client, ops: { type: string, payload: unknown }[]) => client.post('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: ops.map((o, i) => ({ ...o, opId: randomUUID(), seq: i + 1, clientTime: new Date().toISOString() })) })
  await push(branch.admin, [{ type: 'review.create', payload: { id: reviewId, groupId: null, period: `${year}-H1`, meetingId: null, title: '上半年讲评' } }, { type: 'review.advance', payload: { sessionId: reviewId, to: 'rating' } }])
  await push(member.client, [{ type: 'review.statement', payload: { sessionId: reviewId, participation: '参加了全部组织生活', pledges: '', improvement: '' } }])
  await push(branch.admin, [{ type: 'review.advance', payload: { sessionId: reviewId, to: 'closed' } }])
  return { pledgeId: pledge.id, meetingId: meeting.id, memberId: member.member.id, boardSlug: slug, inviteToken: tokenOf(invite.url), reviewId, groupReviewId: review.id, roundId: round.id, branchId: branch.adminMe.branchId, assessmentId: '' }
}
