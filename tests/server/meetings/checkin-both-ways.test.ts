import type { AttendanceSummary, CheckinKeys } from '#shared/meetings/schemas'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import type { Person } from '../meeting-helper'
import { CHECKIN } from '#shared/meetings/constants'
import { CHECKIN_REJECT } from '#shared/meetings/ops'
import { importSigningKey, personalCodeForWindow, windowAt } from '#shared/meetings/token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture, screenCode } from '../meeting-helper'
import { op, push } from '../sync-helper'

/*
 * Issue 15 on the server: the meeting's code is signed with its Ed25519 key (checked again on
 * sync), the organizer scans members' personal codes (checkin.scan), and 签退 (checkin.checkout).
 */
const MIN = 60_000
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

async function result(client: Client, type: string, payload: Record<string, unknown>): Promise<OpResult> {
  const res = await push(client, [op(type, { scannedAt: new Date().toISOString(), ...payload })])
  expect(res.statusCode).toBe(200)
  return res.json().results[0] as OpResult
}

async function keysOf(client: Client): Promise<CheckinKeys> {
  const res = await client.get('/api/checkin/keys')
  expect(res.statusCode).toBe(200)
  return res.json() as CheckinKeys
}

/** The personal code `who`'s phone shows at `atMs`, signed with the key their phone received. */
async function personal(who: Person, atMs = Date.now()) {
  const keys = await keysOf(who.client)
  return personalCodeForWindow(await importSigningKey(keys.signKey), who.id, windowAt(atMs))
}

async function rowOf(meetingId: string, memberId: string) {
  return t.handle.db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst()
}

describe('the meeting\'s code, signed with its Ed25519 key', () => {
  it('takes a fresh scan and refuses forged, other meeting, stale (replayed), future, and a second scan', async () => {
    const id = await createMeeting(f.admin)
    const other = await createMeeting(f.admin, { topic: '另一场' })
    const shown = await screenCode(f.admin, id)
    const sig = shown.token.slice(-86)
    const forged = `${shown.token.slice(0, -86)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: forged })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    // A code signed with another meeting's key, relabelled as this meeting, is forged too.
    const otherShown = await screenCode(f.admin, other)
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: otherShown.token.replace(other, id) })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: otherShown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.wrongMeeting })
    const stale = await screenCode(f.admin, id, Date.now() - 5 * MIN)
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: stale.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.replayed })
    const future = await screenCode(f.admin, id, Date.now() + 10 * MIN)
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: future.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.future })
    expect(await rowOf(id, f.m1.id)).toBeUndefined()
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: shown.token })).toMatchObject({ status: 'applied', entity: { status: 'verified' } })
    // The same code again (a replay on a second phone of the same member) changes nothing.
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.already })
  })

  it('checks the typed 6-digit code against the meeting\'s signature (verified), and refuses a wrong one', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id, Date.now() - 30_000)
    const wrong = String((Number(shown.code) + 1) % 1_000_000).padStart(6, '0')
    expect(await result(f.m2.client, 'checkin.create', { meetingId: id, code: wrong, window: windowAt(Date.now()) })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.wrongCode })
    expect(await result(f.m2.client, 'checkin.create', { meetingId: id, code: shown.code, window: windowAt(Date.now()) })).toMatchObject({ status: 'applied', entity: { status: 'verified' } })
  })
})

describe('checkin.scan: the organizer scans members\' personal codes', () => {
  it('hands each member their own signing key, and an organizer the public keys of their scope only', async () => {
    const mine = await keysOf(f.m1.client)
    expect(mine).toMatchObject({ memberId: f.m1.id, members: [] })
    expect((await keysOf(f.m1.client)).signKey).toBe(mine.signKey)
    const leader = await keysOf(f.leader1.client)
    expect(leader.members.map(m => m.id).sort()).toEqual([f.leader1.id, f.m1.id, f.m2.id].sort())
    expect(leader.members.find(m => m.id === f.m1.id)?.verifyKey).toBe(mine.signKey.split('.')[1])
    const admin = await keysOf(f.admin)
    expect(admin.members.map(m => m.id)).toEqual(expect.arrayContaining([f.m1.id, f.g2.id, f.leader2.id]))
    expect(admin.members.map(m => m.id)).not.toContain(f.outsider.id)
    expect(JSON.stringify(admin)).not.toContain(mine.signKey.split('.')[0])
  })

  it('checks in three members scanned one after another, each verified and sent to that member\'s phone', async () => {
    const id = await createMeeting(f.admin)
    for (const who of [f.m1, f.m2, f.g2]) {
      const code = await personal(who)
      expect(await result(f.admin, 'checkin.scan', { meetingId: id, memberId: who.id, token: code.token })).toMatchObject({ status: 'applied', entity: { memberId: who.id, status: 'verified' } })
      expect(await rowOf(id, who.id)).toMatchObject({ status: 'verified', method: 'scan', token_window: code.window })
    }
    const pulled = (await f.g2.client.get('/api/sync/pull')).json() as { changes: { entity: string, entityId: string }[] }
    expect(pulled.changes.some(c => c.entity === 'attendance' && c.entityId === `${id}.${f.g2.id}`)).toBe(true)
    const list = (await f.admin.get(`/api/meetings/${id}/attendance`)).json() as AttendanceSummary
    expect(list.counts.present).toBe(3)
  })

  it('refuses duplicate, forged, replayed, future, other-member, other-branch and out-of-scope codes, storing nothing', async () => {
    const id = await createMeeting(f.leader1.client, { groupId: f.group1 })
    const code = await personal(f.m1)
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m1.id, token: code.token })).toMatchObject({ status: 'applied' })
    const dup = await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m1.id, token: code.token })
    expect(dup).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.scanAlready })
    expect(dup.message).toContain('m1已签到')

    const m2 = await personal(f.m2)
    const sig = m2.token.slice(-86)
    const forged = `${m2.token.slice(0, -86)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: forged })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    // m1's key signing a code that names m2: forged; m2's code sent as m1's: another member's.
    const m1Key = await importSigningKey((await keysOf(f.m1.client)).signKey)
    const wearing = await personalCodeForWindow(m1Key, f.m2.id, windowAt(Date.now()))
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: wearing.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m1.id, token: m2.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.scanOtherMember })
    const old = await personal(f.m2, Date.now() - 5 * MIN)
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: old.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.replayed })
    const ahead = await personal(f.m2, Date.now() + 10 * MIN)
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: ahead.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.future })
    const outsider = await personal(f.outsider)
    expect(await result(f.leader1.client, 'checkin.scan', { meetingId: id, memberId: f.outsider.id, token: outsider.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.scanUnknownMember })
    const g2 = await personal(f.g2)
    const notExpected = await result(f.admin, 'checkin.scan', { meetingId: id, memberId: f.g2.id, token: g2.token })
    expect(notExpected).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.scanMemberOutOfScope })
    expect(notExpected.message).toContain('g2不在这场会议的参会范围内')
    expect(await rowOf(id, f.m2.id)).toBeUndefined()
    expect(await rowOf(id, f.g2.id)).toBeUndefined()
  })

  it('refuses a plain member and another group\'s leader as scanners (rejected)', async () => {
    const id = await createMeeting(f.leader1.client, { groupId: f.group1 })
    const code = await personal(f.m2)
    expect(await result(f.m1.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: code.token })).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
    expect(await result(f.leader2.client, 'checkin.scan', { meetingId: id, memberId: f.m2.id, token: code.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.scanNotOrganizer })
    expect(await rowOf(id, f.m2.id)).toBeUndefined()
  })

  it('takes a scan synced an hour later when the organizer\'s scan time fits the code (verified, not pending)', async () => {
    const id = await createMeeting(f.admin, { startsAt: new Date(Date.now() - 90 * MIN).toISOString() })
    const at = Date.now() - 60 * MIN
    const code = await personal(f.m1, at)
    expect(await result(f.admin, 'checkin.scan', { meetingId: id, memberId: f.m1.id, token: code.token, scannedAt: new Date(at + 2000).toISOString() })).toMatchObject({ status: 'applied', entity: { status: 'verified' } })
  })
})

