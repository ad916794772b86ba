import type { Browser, BrowserContext } from 'playwright-core'
import type { RunningServer, SeededBranch } from './harness'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pngBytes } from '../server/photo-helper'
import { launchBrowser, phoneContext, seedBranch, startServer, useSession, waitForServiceWorker } from './harness'

/* Evidence photos end to end: a member logs points with a photo while offline, the phone
   compresses and keeps it, syncs it once online (photo uploaded before the entry), and the group
   leader sees the thumbnail with its text alternative in 审核. */
describe('evidence photos in the browser', () => {
  let server: RunningServer
  let branch: SeededBranch
  let browser: Browser
  let member: BrowserContext
  let leader: BrowserContext

  beforeAll(async () => {
    server = await startServer()
    branch = await seedBranch(server, {
      members: [
        { name: '张测试', login: 'zhang', role: 'member', group: 0 },
        { name: '李组长', login: 'li', role: 'group_leader', group: 0 },
      ],
    })
    browser = await launchBrowser()
    member = await phoneContext(browser, { baseURL: server.url })
    await useSession(member, server, branch.members[0]!.client)
    leader = await phoneContext(browser, { baseURL: server.url })
    await useSession(leader, server, branch.members[1]!.client)
  })
  afterAll(async () => {
    await member?.close()
    await leader?.close()
    await browser?.close()
    await server?.dispose()
  })

  function serverRows(): { photos: { id: string, mime: string, size: number, owner_id: string | null }[], entries: { id: string, photo_ids: string }[] } {
    const db = new SQLite(server.databaseUrl.slice('sqlite:'.length), { readonly: true })
    try {
      return {
        photos: db.prepare('select id, mime, size, owner_id from photo').all() as never,
        entries: db.prepare('select id, photo_ids from point_entry').all() as never,
      }
    }
    finally {
      db.close()
    }
  }

  it('should keep a photo taken offline with its entry, upload it once when online, and show it to the reviewer with alt text', async () => {
    const page = await member.newPage()
    await page.goto('/')
    await waitForServiceWorker(page)
    await page.getByTestId('home-log-points').click()
    await page.getByTestId('rule-volunteer').click()
    await member.setOffline(true)
    await page.getByTestId('points-note').locator('textarea').fill('进社区宣传，附照片')
    // A 2400×1800 camera-sized picture: the phone shrinks it to a JPEG with a 1600 px long edge.
    await page.getByTestId('photo-input').setInputFiles({ name: 'volunteer.png', mimeType: 'image/png', buffer: pngBytes(2400, 1800, [30, 120, 200]) })
    const preview = page.getByRole('img', { name: '积分凭证照片 1' })
    await preview.waitFor()
    await page.getByTestId('points-save').click()
    await page.getByTestId('points-timeline').waitFor()
    await expect.poll(() => page.getByTestId('status-sync').count(), { timeout: 10_000 }).toBe(1)
    // Offline, the thumbnail in the timeline comes from the phone's own copy.
    const offlineThumb = page.getByTestId('points-timeline').getByRole('img', { name: '积分凭证照片 1' })
    await expect.poll(() => offlineThumb.evaluate(img => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0)
    expect(serverRows().photos).toEqual([])

    await member.setOffline(false)
    await page.getByTestId('sync-now').click().catch(() => {})
    await expect.poll(() => page.getByTestId('status-pending').count(), { timeout: 30_000 }).toBe(1)
    const { photos, entries } = serverRows()
    expect(entries).toHaveLength(1)
    expect(photos).toHaveLength(1)
    expect(photos[0]).toMatchObject({ mime: 'image/jpeg', owner_id: entries[0]!.id })
    expect(photos[0]!.size).toBeLessThanOrEqual(300_000)
    expect(JSON.parse(entries[0]!.photo_ids)).toEqual([photos[0]!.id])

    const review = await leader.newPage()
    await review.goto('/points/review')
    const thumb = review.getByRole('img', { name: '积分凭证照片 1' })
    await thumb.waitFor()
    await expect.poll(() => thumb.evaluate(img => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(1600)
    await review.screenshot({ path: '/tmp/xf-photos-review.png', fullPage: true })
  })

  it('should save 会议记录 with a photo from the organizer\'s meeting page, for the group\'s members to see', async () => {
    const now = Date.now()
    const meeting = await branch.members[1]!.client.post<{ id: string }>('/api/meetings', {
      type: 'group_meeting',
      groupId: branch.groups[0]!.id,
      topic: '党小组会',
      startsAt: new Date(now - 600_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      place: '二楼',
      agenda: '',
    })
    const page = await leader.newPage()
    await page.goto(`/meetings/${meeting.id}`)
    const form = page.getByTestId('meeting-minutes')
    await form.locator('textarea').fill('学习了党章第一章，5 人发言')
    await form.getByTestId('photo-input').setInputFiles({ name: 'meeting.png', mimeType: 'image/png', buffer: pngBytes(800, 600, [200, 160, 0]) })
    await form.getByRole('img', { name: '会议记录照片 1' }).waitFor()
    await form.getByRole('button', { name: '保存会议记录' }).click()
    const saved = () => branch.members[0]!.client.get<{ minutes?: string, minutesPhotoIds?: string[] }>(`/api/meetings/${meeting.id}`)
    await expect.poll(async () => (await saved()).minutesPhotoIds?.length, { timeout: 15_000 }).toBe(1)
    expect((await saved()).minutes).toBe('学习了党章第一章，5 人发言')
    await page.screenshot({ path: '/tmp/xf-photos-minutes.png', fullPage: true })
  })
})
