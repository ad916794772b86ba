import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { MEETING_REJECT } from '#shared/meetings/ops'
import { REJECT } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingBody, meetingFixture, screenCode } from '../meeting-helper'
import { op, push } from '../sync-helper'

/**
 * The organizer's ops (issue 11): what the phone sends for creating, closing and attendance
 * decisions, offline. The same service functions as the REST routes, so the same rules; a
 * conflict is refused by name, never overwritten; an op id is answered once.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

type Client = typeof f.admin
async function pushOne(client: Client, type: string, payload: unknown, opId?: string) {
  const res = await push(client, [op(type, payload, opId ? { opId } : {})])
  expect(res.statusCode).toBe(200)
  return res.json().results[0] as { status: string, code?: string, message?: string, entity?: Record<string, unknown> }
}
const meetingRow = (id: string) => t.handle.db.selectFrom('meeting').selectAll().where('id', '=', id).executeTakeFirst()
const attendance = (id: string, memberId: string) => t.handle.db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', id).where('member_id', '=', memberId).executeTakeFirst()
async function pulledMeeting(client: Client, id: string) {
  return ((await client.get('/api/sync/pull')).json().changes as { entity: string, entityId: string, data: { status: string } }[])
    .filter(c => c.entity === 'meeting' && c.entityId === id)
    .at(-1)
}

describe('meeting.create', () => {
  it('creates the meeting under the phone\'s id, pulled by its group; the same op again is answered once', async () => {
    const id = randomUUID()
    const opId = randomUUID()
    const payload = { id, ...meetingBody({ type: 'group_meeting', groupId: f.group1, topic: '离线建的小组会' }) }
    const first = await pushOne(f.leader1.client, 'meeting.create', payload, opId)
    expect(first).toMatchObject({ status: 'applied', entity: { id, topic: '离线建的小组会', groupId: f.group1, status: 'scheduled', createdBy: f.leader1.id } })
    const again = await pushOne(f.leader1.client, 'meeting.create', payload, opId)
    expect(again.status).toBe('duplicate')
    expect(await t.handle.db.selectFrom('meeting').select('id').where('topic', '=', '离线建的小组会').execute()).toHaveLength(1)
    expect(await pulledMeeting(f.m1.client, id)).toBeDefined()
    expect(await pulledMeeting(f.g2.client, id)).toBeUndefined()
    // The organizer opens it as a meeting of their own at once, like one made online.
    expect((await f.leader1.client.get(`/api/meetings/${id}`)).json()).toMatchObject({ canOrganize: true })
  })

  it('refuses a group leader scheduling for another group or the branch, a member, and a taken id', async () => {
    const other = await pushOne(f.leader1.client, 'meeting.create', { id: randomUUID(), ...meetingBody({ type: 'group_meeting', groupId: f.group2 }) })
    expect(other).toMatchObject({ status: 'rejected', code: MEETING_REJECT.notOrganizer })
    expect(other.message).toContain('党小组长只能组织本小组的会议')
    expect(await pushOne(f.leader1.client, 'meeting.create', { id: randomUUID(), ...meetingBody() })).toMatchObject({ status: 'rejected', code: MEETING_REJECT.notOrganizer })
    expect(await pushOne(f.m1.client, 'meeting.create', { id: randomUUID(), ...meetingBody() })).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    const taken = await createMeeting(f.admin)
    const dup = await pushOne(f.admin, 'meeting.create', { id: taken, ...meetingBody({ topic: '抢编号' }) })
    expect(dup).toMatchObject({ status: 'rejected', code: MEETING_REJECT.idTaken })
    expect((await meetingRow(taken))!.topic).not.toBe('抢编号')
    const badTimes = await pushOne(f.admin, 'meeting.create', { id: randomUUID(), ...meetingBody({ endsAt: new Date(Date.now() - 3_600_000).toISOString() }) })
    expect(badTimes).toMatchObject({ status: 'rejected', code: 'MEETING_TIMES' })
  })
})

describe('meeting.close', () => {
  it('closes once with the same outcomes as the route: present, leave, absent with points', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '离线结束' })
    const shown = await screenCode(f.leader1.client, id)
    await push(f.m1.client, [op('checkin.create', { meetingId: id, token: shown.token, scannedAt: new Date().toISOString() })])
    const opId = randomUUID()
    const closed = await pushOne(f.leader1.client, 'meeting.close', { meetingId: id, topic: '离线结束' }, opId)
    expect(closed).toMatchObject({ status: 'applied', entity: { id, status: 'closed' } })
    expect(await attendance(id, f.m1.id)).toMatchObject({ status: 'verified', points: 2 })
    expect(await attendance(id, f.leader1.id)).toMatchObject({ status: 'manual', method: 'organizer', points: 2 })
    expect(await attendance(id, f.m2.id)).toMatchObject({ status: 'absent', points: -2 })
    expect((await pushOne(f.leader1.client, 'meeting.close', { meetingId: id, topic: '离线结束' }, opId)).status).toBe('duplicate')
    // One grant each, though the op came twice.
    const entries = await t.handle.db.selectFrom('point_entry').select('member_id').where('note', 'like', '%离线结束%').execute()
    expect(entries.map(e => e.member_id).sort()).toEqual([f.leader1.id, f.m1.id, f.m2.id].sort())
  })

  it('refuses closing what another organizer already closed, naming them, or cancelled; nothing is overwritten', async () => {
    const id = await createMeeting(f.admin, { type: 'group_meeting', groupId: f.group1 })
    expect((await f.leader1.client.post(`/api/meetings/${id}/close`)).statusCode).toBe(200)
    const before = await meetingRow(id)
    const late = await pushOne(f.admin, 'meeting.close', { meetingId: id })
    expect(late).toMatchObject({ status: 'rejected', code: MEETING_REJECT.closed })
    expect(late.message).toContain('会议已由leader1结束')
    expect(await meetingRow(id)).toEqual(before)
    const cancelled = await createMeeting(f.admin)
    await f.admin.post(`/api/meetings/${cancelled}/cancel`)
    expect(await pushOne(f.admin, 'meeting.close', { meetingId: cancelled })).toMatchObject({ status: 'rejected', code: MEETING_REJECT.cancelled })
    expect((await meetingRow(cancelled))!.status).toBe('cancelled')
  })

  it('refuses an organizer out of scope: another group\'s leader, a member, another branch (as missing)', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    expect(await pushOne(f.leader2.client, 'meeting.close', { meetingId: id })).toMatchObject({ status: 'rejected', code: MEETING_REJECT.notOrganizer })
    expect(await pushOne(f.m1.client, 'meeting.close', { meetingId: id })).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    expect(await pushOne(f.leader1.client, 'meeting.close', { meetingId: randomUUID() })).toMatchObject({ status: 'rejected', code: MEETING_REJECT.notFound })
    expect((await meetingRow(id))!.status).toBe('scheduled')
  })
})

describe('meeting.attendance', () => {
  it('records 代签到 and 请假 like the route, each answered once, the member\'s phone pulling it', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    const opId = randomUUID()
    const manual = await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m1.id, action: 'checkin', topic: '小组会', memberName: 'm1' }, opId)
    expect(manual).toMatchObject({ status: 'applied', entity: { meetingId: id, memberId: f.m1.id, status: 'manual' } })
    expect((await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m1.id, action: 'checkin', topic: '小组会', memberName: 'm1' }, opId)).status).toBe('duplicate')
    expect(await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m2.id, action: 'leave', reason: '病假' })).toMatchObject({ status: 'applied', entity: { status: 'leave', reason: '病假' } })
    const pulled = (await f.m2.client.get('/api/sync/pull')).json().changes as { entity: string, data: { meetingId: string, status: string } }[]
    expect(pulled.filter(c => c.entity === 'attendance' && c.data.meetingId === id).at(-1)?.data.status).toBe('leave')
    expect(await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m2.id, action: 'leave' })).toMatchObject({ status: 'rejected', code: 'MEETING_LEAVE_REASON' })
  })

  it('refuses marking attendance on a closed meeting, naming who closed it, and keeps what closing recorded', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    await f.admin.post(`/api/meetings/${id}/close`)
    const refused = await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m1.id, action: 'checkin' })
    expect(refused).toMatchObject({ status: 'rejected', code: MEETING_REJECT.closed })
    expect(refused.message).toContain('会议已由管理员结束')
    expect(await attendance(id, f.m1.id)).toMatchObject({ status: 'absent' })
  })

  it('refuses confirming a scan that is no longer waiting, and an organizer or member out of scope', async () => {
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    const old = await screenCode(f.leader1.client, id, Date.now() - 5 * 60_000)
    await push(f.m2.client, [op('checkin.create', { meetingId: id, token: old.token, scannedAt: new Date(Date.now() - 5 * 60_000).toISOString() })])
    expect((await pushOne(f.admin, 'meeting.attendance', { meetingId: id, memberId: f.m2.id, action: 'confirm' })).status).toBe('applied')
    // The group leader, offline, refused the same scan meanwhile: the admin's decision stands.
    expect(await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.m2.id, action: 'reject' })).toMatchObject({ status: 'rejected', code: 'MEETING_NOT_PENDING' })
    expect(await attendance(id, f.m2.id)).toMatchObject({ status: 'verified' })
    expect(await pushOne(f.leader2.client, 'meeting.attendance', { meetingId: id, memberId: f.m1.id, action: 'checkin' })).toMatchObject({ status: 'rejected', code: MEETING_REJECT.notOrganizer })
    expect(await pushOne(f.leader1.client, 'meeting.attendance', { meetingId: id, memberId: f.g2.id, action: 'checkin' })).toMatchObject({ status: 'rejected', code: 'MEETING_MEMBER_OUT_OF_SCOPE' })
    expect(await pushOne(f.m1.client, 'meeting.attendance', { meetingId: id, memberId: f.m1.id, action: 'checkin' })).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    expect(await attendance(id, f.g2.id)).toBeUndefined()
  })
})
