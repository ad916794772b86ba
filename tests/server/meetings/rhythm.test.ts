import type { AttendanceStatus, MeetingStatus, MeetingType } from '#shared/meetings/constants'
import type { RhythmView } from '#shared/meetings/rhythm-schemas'
import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { branchRhythm } from '#server/meetings/rhythm-service'
import { DEFAULT_RHYTHM } from '#shared/meetings/rhythm'
import { windowAt } from '#shared/meetings/token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture } from '../meeting-helper'

/**
 * 三会一课 执行情况 (issue 14 point 3) on a finished year with known answers: meetings and the
 * attendance closing wrote are put in the database as they would stand, so every period is over.
 */
const YEAR = 2025
const MIN = 60_000
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>
let assemblyQ1: string

async function meeting(type: MeetingType, startsAt: string, groupId: string | null = null, status: MeetingStatus = 'closed') {
  const id = randomUUID()
  const endsAt = new Date(Date.parse(startsAt) + 90 * MIN).toISOString()
  await t.handle.db.insertInto('meeting').values({ id, branch_id: f.branchId, group_id: groupId, type, topic: `${type} ${startsAt}`, starts_at: startsAt, ends_at: endsAt, place: '', agenda: '', status, created_by: f.leader1.id, created_at: startsAt, updated_at: startsAt, closed_at: status === 'closed' ? endsAt : null, closed_by: status === 'closed' ? f.leader1.id : null, sign_key: null, verify_key: null }).execute()
  return id
}

/** One member's row; `arrivedAfter` minutes after the start: a scan whose code was shown then. */
async function attend(meetingId: string, memberId: string, status: AttendanceStatus, arrivedAfter?: number) {
  const m = await t.handle.db.selectFrom('meeting').select('starts_at').where('id', '=', meetingId).executeTakeFirstOrThrow()
  const at = new Date(Date.parse(m.starts_at) + (arrivedAfter ?? 0) * MIN)
  await t.handle.db.insertInto('meeting_attendance').values({ meeting_id: meetingId, member_id: memberId, status, method: arrivedAfter === undefined ? 'manual' : 'qr', token_window: arrivedAfter === undefined ? null : windowAt(at.getTime()), scanned_at: null, flag: null, flag_reason: null, reason: null, decided_by: null, points: null, created_at: at.toISOString(), updated_at: at.toISOString() }).execute()
}

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
  // Everyone was in the branch before the year began, except g2, who joined on 1 July (China time).
  await t.handle.db.updateTable('member').set({ created_at: '2024-12-01T00:00:00.000Z' }).where('branch_id', '=', f.branchId).execute()
  await t.handle.db.updateTable('member').set({ created_at: '2025-06-30T16:00:00.000Z' }).where('id', '=', f.g2.id).execute()

  // 支部党员大会: Q1 on 10 February; 1 April 00:30 Beijing time (31 March UTC) is Q2; Q3's was cancelled; Q4 none.
  assemblyQ1 = await meeting('branch_assembly', '2025-02-10T01:00:00.000Z')
  const assemblyQ2 = await meeting('branch_assembly', '2025-03-31T16:30:00.000Z')
  await meeting('branch_assembly', '2025-08-10T01:00:00.000Z', null, 'cancelled')
  await attend(assemblyQ1, f.m1.id, 'verified', 3)
  await attend(assemblyQ1, f.m2.id, 'verified', 7) // 迟到 by the default 5 minutes
  await attend(assemblyQ1, f.leader1.id, 'leave')
  await attend(assemblyQ1, f.leader2.id, 'manual') // 代签到: no arrival time, never 迟到
  await attend(assemblyQ2, f.m1.id, 'absent')
  await attend(assemblyQ2, f.m2.id, 'verified', 0)
  await attend(assemblyQ2, f.leader1.id, 'verified', 1)
  await attend(assemblyQ2, f.leader2.id, 'verified', 1)
  // A September meeting: g2 had joined by then.
  const themeSep = await meeting('theme_day', '2025-09-05T01:00:00.000Z')
  await attend(themeSep, f.g2.id, 'verified', 2)
  await attend(themeSep, f.m1.id, 'verified', 30)
  // 党小组会: group 1 every month, group 2 only in January.
  for (let month = 1; month <= 12; month++)
    await meeting('group_meeting', `${YEAR}-${String(month).padStart(2, '0')}-15T01:00:00.000Z`, f.group1)
  await meeting('group_meeting', `${YEAR}-01-20T01:00:00.000Z`, f.group2)
  // Another year's meeting is not this year's.
  await meeting('branch_assembly', '2024-12-31T15:00:00.000Z')
})
afterAll(async () => t?.close())

