import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { qrY4m } from './checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, launchBrowser, phoneContext, seedBranch, startServer, useSession } from './harness'

/* Issue 5 end to end: the organizer's 签到 screen → its QR as a fake camera → the member's phone
   checks in through the real decoder; and the 6-digit code path. */
describe('meeting check-in in the browser', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let organizer: BrowserContext
  let meetingId: string

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '赵测试', login: 'zhao', role: 'member', group: 0 },
      ],
    })
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
    meetingId = meeting.id
    browser = await launchBrowser()
    organizer = await phoneContext(browser, { baseURL: server.url })
    await organizer.addCookies([{ name: 'xf_session', value: branch.admin.session, url: server.url, httpOnly: true, sameSite: 'Lax' }])
  })
  afterAll(async () => {
    await organizer?.close()
    await browser?.close()
    await server?.dispose()
  })

  async function shownOnScreen() {
    const page = await organizer.newPage()
    await page.goto(`/meetings/${meetingId}/screen`)
    const canvas = page.locator('canvas[data-token]')
    await canvas.waitFor({ timeout: 20_000 })
    const token = await canvas.getAttribute('data-token')
    const code = (await page.getByTestId('checkin-code').textContent())!.replace(/\s/g, '')
    return { page, token: token!, code }
  }

  it('should check a member in from the organizer screen\'s QR through a fake camera and the real decoder', async () => {
    const { page: screen, token } = await shownOnScreen()
    expect(token).toMatch(/^xf2:/)
    const video = join(tmpdir(), `xf-checkin-${Date.now()}.y4m`)
    qrY4m(token, video)
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    })
    try {
      const phone = await phoneContext(camBrowser, { baseURL: server.url })
      await useSession(phone, server, branch.members[0]!.client)
      const page = await phone.newPage()
      await page.goto('/checkin')
      await page.getByRole('button', { name: '扫码签到' }).first().click()
      await page.locator('.checkin__done[data-status="verified"]').waitFor({ timeout: 30_000 })
      await page.locator('.checkin__done-topic', { hasText: '学习贯彻会议精神' }).waitFor()
      const decoder = await page.evaluate(() => document.documentElement.dataset.xfDecoder)
      expect(['native', 'zxing']).toContain(decoder)
      // The organizer's screen counts the member.
      await screen.getByText('张测试').waitFor({ timeout: 15_000 })
    }
    finally {
      await camBrowser.close()
    }
  })

  it('should check a member in with the 6-digit code under the QR', async () => {
    const { code } = await shownOnScreen()
    const phone = await phoneContext(browser, { baseURL: server.url })
    await useSession(phone, server, branch.members[1]!.client)
    const page = await phone.newPage()
    await page.goto('/checkin')
    await page.getByRole('button', { name: '输入签到码' }).first().click()
    await page.locator('input[inputmode="numeric"]').fill(code)
    await page.getByRole('button', { name: '签到', exact: true }).click()
    await page.locator('.checkin__done[data-status="verified"]').waitFor({ timeout: 30_000 })
    const attendance = await branch.admin.get<{ rows: { name: string, status: string | null }[] }>(`/api/meetings/${meetingId}/attendance`)
    expect(attendance.rows.find(r => r.name === '赵测试')?.status).toBe('verified')
    await phone.close()
  })
})
