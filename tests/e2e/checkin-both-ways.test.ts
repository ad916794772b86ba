import type { CheckinKeys, MeetingScreen } from '#shared/meetings/schemas'
import type { Browser, Page } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { codeForWindow, importMeetingKey, importSigningKey, personalCodeForWindow, windowAt } from '#shared/meetings/token'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { qrScenesY4m } from './checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

/*
 * Issue 15 end to end, in Chromium with a fake camera (a looping .y4m of QR codes): the member's
 * phone verifies the meeting's code with the server down; the organizer's phone scans members'
 * personal codes with the server down; 签退.
 */
const MIN = 60_000
const TOPIC = '学习贯彻全会精神'

function tamper(token: string): string {
  return `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`
}

describe('check-in both ways, offline', () => {
  let server: RunningServer
  let branch: SeededBranch
  const browsers: Browser[] = []

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '赵测试', login: 'zhao', role: 'member', group: 0 },
        { name: '钱测试', login: 'qian', role: 'member', group: 1 },
        { name: '孙测试', login: 'sun', role: 'member', group: 1 },
      ],
    })
  })
  // A test that fails while the server is stopped must not take the next one with it.
  afterEach(async () => {
    if (server && !(await fetch(`${server.url}/api/health`).then(r => r.ok, () => false)))
      await server.restart()
  })
  afterAll(async () => {
    for (const b of browsers)
      await b.close()
    await server?.dispose()
  })

  async function meeting(topic: string, checkout = false): Promise<{ id: string, screen: MeetingScreen }> {
    const now = Date.now()
    const { id } = await branch.admin.post<{ id: string }>('/api/meetings', { type: 'branch_assembly', groupId: null, topic, startsAt: new Date(now - 20 * MIN).toISOString(), endsAt: new Date(now + 60 * MIN).toISOString(), place: '三楼会议室', agenda: '', checkout })
    return { id, screen: await branch.admin.get<MeetingScreen>(`/api/meetings/${id}/screen`) }
  }

  /**
   * A browser whose fake camera plays a video written later, by `film`, just before the camera
   * opens (Chromium reads the file then): the codes are made fresh at that moment.
   */
  async function camera(): Promise<{ b: Browser, film: (scenes: { text: string, frames: number }[]) => void }> {
    const video = join(tmpdir(), `xf-both-ways-${Date.now()}-${browsers.length}.y4m`)
    qrScenesY4m([{ text: 'placeholder', frames: 1 }], video)
    const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] })
    browsers.push(b)
    return { b, film: scenes => qrScenesY4m(scenes, video) }
  }

  /** A phone that has been online: the app installed, the meetings (and their public keys) pulled. */
  async function onlinePhone(b: Browser, who: SeededBranch['admin'], path: string): Promise<Page> {
    const phone = await phoneContext(b, { baseURL: server.url })
    await useSession(phone, server, who)
    const page = await phone.newPage()
    await page.goto('/me')
    await waitForServiceWorker(page)
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 30_000 }).toContain('已同步')
    await page.goto(path)
    return page
  }

  async function syncedAgain(page: Page): Promise<void> {
    await page.goto('/me')
    await expect.poll(async () => {
      await page.getByTestId('sync-now').click({ timeout: 2000 }).catch(() => {})
      return page.getByTestId('sync-state').textContent()
    }, { timeout: 60_000, interval: 1000 }).toContain('已同步')
  }

  it('should tell the member, with no network, that a code of another meeting, a forged one and an old photo are not valid, then take the real one', async () => {
    const m = await meeting(TOPIC)
    const other = await meeting('另一场会议')
    const { b, film } = await camera()
    const page = await onlinePhone(b, branch.members[0]!.client, '/checkin')
    const card = page.locator('.checkin__card', { hasText: TOPIC })
    await card.waitFor()

    const key = await importMeetingKey(m.screen.key)
    // Ten seconds ahead: still fresh for the server when the phone syncs half a minute later.
    const genuine = await codeForWindow(key, m.id, windowAt(Date.now()) + 1)
    const stale = await codeForWindow(key, m.id, windowAt(Date.now() - 3 * MIN))
    const otherCode = await codeForWindow(await importMeetingKey(other.screen.key), other.id, windowAt(Date.now()))
    film([
      { text: otherCode.token, frames: 30 },
      { text: tamper(genuine.token), frames: 30 },
      { text: stale.token, frames: 30 },
      { text: genuine.token, frames: 30 },
    ])
    await server.stop()
    await card.getByRole('button', { name: '扫码', exact: true }).click()
    const verdict = page.locator('.checkin__note[data-verdict]')
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000, interval: 50 }).toBe('wrongMeeting')
    expect(await verdict.textContent()).toContain('不是这个会议的签到码')
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000, interval: 50 }).toBe('forged')
    expect(await verdict.textContent()).toContain('无效的签到码')
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000, interval: 50 }).toBe('stale')
    expect(await verdict.textContent()).toContain('签到码已过期，请扫描屏幕上的新码')
    // The genuine code: kept on the phone (待同步) with no network.
    const done = page.locator('.checkin__done')
    await done.waitFor({ timeout: 30_000 })
    expect(await done.getAttribute('data-status')).toBe('queued')
    const measured = await page.evaluate(() => performance.getEntriesByName('xf-verify').map(e => e.duration))
    expect(measured.length).toBeGreaterThanOrEqual(4)

    await server.restart()
    await syncedAgain(page)
    const list = await branch.admin.get<{ rows: { name: string, status: string | null, method: string | null }[] }>(`/api/meetings/${m.id}/attendance`)
    expect(list.rows.find(r => r.name === '张测试')).toMatchObject({ status: 'verified', method: 'qr' })
    // Nothing was stored for the refused codes: the other meeting has no row for the member.
    const otherList = await branch.admin.get<{ rows: { name: string, status: string | null }[] }>(`/api/meetings/${other.id}/attendance`)
    expect(otherList.rows.find(r => r.name === '张测试')?.status).toBeNull()
  })

  it('should let the organizer scan three members\' personal codes with no network, refuse a replayed screenshot, and record three check-ins after sync', async () => {
    const m = await meeting('扫码签到的支部大会')
    // Each member's phone received its own key (the 签到 tab does that while online).
    const signKeys: CryptoKey[] = []
    for (const member of branch.members.slice(1, 4))
      signKeys.push(await importSigningKey((await member.client.get<CheckinKeys>('/api/checkin/keys')).signKey))
    const { b, film } = await camera()
    // Online once: the 签到 tab keeps the members' public keys on the phone.
    const page = await onlinePhone(b, branch.admin, '/checkin')
    await page.getByTestId('show-my-code').waitFor()
    await expect.poll(() => page.evaluate(() => new Promise<boolean>((resolve) => {
      const open = indexedDB.open('xianfeng')
      open.onsuccess = () => {
        const all = open.result.transaction('meta').objectStore('meta').getAllKeys()
        all.onsuccess = () => resolve((all.result as string[]).some(k => String(k).startsWith('checkin-keys:')))
      }
      open.onerror = () => resolve(false)
    })), { timeout: 15_000 }).toBe(true)

    const ids = branch.members.slice(1, 4).map(x => x.member.id)
    const codes = await Promise.all(ids.map((id, i) => personalCodeForWindow(signKeys[i]!, id, windowAt(Date.now()) + 1)))
    // A screenshot of 孙测试's code from five minutes ago, shown before the real one.
    const replay = await personalCodeForWindow(signKeys[2]!, ids[2]!, windowAt(Date.now() - 5 * MIN))
    film([
      { text: codes[0]!.token, frames: 15 },
      { text: codes[1]!.token, frames: 15 },
      { text: replay.token, frames: 15 },
      { text: codes[2]!.token, frames: 15 },
    ])
    await server.stop()
    await page.goto(`/meetings/${m.id}/scan`)
    const count = page.getByTestId('scan-count')
    await expect.poll(() => count.textContent(), { timeout: 40_000 }).toContain('3 人').catch(async (err) => {
      await page.screenshot({ path: '/tmp/xf-scan-fail.png', fullPage: true })
      throw err
    })
    const refused = page.locator('[data-result="refused"]', { hasText: '已过期' })
    await expect.poll(() => refused.count(), { timeout: 20_000 }).toBeGreaterThan(0)
    const shape = await page.locator('.meetings-scan__icon').count()
    expect(shape).toBe(1)

    await server.restart()
    await syncedAgain(page)
    const list = await branch.admin.get<{ rows: { name: string, status: string | null, method: string | null }[] }>(`/api/meetings/${m.id}/attendance`)
    for (const name of ['赵测试', '钱测试', '孙测试'])
      expect(list.rows.find(r => r.name === name)).toMatchObject({ status: 'verified', method: 'scan' })
    expect(list.rows.filter(r => r.method === 'scan')).toHaveLength(3)
  })

  it('should let a member 签退 at the end of a meeting that asks for it, shown on the organizer\'s attendance list', async () => {
    const m = await meeting('需要签退的会议', true)
    const key = await importMeetingKey(m.screen.key)
    const member = branch.members[0]!
    const arrival = await codeForWindow(key, m.id, windowAt(Date.now()))
    // Checked in earlier from another device (the push a phone makes).
    const pushed = await member.client.post<{ results: { status: string }[] }>('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [{ opId: randomUUID(), seq: 1, type: 'checkin.create', payload: { meetingId: m.id, token: arrival.token, scannedAt: new Date().toISOString() }, clientTime: new Date().toISOString() }] })
    expect(pushed.results[0]?.status).toBe('applied')
    const { b, film } = await camera()
    const page = await onlinePhone(b, member.client, '/checkin')
    const card = page.locator('.checkin__card', { hasText: '需要签退的会议' })
    await card.waitFor()
    film([{ text: (await codeForWindow(key, m.id, windowAt(Date.now()) + 1)).token, frames: 10 }])
    await card.getByRole('button', { name: '签退' }).click()
    await page.locator('.checkin__done[data-status="checked-out"]').waitFor({ timeout: 30_000 })
    await syncedAgain(page)
    await page.goto('/checkin')
    await expect.poll(() => card.getByTestId('departed').textContent(), { timeout: 15_000 }).toContain('已签退')

    const organizer = await phoneContext(b, { baseURL: server.url })
    await useSession(organizer, server, branch.admin)
    const attendance = await organizer.newPage()
    await attendance.goto(`/meetings/${m.id}`)
    const row = attendance.locator('.meetings__row[data-member="张测试"]')
    await expect.poll(() => row.getByTestId('attendance-times').textContent(), { timeout: 15_000 }).toContain('签退')
    // Arrived 20 minutes after the start and left 60 minutes before the end.
    expect(await row.textContent()).toContain('迟到')
    expect(await row.textContent()).toContain('早退')
    await attendance.screenshot({ path: '/tmp/xf-checkout-attendance.png', fullPage: true })
  })
})
