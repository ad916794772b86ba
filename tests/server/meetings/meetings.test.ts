import type { TestApp } from '../helper'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { meetingKey, MeetingSecret, windowMac } from '#server/meetings/keys'
import { CHECKIN_REJECT } from '#shared/meetings/ops'
import { toBase64Url } from '#shared/meetings/token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, TEST_PASSWORD_PARAMS } from '../helper'
import { createMeeting, meetingBody, meetingFixture, screenCode } from '../meeting-helper'
import { op, push } from '../sync-helper'

const MIN = 60_000
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

async function rows(meetingId: string) {
  return t.handle.db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).orderBy('member_id').execute()
}

describe('meetings', () => {
  it('creates, edits and cancels a meeting, each change pulled branch-wide (200)', async () => {
    const created = await f.admin.post('/api/meetings', meetingBody({ type: 'party_lecture', topic: '党课：初心使命' }))
    expect(created.statusCode).toBe(200)
    const id = created.json().id as string
    expect(created.json()).toMatchObject({ type: 'party_lecture', groupId: null, status: 'scheduled' })
    const edited = await f.admin.patch(`/api/meetings/${id}`, meetingBody({ type: 'party_lecture', topic: '党课：改题', place: '报告厅' }))
    expect(edited.json()).toMatchObject({ topic: '党课：改题', place: '报告厅' })
    const pulled = await f.m1.client.get('/api/sync/pull')
    const seen = pulled.json().changes.filter((c: { entity: string, entityId: string }) => c.entity === 'meeting' && c.entityId === id)
    expect(seen.at(-1).data.topic).toBe('党课：改题')
    expect((await f.admin.post(`/api/meetings/${id}/cancel`)).json().status).toBe('cancelled')
    expect((await f.admin.post(`/api/meetings/${id}/cancel`)).statusCode).toBe(409)
    const row = await t.handle.db.selectFrom('meeting').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.status).toBe('cancelled')
  })

  it('refuses an end before the start (400) and a group leader organizing the branch or another group (403)', async () => {
    expect((await f.admin.post('/api/meetings', meetingBody({ endsAt: new Date(Date.now() - 60 * MIN).toISOString() }))).json().code).toBe('MEETING_TIMES')
    expect((await f.leader1.client.post('/api/meetings', meetingBody())).statusCode).toBe(403)
    expect((await f.leader1.client.post('/api/meetings', meetingBody({ type: 'group_meeting', groupId: f.group2 }))).statusCode).toBe(403)
    expect((await f.m1.client.post('/api/meetings', meetingBody())).statusCode).toBe(403)
  })

  it('lists a group meeting to its group and organizers only, with my attendance (200)', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '第一小组会' })
    const mine = (await f.m1.client.get('/api/meetings')).json() as { id: string, canOrganize: boolean }[]
    expect(mine.find(m => m.id === id)).toMatchObject({ canOrganize: false })
    expect((await f.g2.client.get('/api/meetings')).json().some((m: { id: string }) => m.id === id)).toBe(false)
    expect((await f.leader1.client.get('/api/meetings')).json().find((m: { id: string }) => m.id === id)).toMatchObject({ canOrganize: true })
    expect((await f.g2.client.get(`/api/meetings/${id}`)).statusCode).toBe(404)
  })
})

