import type { Me } from '#shared/schemas/auth'
import { useMemberScan } from '#app/components/meetings/useMemberScan'
import { useSessionStore } from '#app/stores/session'
import { CHECKIN } from '#shared/meetings/constants'
import { codeForWindow, importSigningKey, importVerifyKey, personalCodeForWindow, toBase64Url, verifyMeetingToken, verifyPersonalToken, windowAt } from '#shared/meetings/token'
import { createPinia, setActivePinia } from 'pinia'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

/*
 * Issue 15 on the phone: the shared Ed25519 verifier the member's scanner and the organizer's
 * scanner run with no network, in both directions, and the organizer's scanner refusing a replay.
 */
const MIN = 60_000
const MEETING = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'
const AMY = '33333333-3333-4333-8333-333333333333'
const BEN = '44444444-4444-4444-8444-444444444444'
const STRANGER = '55555555-5555-4555-8555-555555555555'

/** A key pair as the server hands it out: `<d>.<x>` to the signer, `x` to the verifiers. */
async function pair() {
  const keys = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair
  const jwk = await crypto.subtle.exportKey('jwk', keys.privateKey)
  return { sign: await importSigningKey(`${jwk.d}.${jwk.x}`), x: jwk.x!, verify: await importVerifyKey(jwk.x!) }
}

const keys: Record<string, Awaited<ReturnType<typeof pair>>> = {}
beforeAll(async () => {
  for (const id of [MEETING, OTHER, AMY, BEN, STRANGER])
    keys[id] = await pair()
})

/** The public keys this phone pulled: both meetings (the stranger's is another branch's member). */
const meetingKeyOf = async (id: string) => (id === MEETING || id === OTHER ? keys[id]!.verify : null)
const memberKeyOf = async (id: string) => (id === AMY || id === BEN ? keys[id]!.verify : null)

function tamper(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A'
  return `${token.slice(0, -2)}${last}${token.at(-1)}`
}