async function view(client = f.admin, year = YEAR) {
  const res = await client.get(`/api/meetings/rhythm?year=${year}`)
  expect(res.statusCode).toBe(200)
  return res.json() as RhythmView
}

describe('三会一课 执行情况', () => {
  it('shows the branch admin each type and group against the rhythm, the missed periods and the flagged group', async () => {
    const v = await view()
    expect(v.scope).toBe('branch')
    const assembly = v.report.types.find(r => r.type === 'branch_assembly')!
    expect(assembly.periods.map(p => [p.held, p.state])).toEqual([[1, 'held'], [1, 'held'], [0, 'missed'], [0, 'missed']])
    expect(v.report.types.find(r => r.type === 'committee')).toMatchObject({ period: 'month', missed: 12 })
    expect(v.report.types.find(r => r.type === 'life_meeting')).toMatchObject({ period: 'year', missed: 1 })
    expect(v.report.missedTypes).toBe(5)
    const byGroup = new Map(v.report.groups.map(g => [g.groupId, g]))
    expect(byGroup.get(f.group1)).toMatchObject({ missed: 0, flagged: false })
    expect(byGroup.get(f.group2)).toMatchObject({ missed: 11, flagged: true })
    expect(v.report.flaggedGroups).toBe(1)
    expect(v.groups.map(g => g.name).sort()).toEqual(['第一党小组', '第二党小组'])
  })

  it('counts attendance per meeting and per member, 迟到 after the grace, and g2 only from joining', async () => {
    const v = await view()
    expect(v.report.meetings.find(m => m.meetingId === assemblyQ1)).toMatchObject({ expected: 4, present: 3, leave: 1, absent: 0, late: 1, rate: 0.75 })
    const byMember = new Map(v.report.members.map(m => [m.memberId, m]))
    expect(byMember.get(f.m1.id)).toMatchObject({ expected: 3, present: 2, absent: 1, late: 1 })
    expect(byMember.get(f.m2.id)).toMatchObject({ expected: 2, present: 2, late: 1, rate: 1 })
    expect(byMember.get(f.g2.id)).toMatchObject({ expected: 1, present: 1, late: 0, rate: 1 })
    expect(v.members.find(m => m.id === f.m1.id)?.name).toBe('m1')
  })

  it('lets the branch set the rhythm and the grace, and the report follows', async () => {
    const rhythm = { ...DEFAULT_RHYTHM, branch_assembly: { period: 'year', count: 2 }, committee: { period: 'quarter', count: 0 } }
    // Another feature's key in the same settings stays.
    await t.handle.db.updateTable('branch').set({ settings: JSON.stringify({ other: 1 }) }).where('id', '=', f.branchId).execute()
    const saved = await f.admin.request('PUT', '/api/meetings/rhythm/settings', { rhythm, lateGraceMinutes: 10 })
    expect(saved.statusCode).toBe(200)
    expect((await f.leader1.client.get('/api/meetings/rhythm/settings')).json()).toMatchObject({ lateGraceMinutes: 10, rhythm: { branch_assembly: { period: 'year', count: 2 } } })
    const row = await t.handle.db.selectFrom('branch').select('settings').where('id', '=', f.branchId).executeTakeFirstOrThrow()
    expect(JSON.parse(row.settings)).toMatchObject({ other: 1, meetingRhythm: { lateGraceMinutes: 10 } })

    const v = await view()
    expect(v.report.types.find(r => r.type === 'branch_assembly')!.periods).toEqual([expect.objectContaining({ held: 2, state: 'held' })])
    expect(v.report.types.find(r => r.type === 'committee')).toMatchObject({ missed: 0, periods: [{ state: 'none' }, { state: 'none' }, { state: 'none' }, { state: 'none' }] })
    // 7 minutes is not late with a grace of 10; 30 still is.
    expect(v.report.members.find(m => m.memberId === f.m2.id)).toMatchObject({ late: 0 })
    expect(v.report.members.find(m => m.memberId === f.m1.id)).toMatchObject({ late: 1 })
    await f.admin.request('PUT', '/api/meetings/rhythm/settings', { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 5 })
  })

  it('refuses settings out of range or of an unknown shape (400), and anyone but the branch admin (403)', async () => {
    const bad = [
      { rhythm: { ...DEFAULT_RHYTHM, committee: { period: 'week', count: 1 } }, lateGraceMinutes: 5 },
      { rhythm: { ...DEFAULT_RHYTHM, committee: { period: 'month', count: 11 } }, lateGraceMinutes: 5 },
      { rhythm: { ...DEFAULT_RHYTHM, committee: { period: 'month', count: -1 } }, lateGraceMinutes: 5 },
      { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 61 },
      { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 2.5 },
      { rhythm: { ...DEFAULT_RHYTHM, extra: { period: 'month', count: 1 } }, lateGraceMinutes: 5 },
      { rhythm: { committee: { period: 'month', count: 1 } }, lateGraceMinutes: 5 },
      {},
    ]
    for (const body of bad)
      expect((await f.admin.request('PUT', '/api/meetings/rhythm/settings', body)).statusCode).toBe(400)
    expect((await f.leader1.client.request('PUT', '/api/meetings/rhythm/settings', { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 5 })).statusCode).toBe(403)
    expect((await f.admin.get('/api/meetings/rhythm?year=1999')).statusCode).toBe(400)
    expect((await f.admin.get('/api/meetings/rhythm?year=abc')).statusCode).toBe(400)
    expect((await f.admin.get('/api/meetings/rhythm/settings')).json().lateGraceMinutes).toBe(5)
  })

  it('shows a group leader their own group only, and refuses a plain member', async () => {
    const v = await view(f.leader1.client)
    expect(v.scope).toBe('group')
    expect(v.report.groups.map(g => g.groupId)).toEqual([f.group1])
    expect(v.report.flaggedGroups).toBe(0)
    expect(v.report.members.map(m => m.memberId).sort()).toEqual([f.leader1.id, f.m1.id, f.m2.id].sort())
    expect(v.report.meetings.every(m => m.groupId === null || m.groupId === f.group1)).toBe(true)
    expect(v.members.some(m => m.id === f.g2.id)).toBe(false)
    expect((await f.m1.client.get(`/api/meetings/rhythm?year=${YEAR}`)).statusCode).toBe(403)
    expect((await f.outsider.client.get(`/api/meetings/rhythm?year=${YEAR}`)).statusCode).toBe(403)
  })

  it('keeps branches apart: another branch has nothing of this one', async () => {
    const other = await t.handle.db.selectFrom('member').select('branch_id').where('id', '=', f.outsider.id).executeTakeFirstOrThrow()
    const report = await branchRhythm(t.handle.db, other.branch_id, YEAR, new Date('2026-06-01T00:00:00Z'))
    expect(report.meetings).toEqual([])
    expect(report.members.map(m => m.memberId)).toEqual([f.outsider.id])
    expect(report.types.every(r => r.periods.every(p => p.held === 0))).toBe(true)
  })
})

describe('迟到 on the meeting\'s attendance', () => {
  it('says who was late and by how much, by the branch\'s grace', async () => {
    const id = await createMeeting(f.admin, { startsAt: new Date(Date.now() - 30 * MIN).toISOString() })
    await attend(id, f.m1.id, 'verified', 12)
    await attend(id, f.m2.id, 'verified', 2)
    const rows = async () => new Map(((await f.admin.get(`/api/meetings/${id}/attendance`)).json().rows as { memberId: string, lateArrival: boolean, lateMinutes: number | null }[]).map(r => [r.memberId, r]))
    expect((await rows()).get(f.m1.id)).toMatchObject({ lateArrival: true, lateMinutes: 12 })
    expect((await rows()).get(f.m2.id)).toMatchObject({ lateArrival: false, lateMinutes: null })
    await f.admin.request('PUT', '/api/meetings/rhythm/settings', { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 15 })
    expect((await rows()).get(f.m1.id)).toMatchObject({ lateArrival: false, lateMinutes: null })
    await f.admin.request('PUT', '/api/meetings/rhythm/settings', { rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 5 })
  })
})