describe('attendance', () => {
  it('lets a member ask for leave before the start, and refuses it after (applied, then rejected)', async () => {
    const id = await createMeeting(f.admin, { startsAt: new Date(Date.now() + 60 * MIN).toISOString(), endsAt: new Date(Date.now() + 120 * MIN).toISOString() })
    const res = await push(f.m1.client, [op('meeting.leave', { meetingId: id, reason: '出差' })])
    expect(res.json().results[0]).toMatchObject({ status: 'applied', entity: { status: 'leave', reason: '出差' } })
    const started = await createMeeting(f.admin)
    const late = await push(f.m1.client, [op('meeting.leave', { meetingId: started, reason: '出差' })])
    expect(late.json().results[0]).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.leaveStarted })
  })

  it('lets the organizer check in by hand, record leave, and reject a late scan (200)', async () => {
    const id = await createMeeting(f.admin)
    const manual = await f.admin.post(`/api/meetings/${id}/attendance/${f.m1.id}`, { action: 'checkin' })
    expect(manual.statusCode).toBe(200)
    expect(manual.json().counts).toMatchObject({ present: 1 })
    expect((await f.admin.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'leave' })).json().code).toBe('MEETING_LEAVE_REASON')
    expect((await f.admin.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'leave', reason: '病假' })).statusCode).toBe(200)
    const old = await screenCode(f.admin, id, Date.now() - 5 * MIN)
    await push(f.g2.client, [op('checkin.create', { meetingId: id, token: old.token, scannedAt: new Date(Date.now() - 5 * MIN).toISOString() })])
    const rejected = await f.admin.post(`/api/meetings/${id}/attendance/${f.g2.id}`, { action: 'reject', reason: '不在现场' })
    expect(rejected.statusCode).toBe(200)
    expect((await rows(id)).map(r => r.status).sort()).toEqual(['leave', 'manual', 'rejected'])
    expect((await f.m1.client.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'checkin' })).statusCode).toBe(403)
  })

  it('closes once: present gain points, unexcused absence asks a deduction, leave neither; a second close is refused (200, then 409)', async () => {
    const id = await createMeeting(f.admin)
    const shown = await screenCode(f.admin, id)
    await push(f.m1.client, [op('checkin.create', { meetingId: id, token: shown.token, scannedAt: new Date().toISOString() })])
    await f.admin.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'leave', reason: '病假' })
    const closed = await f.admin.post(`/api/meetings/${id}/close`)
    expect(closed.statusCode).toBe(200)
    const expected = (await t.handle.db.selectFrom('member').select('id').where('branch_id', '=', f.branchId).where('active', '=', 1).execute()).length
    // m1 scanned; the admin closing it ran it; m2 was on leave.
    expect(closed.json()).toMatchObject({ present: 2, leave: 1, absent: expected - 3 })
    const byMember = new Map((await rows(id)).map(r => [r.member_id, r]))
    expect(byMember.get(f.m1.id)).toMatchObject({ status: 'verified', points: 2 })
    expect(byMember.get(f.m2.id)).toMatchObject({ status: 'leave', points: null })
    expect(byMember.get(f.g2.id)).toMatchObject({ status: 'absent', points: -2 })
    expect((await f.admin.post(`/api/meetings/${id}/close`)).statusCode).toBe(409)
    expect((await rows(id)).length).toBe(expected)
  })

  it('puts the attendance points in each member\'s score history once, under the rule of the meeting\'s kind (issue 5 item 6)', async () => {
    const id = await createMeeting(f.admin, { type: 'life_meeting', topic: '专题组织生活会：对照检查' })
    const shown = await screenCode(f.admin, id)
    await push(f.m1.client, [op('checkin.create', { meetingId: id, token: shown.token, scannedAt: new Date().toISOString() })])
    await f.admin.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'leave', reason: '病假' })
    const before = (await f.m1.client.get('/api/points/summary')).json().total as number
    expect((await f.admin.post(`/api/meetings/${id}/close`)).statusCode).toBe(200)
    const history = async (c: typeof f.m1.client) => ((await c.get('/api/points/entries')).json().items as { ruleName: string, note: string, granted: number | null, status: string }[])
      .filter(e => e.note.includes('对照检查'))
    expect(await history(f.m1.client)).toEqual([expect.objectContaining({ ruleName: '参加组织生活会/讲评会', granted: 2, status: 'approved' })])
    expect((await f.m1.client.get('/api/points/summary')).json().total).toBe(before + 2)
    expect(await history(f.g2.client)).toEqual([expect.objectContaining({ ruleName: '无故缺席组织生活（未经批准请假）', points: -2, granted: null, status: 'pending' })])
    expect(await history(f.m2.client)).toEqual([])
  })

  it('counts the organizer who closes as present, and deducts for absence only once a branch admin confirms it', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '小组会：缺席待确认' })
    await f.leader1.client.post(`/api/meetings/${id}/attendance/${f.m2.id}`, { action: 'leave', reason: '病假' })
    const before = (await f.m1.client.get('/api/points/summary')).json().total as number
    const closed = await f.leader1.client.post(`/api/meetings/${id}/close`)
    expect(closed.json()).toMatchObject({ present: 1, leave: 1, absent: 1 })
    const byMember = new Map((await rows(id)).map(r => [r.member_id, r]))
    expect(byMember.get(f.leader1.id)).toMatchObject({ status: 'manual', points: 2 })
    expect(byMember.get(f.m1.id)).toMatchObject({ status: 'absent', points: -2 })
    const entries = async (c: typeof f.m1.client) => ((await c.get('/api/points/entries')).json().items as { id: string, note: string, status: string }[])
      .filter(e => e.note.includes('缺席待确认'))
    const [absence] = await entries(f.m1.client)
    expect(absence).toMatchObject({ status: 'pending', stage: 'branch', points: -2, granted: null })
    expect((await f.m1.client.get('/api/points/summary')).json().total).toBe(before)
    expect(await entries(f.leader1.client)).toEqual([expect.objectContaining({ status: 'approved', granted: 2 })])
    // 无故缺席 is confirmed by the branch (支委), not by the group leader who closed the meeting.
    const byLeader = await f.leader1.client.post('/api/points/approvals/approve', { ids: [absence!.id] })
    expect(byLeader.json().results[0]).toMatchObject({ ok: false })
    expect((await f.admin.post('/api/points/approvals/approve', { ids: [absence!.id] })).json().results[0]).toMatchObject({ ok: true, entry: { status: 'approved', granted: -2 } })
    expect((await f.m1.client.get('/api/points/summary')).json().total).toBe(before - 2)
  })

  it('deducts nothing for absence where the branch switched the 无故缺席 rule off (points null)', async () => {
    const rule = await t.handle.db.selectFrom('point_rule').select('current_version_id').where('branch_id', '=', f.branchId).where('key', '=', 'absent').executeTakeFirstOrThrow()
    await t.handle.db.updateTable('point_rule_version').set({ active: 0 }).where('id', '=', rule.current_version_id).execute()
    try {
      const id = await createMeeting(f.admin, { topic: '不扣分的会' })
      expect((await f.admin.post(`/api/meetings/${id}/close`)).statusCode).toBe(200)
      const row = (await rows(id)).find(r => r.member_id === f.g2.id)
      expect(row).toMatchObject({ status: 'absent', points: null })
      const entries = (await f.g2.client.get('/api/points/entries')).json().items as { note: string }[]
      expect(entries.some(e => e.note.includes('不扣分的会'))).toBe(false)
    }
    finally {
      await t.handle.db.updateTable('point_rule_version').set({ active: 1 }).where('id', '=', rule.current_version_id).execute()
    }
  })

  it('refuses to close while a late scan waits for confirmation (409 MEETING_HAS_PENDING)', async () => {
    const id = await createMeeting(f.admin)
    const old = await screenCode(f.admin, id, Date.now() - 5 * MIN)
    await push(f.m1.client, [op('checkin.create', { meetingId: id, token: old.token, scannedAt: new Date(Date.now() - 5 * MIN).toISOString() })])
    const res = await f.admin.post(`/api/meetings/${id}/close`)
    expect(res.json().code).toBe('MEETING_HAS_PENDING')
    const meeting = await t.handle.db.selectFrom('meeting').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(meeting.status).toBe('scheduled')
  })
})