describe('the member\'s phone checks the meeting\'s code offline', () => {
  const now = Date.now()
  it('takes a genuine current code, and the one a few seconds either side', async () => {
    for (const at of [now, now - 25_000, now + 9_000]) {
      const shown = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(at))
      expect(await verifyMeetingToken(shown.token, MEETING, meetingKeyOf, now)).toMatchObject({ ok: true, meetingId: MEETING })
    }
  })

  it('says forged for a changed signature, a moved window and a code signed with another key', async () => {
    const shown = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(now))
    expect(await verifyMeetingToken(tamper(shown.token), MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
    const moved = shown.token.replace(`:${shown.window}:`, `:${shown.window + 1}:`)
    expect(await verifyMeetingToken(moved, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
    const byOther = await codeForWindow(keys[OTHER]!.sign, MEETING, windowAt(now))
    expect(await verifyMeetingToken(byOther.token, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
    const zeros = `xf2:${MEETING}:${windowAt(now)}:${toBase64Url(new Uint8Array(64))}`
    expect(await verifyMeetingToken(zeros, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
  })

  it('says another meeting for a genuine code of a different meeting, and not ours for any other QR', async () => {
    const other = await codeForWindow(keys[OTHER]!.sign, OTHER, windowAt(now))
    expect(await verifyMeetingToken(other.token, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'wrongMeeting' })
    expect(await verifyMeetingToken('https://example.org/x', MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('says stale for a photo of an old code (a replay) and future for a code made in advance', async () => {
    const old = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(now - 3 * MIN))
    expect(await verifyMeetingToken(old.token, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'stale' })
    const ahead = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(now + 5 * MIN))
    expect(await verifyMeetingToken(ahead.token, MEETING, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'future' })
  })

  it('leaves a code of a meeting the phone has no key of to the server (unverifiable), and measures the time per code', async () => {
    const unknown = '66666666-6666-4666-8666-666666666666'
    const shown = await codeForWindow(keys[OTHER]!.sign, unknown, windowAt(now))
    expect(await verifyMeetingToken(shown.token, null, meetingKeyOf, now)).toMatchObject({ ok: false, reason: 'unverifiable', meetingId: unknown })
    const genuine = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(now))
    const t0 = performance.now()
    for (let i = 0; i < 50; i++)
      await verifyMeetingToken(genuine.token, MEETING, meetingKeyOf, now)
    expect((performance.now() - t0) / 50).toBeLessThan(20)
  })
})

describe('the organizer\'s phone checks a member\'s personal code offline', () => {
  const now = Date.now()
  it('takes a genuine current code and names the member', async () => {
    const code = await personalCodeForWindow(keys[AMY]!.sign, AMY, windowAt(now))
    expect(await verifyPersonalToken(code.token, memberKeyOf, now)).toMatchObject({ ok: true, memberId: AMY })
  })

  it('refuses forged, another member\'s key, another branch, stale, future and not-a-personal-code', async () => {
    const code = await personalCodeForWindow(keys[AMY]!.sign, AMY, windowAt(now))
    expect(await verifyPersonalToken(tamper(code.token), memberKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
    const wearing = await personalCodeForWindow(keys[BEN]!.sign, AMY, windowAt(now))
    expect(await verifyPersonalToken(wearing.token, memberKeyOf, now)).toMatchObject({ ok: false, reason: 'forged' })
    const stranger = await personalCodeForWindow(keys[STRANGER]!.sign, STRANGER, windowAt(now))
    expect(await verifyPersonalToken(stranger.token, memberKeyOf, now)).toMatchObject({ ok: false, reason: 'unknownMember' })
    const old = await personalCodeForWindow(keys[AMY]!.sign, AMY, windowAt(now - 3 * MIN))
    expect(await verifyPersonalToken(old.token, memberKeyOf, now)).toMatchObject({ ok: false, reason: 'stale' })
    const ahead = await personalCodeForWindow(keys[AMY]!.sign, AMY, windowAt(now + 5 * MIN))
    expect(await verifyPersonalToken(ahead.token, memberKeyOf, now)).toMatchObject({ ok: false, reason: 'future' })
    const meetingCode = await codeForWindow(keys[MEETING]!.sign, MEETING, windowAt(now))
    expect(await verifyPersonalToken(meetingCode.token, memberKeyOf, now)).toMatchObject({ ok: false, reason: 'malformed' })
  })
})

const scanned = vi.fn()
vi.mock('#app/stores/meetings', () => ({
  useMeetingsStore: () => ({
    meeting: async () => ({ id: MEETING, topic: '支部大会', groupId: null }),
    detail: async () => ({ summary: { rows: [{ memberId: BEN, status: 'verified' }] } }),
    scanIn: scanned,
  }),
}))
vi.mock('#app/components/checkin/useCheckinKeys', () => ({
  useCheckinKeys: () => ({
    load: async () => ({ memberId: 'x', signKey: '', serverTime: new Date().toISOString(), clockOffsetMs: 0, members: [{ id: AMY, name: '王芳', groupId: null, verifyKey: keys[AMY]!.x }, { id: BEN, name: '李强', groupId: null, verifyKey: keys[BEN]!.x }] }),
  }),
}))

describe('the organizer\'s scanner', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    useSessionStore().me = { id: 'org', name: '书记', role: 'branch_admin', branchId: 'b', groupId: null, groupName: null } as unknown as Me
    scanned.mockReset()
  })

  it('checks a member in once, says 已签到 for the same member again, and refuses a replayed screenshot — the scanning goes on', async () => {
    const scan = useMemberScan(MEETING)
    await scan.prepare()
    const amy = await personalCodeForWindow(keys[AMY]!.sign, AMY, windowAt(Date.now()))
    expect(await scan.judge(amy.token)).toBe(true)
    expect(scanned).toHaveBeenCalledTimes(1)
    expect(scan.results.value[0]).toMatchObject({ ok: true, name: '王芳' })
    // The camera still sees Amy's code: ignored, not a second result.
    expect(await scan.judge(amy.token)).toBe(false)
    // A screenshot of Ben's code from two minutes ago: refused as stale, nothing queued.
    const old = await personalCodeForWindow(keys[BEN]!.sign, BEN, windowAt(Date.now() - 12 * CHECKIN.windowMs))
    await scan.judge(old.token)
    expect(scan.results.value[0]).toMatchObject({ ok: false, name: '李强', words: expect.stringContaining('已过期') })
    // Ben checked in before (the attendance list): refused in words with his name.
    const ben = await personalCodeForWindow(keys[BEN]!.sign, BEN, windowAt(Date.now()))
    await scan.judge(ben.token)
    expect(scan.results.value[0]).toMatchObject({ ok: false, name: '李强', words: expect.stringContaining('李强已签到') })
    await scan.judge(tamper(ben.token))
    expect(scan.results.value[0]).toMatchObject({ ok: false, words: expect.stringContaining('无效的签到码') })
    expect(scanned).toHaveBeenCalledTimes(1)
    expect(scan.checkedIn.value).toBe(1)
  })
})