describe('checkin.checkout (签退)', () => {
  it('records the departure of a member checked in, once, and derives 早退 and 迟到 on the attendance list', async () => {
    const id = await createMeeting(f.admin, { checkout: true, startsAt: new Date(Date.now() - 20 * MIN).toISOString(), endsAt: new Date(Date.now() + 60 * MIN).toISOString() })
    const shown = await screenCode(f.admin, id)
    expect(await result(f.m1.client, 'checkin.checkout', { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.checkoutNotIn })
    expect(await result(f.m1.client, 'checkin.create', { meetingId: id, token: shown.token })).toMatchObject({ status: 'applied' })
    const out = await result(f.m1.client, 'checkin.checkout', { meetingId: id, token: shown.token })
    expect(out).toMatchObject({ status: 'applied', entity: { departedAt: new Date(shown.window * CHECKIN.windowMs).toISOString() } })
    expect(await result(f.m1.client, 'checkin.checkout', { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.checkoutAlready })
    const list = (await f.admin.get(`/api/meetings/${id}/attendance`)).json() as AttendanceSummary
    // Arrived 20 minutes after the start and left an hour before the end: both.
    expect(list.rows.find(r => r.memberId === f.m1.id)).toMatchObject({ status: 'verified', departedAt: expect.any(String), lateArrival: true, earlyLeave: true })
    expect(list.rows.find(r => r.memberId === f.m2.id)).toMatchObject({ status: null, departedAt: null, lateArrival: false, earlyLeave: false })
  })

  it('is refused for a meeting that does not ask for it, and a forged code checks out nobody', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    expect(await result(f.m2.client, 'checkin.create', { meetingId: id, token: shown.token })).toMatchObject({ status: 'applied' })
    expect(await result(f.m2.client, 'checkin.checkout', { meetingId: id, token: shown.token })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.checkoutOff })
    const withOut = await createMeeting(f.admin, { checkout: true })
    const code = await screenCode(f.admin, withOut)
    expect(await result(f.m2.client, 'checkin.create', { meetingId: withOut, token: code.token })).toMatchObject({ status: 'applied' })
    // A character inside the signature: the last base64url character of 64 bytes carries 4 padding
    // bits a decoder ignores, so changing it alone may leave the signature as it was.
    const at = code.token.length - 10
    const forged = `${code.token.slice(0, at)}${code.token[at] === 'A' ? 'B' : 'A'}${code.token.slice(at + 1)}`
    expect(await result(f.m2.client, 'checkin.checkout', { meetingId: withOut, token: forged })).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    expect((await rowOf(withOut, f.m2.id))?.departed_at).toBeNull()
  })

  it('keeps the checkout setting on the meeting and in what members pull', async () => {
    const id = await createMeeting(f.admin, { checkout: true })
    const one = (await f.m1.client.get(`/api/meetings/${id}`)).json()
    expect(one).toMatchObject({ checkout: true, verifyKey: expect.any(String) })
  })
})