describe('the meeting keys (issue 15)', () => {
  it('gives each meeting its own Ed25519 pair: organizers get the signing key, every member pulls only the public key', async () => {
    const id = await createMeeting(f.admin)
    const screen = (await f.admin.get(`/api/meetings/${id}/screen`)).json() as { key: string, meeting: { verifyKey: string } }
    const [d, x] = screen.key.split('.')
    expect(d).toMatch(/^[\w-]{43}$/)
    expect(x).toBe(screen.meeting.verifyKey)
    const other = (await f.admin.get(`/api/meetings/${await createMeeting(f.admin)}/screen`)).json() as { key: string }
    expect(other.key).not.toBe(screen.key)
    // A member's pull carries the public key and never the signing key.
    const pulled = JSON.stringify((await f.m1.client.get('/api/sync/pull')).json())
    expect(pulled).toContain(x)
    expect(pulled).not.toContain(d)
    expect((await f.m1.client.get(`/api/meetings/${id}/screen`)).statusCode).toBe(403)
  })

  it('still checks a scan queued before the upgrade (xf1, HMAC of the server secret): the genuine one is taken, a guessed one refused', async () => {
    const id = await createMeeting(f.admin)
    const stored = await t.handle.db.selectFrom('server_state').select('value').where('key', '=', 'meeting_secret').executeTakeFirst()
    const secret = stored?.value ?? (await new MeetingSecret(null).get(t.handle.db))
    const window = Math.floor(Date.now() / 10_000)
    const guessed = `xf1:${id}:${window}:${'A'.repeat(22)}`
    const refused = await push(f.m2.client, [op('checkin.create', { meetingId: id, token: guessed, scannedAt: new Date().toISOString() })])
    expect(refused.json().results[0]).toMatchObject({ status: 'rejected', code: CHECKIN_REJECT.forged })
    const mac = windowMac(meetingKey(secret, id), id, window)
    const genuine = `xf1:${id}:${window}:${toBase64Url(mac.subarray(0, 16))}`
    const ok = await push(f.m1.client, [op('checkin.create', { meetingId: id, token: genuine, scannedAt: new Date().toISOString() })])
    expect(ok.json().results[0]).toMatchObject({ status: 'applied', entity: { status: 'verified' } })
  })

  it('the XF_SECRET of a second instance does not change the meeting keys (they live with the meeting)', async () => {
    const id = await createMeeting(f.admin)
    const first = await f.admin.get(`/api/meetings/${id}/screen`)
    const withSecret = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:', XF_SECRET: 'x'.repeat(40) }), database: t.handle, passwordParams: TEST_PASSWORD_PARAMS })
    await withSecret.ready()
    const keyed = await withSecret.inject({ method: 'GET', url: `/api/meetings/${id}/screen`, headers: { cookie: f.admin.cookie } })
    expect(keyed.json().key).toBe(first.json().key)
  })
})
