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
    await review.goto('/points/approvals')
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

    // The saved photo counts against the six: three picked together from the gallery all arrive,
    // one more alone, then two at once adds one and says so.
    await expect.poll(() => form.locator('legend').textContent(), { timeout: 10_000 }).toContain('1/6')
    const png = (i: number) => ({ name: `m${i}.png`, mimeType: 'image/png', buffer: pngBytes(320, 240, [40 * i, 80, 120]) })
    await form.getByTestId('photo-input').setInputFiles([png(2), png(3), png(4)])
    await form.getByRole('img', { name: '会议记录照片 4' }).waitFor()
    await expect.poll(() => form.locator('legend').textContent()).toContain('4/6')
    await form.getByTestId('photo-input').setInputFiles(png(5))
    await form.getByRole('img', { name: '会议记录照片 5' }).waitFor()
    await form.getByTestId('photo-input').setInputFiles([png(6), png(7)])
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('每条记录最多 6 张照片（含已有的），这次只添加了 1 张')
    await form.getByRole('img', { name: '会议记录照片 6' }).waitFor()
    await expect.poll(() => form.locator('legend').textContent()).toContain('6/6')
    expect(await form.getByTestId('photos-full').textContent()).toContain('已有 6 张照片，达到上限')
    expect(await form.getByTestId('photo-input').count()).toBe(0)
    await form.getByRole('button', { name: '保存会议记录' }).click()
    await expect.poll(async () => (await saved()).minutesPhotoIds?.length, { timeout: 15_000 }).toBe(6)
  })

  it('should let the member replace the photo of a returned entry, and the leader then sees only the new one', async () => {
    const earlier = new Set(serverRows().entries.map(e => e.id))
    const page = await member.newPage()
    await page.goto('/')
    await page.getByTestId('home-log-points').click()
    await page.getByTestId('rule-volunteer').click()
    await page.getByTestId('points-note').locator('textarea').fill('照片拍得不清楚')
    await page.getByTestId('photo-input').setInputFiles({ name: 'blurry.png', mimeType: 'image/png', buffer: pngBytes(1200, 900, [220, 40, 40]) })
    await page.getByRole('img', { name: '积分凭证照片 1' }).waitFor()
    await page.getByTestId('points-save').click()
    await page.getByTestId('points-timeline').waitFor()
    const fresh = () => serverRows().entries.find(e => !earlier.has(e.id))
    await expect.poll(() => fresh()?.photo_ids, { timeout: 30_000 }).toMatch(/"/)
    const { id, photo_ids } = fresh()!
    const [oldPhoto] = JSON.parse(photo_ids) as string[]
    await branch.members[1]!.client.post(`/api/points/approvals/${id}/return`, { reason: 'evidence_missing' })

    await page.reload()
    await page.getByTestId('sync-now').click().catch(() => {})
    const cell = page.getByTestId(`entry-${id}`)
    await cell.getByRole('button', { name: '修改后重新提交' }).click({ timeout: 30_000 })
    const form = page.locator('.points-resubmit')
    // The entry's photo, from the server, removable by name; the picker already counts it.
    await form.getByRole('img', { name: '积分凭证照片 1' }).waitFor()
    expect(await form.locator('legend').textContent()).toContain('1/6')
    await form.getByRole('button', { name: '删除积分凭证照片 1' }).click()
    await expect.poll(() => form.locator('legend').textContent()).toContain('0/6')
    await form.getByTestId('photo-input').setInputFiles({ name: 'clear.png', mimeType: 'image/png', buffer: pngBytes(900, 700, [40, 160, 60]) })
    await form.getByRole('img', { name: '积分凭证照片 1' }).waitFor()
    await form.getByRole('button', { name: '重新提交' }).click()

    await expect.poll(() => JSON.parse(serverRows().entries.find(e => e.id === id)!.photo_ids) as string[], { timeout: 30_000 }).not.toEqual([oldPhoto])
    const [newPhoto] = JSON.parse(serverRows().entries.find(e => e.id === id)!.photo_ids) as string[]
    expect(serverRows().photos.find(p => p.id === newPhoto)).toMatchObject({ owner_id: id, mime: 'image/jpeg' })

    const review = await leader.newPage()
    await review.goto('/points/approvals')
    const thumbs = review.getByTestId(`approval-${id}`).getByRole('img')
    await thumbs.first().waitFor()
    expect(await thumbs.count()).toBe(1)
    expect(await thumbs.first().getAttribute('alt')).toBe('积分凭证照片 1')
    await expect.poll(() => thumbs.first().evaluate(img => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(900)
    expect(await thumbs.first().getAttribute('src')).toBe(`/api/photos/${newPhoto}`)
  })

  it('should show a 践诺 record\'s photo in the pledge detail\'s log, from the phone while offline and from the server for the branch once synced', async () => {
    const year = new Date().getFullYear()
    const owner = branch.members[0]!.client
    const pledge = await owner.post<{ id: string }>('/api/pledges', {
      ownerKind: 'member',
      year,
      supervisor: '王书记',
      supervisorContact: '支部办公室',
      items: [{ category: 'serve', duty: '窗口服务', target: '进社区宣传食品安全 4 次', dueDate: `${year}-12-20` }],
    })
    await owner.post(`/api/pledges/${pledge.id}/submit`)
    await branch.admin.post(`/api/pledges/${pledge.id}/approve`)
    await branch.admin.post(`/api/pledges/${pledge.id}/publish`)

    const page = await member.newPage()
    await page.goto(`/pledges/${pledge.id}`)
    await page.getByRole('button', { name: '记录践诺情况' }).click()
    await member.setOffline(true)
    await page.locator('[data-testid=progress-percent] input').fill('50')
    await page.locator('[data-testid=progress-note] textarea').fill('第二次宣传')
    await page.getByTestId('photo-input').setInputFiles({ name: 'talk.png', mimeType: 'image/png', buffer: pngBytes(1000, 750, [90, 90, 200]) })
    await page.getByRole('img', { name: '践诺照片 1' }).waitFor()
    await page.getByTestId('progress-save').click()
    const log = page.getByTestId('pledge-item-log')
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/进行中 50%\s*待同步\s*· 第二次宣传/)
    const offlineThumb = log.getByRole('img', { name: '践诺照片 1' })
    await expect.poll(() => offlineThumb.evaluate(img => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(1000)
    expect(await offlineThumb.getAttribute('src')).toMatch(/^blob:/)

    await member.setOffline(false)
    await page.getByTestId('sync-now').click().catch(() => {})
    const db = () => {
      const sqlite = new SQLite(server.databaseUrl.slice('sqlite:'.length), { readonly: true })
      try {
        return sqlite.prepare('select photo_ids from pledge_progress where note = ?').get('第二次宣传') as { photo_ids: string } | undefined
      }
      finally {
        sqlite.close()
      }
    }
    await expect.poll(() => db()?.photo_ids, { timeout: 30_000 }).toMatch(/"/)
    const [photo] = JSON.parse(db()!.photo_ids) as string[]

    const seen = await leader.newPage()
    await seen.goto(`/pledges/${pledge.id}`)
    const thumb = seen.getByTestId('pledge-item-log').getByRole('img', { name: '践诺照片 1' })
    await thumb.waitFor()
    expect(await thumb.getAttribute('src')).toBe(`/api/photos/${photo}`)
    await expect.poll(() => thumb.evaluate(img => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(1000)
    await seen.screenshot({ path: '/tmp/xf-photos-pledge.png', fullPage: true })
  })
})
