/**
 * `npm run bench:checkin-scan` (issue 15): in Chromium with a fake camera,
 * 1. the organizer's 扫描党员签到码 screen with the camera cycling through 30 members' personal
 *    codes, each held up for SCENE_FRAMES frames (10 a second): members checked in per minute,
 *    from the first check-in to the last (aim ≥ 30 / min, i.e. ≤ 2 s each including the result
 *    shown), and how many of the 30 were taken in one pass of the video;
 * 2. the phone-side verification time per code (Ed25519 through WebCrypto, the shared verifier):
 *    the organizer's personal codes, and the member's scanner checking a meeting code.
 * Needs a built app (npm run build, or APP_DIR).
 */
import type { CheckinKeys, MeetingScreen } from '../src/shared/meetings/schemas'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { codeForWindow, importMeetingKey, importSigningKey, personalCodeForWindow, windowAt } from '../src/shared/meetings/token'
import { qrScenesY4m } from '../tests/e2e/checkin-video'
import { CHROMIUM, CHROMIUM_FLAGS, phoneContext, seedBranch, startServer, useSession } from '../tests/e2e/harness'

const MEMBERS = 30
/** 1.5 s per member: a member steps up, holds the phone out, steps away. */
const SCENE_FRAMES = Number(process.env.SCENE_FRAMES ?? 15)
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b)
  return `median ${percentile(s, 0.5).toFixed(2)} ms, p95 ${percentile(s, 0.95).toFixed(2)} ms, max ${s.at(-1)?.toFixed(2)} ms (${s.length} codes)`
}

const server = await startServer()
try {
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ name: `党员${i + 1}`, login: `scan${i + 1}`, role: 'member' as const, group: 0 }))
  const branch = await seedBranch(server, { members })
  const now = Date.now()
  const body = { type: 'branch_assembly', groupId: null, topic: '扫码基准会议', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), place: '', agenda: '' }
  const { id } = await branch.admin.post<{ id: string }>('/api/meetings', body)
  const signKeys: { id: string, key: CryptoKey }[] = []
  for (const m of branch.members)
    signKeys.push({ id: m.member.id, key: await importSigningKey((await m.client.get<CheckinKeys>('/api/checkin/keys')).signKey) })

  // 1. The organizer's scanning screen.
  const video = join(tmpdir(), `xf-bench-scan-${now}.y4m`)
  qrScenesY4m([{ text: 'placeholder', frames: 1 }], video)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] })
  try {
    const phone = await phoneContext(browser, { baseURL: server.url })
    await useSession(phone, server, branch.admin)
    const page = await phone.newPage()
    await page.goto('/checkin')
    await page.getByTestId('show-my-code').waitFor()
    await page.waitForTimeout(1500)
    // A code stays valid on the organizer's phone for 90 s: one made now lasts the whole pass.
    const window = windowAt(Date.now())
    const codes = await Promise.all(signKeys.map(k => personalCodeForWindow(k.key, k.id, window)))
    qrScenesY4m(codes.map(c => ({ text: c.token, frames: SCENE_FRAMES })), video)
    await page.goto(`/meetings/${id}/scan`)
    const passMs = MEMBERS * SCENE_FRAMES * 100
    await page.waitForFunction(n => performance.getEntriesByName('xf-scan-taken').length >= n, MEMBERS, { timeout: passMs + 20_000 }).catch(() => {})
    const r = await page.evaluate(() => ({
      taken: performance.getEntriesByName('xf-scan-taken').map(e => e.startTime),
      open: performance.getEntriesByName('xf-camera-open')[0]?.startTime ?? 0,
      verify: performance.getEntriesByName('xf-verify-personal').map(e => e.duration),
      decoder: document.documentElement.dataset.xfDecoder ?? '?',
    }))
    const first = r.taken[0]!
    const last = r.taken.at(-1)!
    const perMin = r.taken.length > 1 ? ((r.taken.length - 1) / (last - first)) * 60_000 : 0
    const gaps = r.taken.slice(1).map((t, i) => t - r.taken[i]!)
    console.log(`organizer scan (${r.decoder}): ${r.taken.length}/${MEMBERS} members checked in, each code shown ${SCENE_FRAMES / 10} s — ${perMin.toFixed(1)} members/min from first to last (aim ≥ 30/min); median gap ${percentile([...gaps].sort((a, b) => a - b), 0.5).toFixed(0)} ms; camera open → first check-in ${(first - r.open).toFixed(0)} ms`)
    console.log(`organizer phone, personal-code verification: ${stats(r.verify)}`)

    // 2. The member's scanner checking the meeting's code (a forged one for 3 s, then the real one).
    // A second meeting: the member was just checked in to the first one by the organizer.
    const second = (await branch.admin.post<{ id: string }>('/api/meetings', { ...body, topic: '第二场基准会议' })).id
    const screen = await branch.admin.get<MeetingScreen>(`/api/meetings/${second}/screen`)
    const member = await phoneContext(browser, { baseURL: server.url })
    await useSession(member, server, branch.members[0]!.client)
    const mpage = await member.newPage()
    await mpage.goto('/checkin')
    const card = mpage.locator('.checkin__card', { hasText: '第二场基准会议' })
    await card.waitFor()
    const genuine = await codeForWindow(await importMeetingKey(screen.key), second, windowAt(Date.now()))
    const forged = `${genuine.token.slice(0, -2)}${genuine.token.at(-2) === 'A' ? 'B' : 'A'}${genuine.token.at(-1)}`
    qrScenesY4m([{ text: forged, frames: 30 }, { text: genuine.token, frames: 10 }], video)
    await card.getByRole('button', { name: '扫码', exact: true }).click()
    await mpage.locator('.checkin__done').waitFor({ timeout: 30_000 })
    const mv = await mpage.evaluate(() => performance.getEntriesByName('xf-verify').map(e => e.duration))
    console.log(`member phone, meeting-code verification: ${stats(mv)}`)
  }
  finally {
    await browser.close()
  }
}
finally {
  await server.dispose()
}
