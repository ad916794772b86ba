import type { AttendanceSummary } from '#shared/meetings/schemas'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import { CHECKIN } from '#shared/meetings/constants'
import { CHECKIN_REJECT } from '#shared/meetings/ops'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture, screenCode } from '../meeting-helper'
import { op, push } from '../sync-helper'

const MIN = 60_000
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

async function checkin(client: Client, payload: Record<string, unknown>, device?: string): Promise<OpResult> {
  const res = await push(client, [op('checkin.create', { scannedAt: new Date().toISOString(), ...payload })], device)
  expect(res.statusCode).toBe(200)
  return res.json().results[0] as OpResult
}

async function rowOf(meetingId: string, memberId: string) {
  return t.handle.db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst()
}

async function rowCount(meetingId: string) {
  const r = await t.handle.db.selectFrom('meeting_attendance').select(eb => eb.fn.countAll<number>().as('n')).where('meeting_id', '=', meetingId).executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('checkin.create', () => {
  it('verifies a fresh QR scan, stores one row and sends it to the member\'s phone (applied)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const result = await checkin(f.m1.client, { meetingId: id, token: shown.token })
    expect(result).toMatchObject({ status: 'applied', entity: { meetingId: id, memberId: f.m1.id, status: 'verified' } })
    expect(await rowOf(id, f.m1.id)).toMatchObject({ status: 'verified', method: 'qr', token_window: shown.window, flag: null })
    const pulled = await f.m1.client.get('/api/sync/pull')
    expect(pulled.json().changes.some((c: { entity: string, entityId: string }) => c.entity === 'attendance' && c.entityId === `${id}.${f.m1.id}`)).toBe(true)
  })

  it('verifies the typed 6-digit code shown under the QR (applied, method code)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id, Date.now() - 40_000)
    const result = await checkin(f.m1.client, { meetingId: id, code: shown.code, window: Math.floor(Date.now() / CHECKIN.windowMs) })
    expect(result.status).toBe('applied')
    expect(await rowOf(id, f.m1.id)).toMatchObject({ status: 'verified', method: 'code' })
  })

  it('refuses a wrong code with its own code and stores nothing (rejected)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const wrong = String((Number(shown.code) + 1) % 1_000_000).padStart(6, '0')
    const result = await checkin(f.m2.client, { meetingId: id, code: wrong })
    expect(result).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.wrongCode })
    expect(await rowCount(id)).toBe(0)
  })

  it('refuses a forged token whose signature does not match (rejected, CHECKIN_TOKEN_FORGED)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const sig = shown.token.slice(-22)
    const forged = shown.token.slice(0, -22) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    expect(await checkin(f.m1.client, { meetingId: id, token: forged })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    // A window moved forward without re-signing is forged too.
    const moved = shown.token.replace(`:${shown.window}:`, `:${shown.window + 1}:`)
    expect(await checkin(f.m1.client, { meetingId: id, token: moved })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    expect(await checkin(f.m1.client, { meetingId: id, token: 'https://example.org/not-ours' })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.malformed })
    expect(await rowCount(id)).toBe(0)
  })

  it('refuses another meeting\'s genuine token (rejected, CHECKIN_WRONG_MEETING)', async () => {
    const a = await createMeeting(f.admin)
    const b = await createMeeting(f.admin, { topic: '另一场会' })
    const shownB = await screenCode(f.admin, b)
    const result = await checkin(f.m1.client, { meetingId: a, token: shownB.token })
    expect(result).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.wrongMeeting })
    expect(result.message).toContain('另一场会议')
    expect(await rowCount(a)).toBe(0)
  })

  it('refuses a token whose window lies outside the meeting (rejected, CHECKIN_WINDOW_OUTSIDE_MEETING)', async () => {
    const id = await createMeeting(f.admin, { startsAt: new Date(Date.now() + 3 * 60 * MIN).toISOString(), endsAt: new Date(Date.now() + 4 * 60 * MIN).toISOString() })
    const shown = await screenCode(f.admin, id)
    expect(await checkin(f.m1.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.outsideMeeting })
    expect(await rowCount(id)).toBe(0)
  })

  it('refuses an old token scanned just now — a replayed photo (rejected, CHECKIN_TOKEN_REPLAYED)', async () => {
    const id = await createMeeting(f.admin)
    const old = await screenCode(f.admin, id, Date.now() - 5 * MIN)
    const result = await checkin(f.m1.client, { meetingId: id, token: old.token, scannedAt: new Date().toISOString() })
    expect(result).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.replayed })
    expect(await rowCount(id)).toBe(0)
  })

  it('accepts a scan synced late as waiting for the organizer, who confirms it (applied, pending → verified)', async () => {
    const id = await createMeeting(f.admin)
    const scannedAt = Date.now() - 5 * MIN
    const old = await screenCode(f.admin, id, scannedAt)
    const result = await checkin(f.m1.client, { meetingId: id, token: old.token, scannedAt: new Date(scannedAt + 1000).toISOString() })
    expect(result).toMatchObject({ status: 'applied', entity: { status: 'pending', flag: 'late' } })
    const list = await f.admin.get(`/api/meetings/${id}/attendance`)
    expect(list.json().counts).toMatchObject({ pending: 1 })
    const confirmed = await f.admin.post(`/api/meetings/${id}/attendance/${f.m1.id}`, { action: 'confirm' })
    expect(confirmed.statusCode).toBe(200)
    expect(await rowOf(id, f.m1.id)).toMatchObject({ status: 'verified' })
  })

  it('refuses a code for a window an hour ahead of the server\'s clock, QR or typed, and says why (rejected, CHECKIN_TOKEN_FUTURE)', async () => {
    const id = await createMeeting(f.admin)
    const ahead = await screenCode(f.admin, id, Date.now() + 60 * MIN)
    const qr = await checkin(f.leader1.client, { meetingId: id, token: ahead.token })
    expect(qr).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.future })
    expect(qr.message).toMatch(/^签到码的时间还没到/)
    // The phone names the window of a typed code: naming one ahead does not make its code count.
    const typed = await checkin(f.leader1.client, { meetingId: id, code: ahead.code, window: ahead.window })
    expect(typed).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.future })
    expect(await rowCount(id)).toBe(0)
  })

  it('still verifies a code one window ahead, for a screen whose clock runs a few seconds fast (applied, verified)', async () => {
    const id = await createMeeting(f.admin)
    const next = await screenCode(f.admin, id, Date.now() + CHECKIN.windowMs)
    expect(await checkin(f.leader1.client, { meetingId: id, token: next.token })).toMatchObject({ status: 'applied', entity: { status: 'verified', flag: null } })
  })

  it('flags a late scan whose phone time is long after the code\'s window, with the reason in words the organizer sees (applied, late_clock)', async () => {
    const id = await createMeeting(f.admin)
    const shownMs = Date.now() - 25 * MIN
    const old = await screenCode(f.admin, id, shownMs)
    const result = await checkin(f.m2.client, { meetingId: id, token: old.token, scannedAt: new Date(Date.now() - 5 * MIN).toISOString() })
    expect(result).toMatchObject({ status: 'applied', entity: { status: 'pending', flag: 'late_clock' } })
    const row = await rowOf(id, f.m2.id)
    expect(row?.flag_reason).toMatch(/^离线扫码，5 分钟后才同步到服务器；手机记录的扫码时间比签到码出现晚 20 分钟/)
    const list = (await f.admin.get(`/api/meetings/${id}/attendance`)).json() as AttendanceSummary
    expect(list.rows.find(r => r.memberId === f.m2.id)).toMatchObject({
      status: 'pending',
      flag: 'late_clock',
      flagReason: row!.flag_reason,
      shownAt: new Date(Math.floor(shownMs / CHECKIN.windowMs) * CHECKIN.windowMs).toISOString(),
    })
  })

  it('flags a late scan whose phone time is before the code was even shown (applied, late_clock)', async () => {
    const id = await createMeeting(f.admin)
    const old = await screenCode(f.admin, id, Date.now() - 5 * MIN)
    const result = await checkin(f.g2.client, { meetingId: id, token: old.token, scannedAt: new Date(Date.now() - 9 * MIN).toISOString() })
    expect(result).toMatchObject({ status: 'applied', entity: { status: 'pending', flag: 'late_clock' } })
    expect((await rowOf(id, f.g2.id))?.flag_reason).toContain('比签到码出现早 4 分钟')
  })

  it('does not flag a late scan stamped within a minute of its window, as a hand-set phone clock is (applied, late)', async () => {
    const id = await createMeeting(f.admin)
    const shownMs = Date.now() - 6 * MIN
    const old = await screenCode(f.admin, id, shownMs)
    const result = await checkin(f.leader2.client, { meetingId: id, token: old.token, scannedAt: new Date(shownMs - 50_000).toISOString() })
    expect(result).toMatchObject({ status: 'applied', entity: { status: 'pending', flag: 'late' } })
    expect((await rowOf(id, f.leader2.id))?.flag_reason).toContain('扫码时间与签到码相符')
  })

  it('refuses a member outside a group meeting\'s scope (rejected, CHECKIN_OUT_OF_SCOPE)', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    const shown = await screenCode(f.leader1.client, id)
    expect(await checkin(f.g2.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.outOfScope })
    expect(await checkin(f.outsider.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.meetingNotFound })
    expect(await rowCount(id)).toBe(0)
  })

  it('refuses a second scan and answers the same op again as duplicate, keeping one row (rejected, CHECKIN_ALREADY)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const first = op('checkin.create', { meetingId: id, token: shown.token, scannedAt: new Date().toISOString() })
    expect((await push(f.m2.client, [first])).json().results[0].status).toBe('applied')
    expect((await push(f.m2.client, [first])).json().results[0].status).toBe('duplicate')
    expect(await checkin(f.m2.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.already })
    expect(await rowCount(id)).toBe(1)
  })

  it('keeps one check-in when two devices of the member scan at the same moment (one applied, one rejected)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const payload = { meetingId: id, token: shown.token }
    const results = await Promise.all([
      checkin(f.g2.client, payload, '00000000-0000-4000-8000-00000000000a'),
      checkin(f.g2.client, payload, '00000000-0000-4000-8000-00000000000b'),
    ])
    expect(results.map(r => r.status).sort()).toEqual(['applied', 'rejected'])
    expect(await rowCount(id)).toBe(1)
  })

  it('refuses check-ins to a cancelled meeting (rejected, CHECKIN_MEETING_CANCELLED)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    expect((await f.admin.post(`/api/meetings/${id}/cancel`)).statusCode).toBe(200)
    expect(await checkin(f.m1.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.meetingCancelled })
  })

  it('refuses further attempts after too many failures, even a genuine one (rejected, CHECKIN_RATE_LIMITED)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    const { leader2 } = f
    for (let i = 0; i < CHECKIN.maxFailures; i++) {
      const r = await checkin(leader2.client, { meetingId: id, code: String(i).padStart(6, '0') === shown.code ? '999999' : String(i).padStart(6, '0') })
      expect(r.status).toBe('rejected')
    }
    expect(await checkin(leader2.client, { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.rateLimited })
    expect(await rowOf(id, leader2.id)).toBeUndefined()
  })
})

describe('the meeting key', () => {
  it('goes to the meeting\'s organizers only (200 admin and own group leader, 403 others)', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    expect((await f.admin.get(`/api/meetings/${id}/screen`)).statusCode).toBe(200)
    expect((await f.leader1.client.get(`/api/meetings/${id}/screen`)).statusCode).toBe(200)
    expect((await f.leader2.client.get(`/api/meetings/${id}/screen`)).statusCode).toBe(403)
    expect((await f.m1.client.get(`/api/meetings/${id}/screen`)).statusCode).toBe(403)
    expect((await f.outsider.client.get(`/api/meetings/${id}/screen`)).statusCode).toBe(403)
  })

  it('derives from a secret generated once and kept in server_state, so every instance agrees', async () => {
    const row = await t.handle.db.selectFrom('server_state').select('value').where('key', '=', 'meeting_secret').executeTakeFirst()
    expect(row?.value.length).toBeGreaterThanOrEqual(32)
  })
})
