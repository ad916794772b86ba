/**
 * `npm run bench:checkin`: in Chromium with a fake camera, the decode time per frame of the
 * decoder the app picks (native BarcodeDetector where this Chromium reads QR codes, else the
 * zxing-wasm ponyfill) and of the ponyfill forced, and the time from opening the camera to the
 * check-in recorded on the phone (the outbox write). Per-frame times come from a video that first
 * shows someone else's QR code for 4 s (every frame a full decode the app turns away), then the
 * meeting's; the open → recorded time from a video with only the meeting's QR. Several phones
 * each, so the figures are not one sample. Needs a built app (npm run build, or APP_DIR).
 */
import type { MeetingScreen } from '../src/shared/meetings/schemas'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { codeForWindow, importMeetingKey, windowAt } from '../src/shared/meetings/token'
import { qrScenesY4m, qrY4m } from '../tests/e2e/checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, phoneContext, seedBranch, startServer, useSession } from '../tests/e2e/harness'

const PHONES = 4
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN

const server = await startServer()
try {
  const members = Array.from({ length: PHONES * 4 }, (_, i) => ({ name: `测试${i + 1}`, login: `bench${i + 1}`, role: 'member' as const, group: 0 }))
  const branch = await seedBranch(server, { members })
  const now = Date.now()
  const body = { type: 'branch_assembly', groupId: null, topic: '基准测试会议', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), place: '', agenda: '' }
  const { id } = await branch.admin.post<{ id: string }>('/api/meetings', body)
  const screen = await branch.admin.get<MeetingScreen>(`/api/meetings/${id}/screen`)
  // A token stays valid for its window and the one before, so one made now lasts the whole run.
  const shown = await codeForWindow(await importMeetingKey(screen.key), id, windowAt(Date.now()))
  const videos = { decode: join(tmpdir(), `xf-bench-decode-${now}.y4m`), open: join(tmpdir(), `xf-bench-open-${now}.y4m`) }
  qrScenesY4m([{ text: 'https://example.org/someone-elses-qr-code-not-a-meeting-of-ours', frames: 40 }, { text: shown.token, frames: 10 }], videos.decode)
  qrY4m(shown.token, videos.open)

  let member = 0
  for (const [video, what] of [[videos.decode, 'per-frame decode'], [videos.open, 'camera open → recorded']] as const) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] })
    try {
      for (const [label, query] of [['app default', ''], ['zxing forced', '?zxing']] as const) {
        const decodes: number[] = []
        const opens: number[] = []
        let decoder = ''
        for (let i = 0; i < PHONES; i++) {
          const phone = await phoneContext(browser, { baseURL: server.url })
          await useSession(phone, server, branch.members[member++]!.client)
          const page = await phone.newPage()
          await page.goto(`/checkin${query}`)
          await page.getByRole('button', { name: '扫码签到' }).first().click()
          await page.locator('.checkin__done').waitFor({ timeout: 30_000 })
          const r = await page.evaluate(() => ({
            decoder: document.documentElement.dataset.xfDecoder ?? '?',
            decodes: performance.getEntriesByName('xf-decode').map(e => e.duration),
            openToRecorded: performance.getEntriesByName('xf-checkin-queued')[0]!.startTime - performance.getEntriesByName('xf-camera-open')[0]!.startTime,
          }))
          decoder = r.decoder
          decodes.push(...r.decodes)
          opens.push(r.openToRecorded)
          await phone.close()
        }
        if (what === 'per-frame decode') {
          const sorted = decodes.sort((a, b) => a - b)
          console.log(`${label} (${decoder}): ${sorted.length} frames decoded on ${PHONES} phones — median ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms per frame (aim ≤ 30 ms)`)
        }
        else {
          const sorted = opens.sort((a, b) => a - b)
          console.log(`${label} (${decoder}): camera open → check-in recorded locally, ${PHONES} phones — median ${percentile(sorted, 0.5).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (aim ≤ 1500 ms)`)
        }
      }
    }
    finally {
      await browser.close()
    }
  }
}
finally {
  await server.dispose()
}
