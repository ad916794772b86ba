/**
 * `npm run bench:checkin`: in Chromium with a fake camera showing a live meeting QR, the decode
 * time per frame of each decoder available (native BarcodeDetector if this Chromium has it, and
 * the zxing-wasm ponyfill), and the time from opening the camera to the check-in recorded on the
 * phone (the outbox write). Needs a built app (npm run build, or APP_DIR).
 */
import type { MeetingScreen } from '../src/shared/meetings/schemas'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { codeForWindow, importMeetingKey, windowAt } from '../src/shared/meetings/token'
import { qrY4m } from '../tests/e2e/checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, phoneContext, seedBranch, startServer, useSession } from '../tests/e2e/harness'

const server = await startServer()
try {
  const branch = await seedBranch(server, { members: [{ name: '张测试', login: 'zhang', role: 'member', group: 0 }, { name: '赵测试', login: 'zhao', role: 'member', group: 0 }] })
  const now = Date.now()
  const body = { type: 'branch_assembly', groupId: null, topic: '基准测试会议', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), place: '', agenda: '' }
  const { id } = await branch.admin.post<{ id: string }>('/api/meetings', body)
  const screen = await branch.admin.get<MeetingScreen>(`/api/meetings/${id}/screen`)
  const shown = await codeForWindow(await importMeetingKey(screen.key), id, windowAt(Date.now()))
  const video = join(tmpdir(), `xf-bench-${Date.now()}.y4m`)
  qrY4m(shown.token, video)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] })
  try {
    for (const [i, mode] of [['zxing', '?zxing'], ['default', '']].entries()) {
      const phone = await phoneContext(browser, { baseURL: server.url })
      await useSession(phone, server, branch.members[i]!.client)
      const page = await phone.newPage()
      await page.goto(`/checkin${mode[1]}`)
      await page.getByRole('button', { name: '扫码签到' }).first().click()
      await page.locator('.checkin__done').waitFor({ timeout: 30_000 })
      const r = await page.evaluate(() => {
        const decodes = performance.getEntriesByName('xf-decode').map(e => e.duration)
        const open = performance.getEntriesByName('xf-camera-open')[0]!.startTime
        const queued = performance.getEntriesByName('xf-checkin-queued')[0]!.startTime
        return { decoder: document.documentElement.dataset.xfDecoder, decodes, openToRecorded: queued - open }
      })
      const sorted = [...r.decodes].sort((a, b) => a - b)
      const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
      console.log(`${mode[0]} → decoder ${r.decoder}: ${r.decodes.length} frames decoded, median ${median.toFixed(1)} ms, max ${Math.max(...r.decodes).toFixed(1)} ms per frame; camera open → check-in recorded locally ${r.openToRecorded.toFixed(0)} ms`)
      await phone.close()
    }
  }
  finally {
    await browser.close()
  }
}
finally {
  await server.dispose()
}
