import type { RhythmAttendance, RhythmInput, RhythmMeeting } from '#shared/meetings/rhythm'
import { DEFAULT_RHYTHM_SETTINGS, isLate, minutesLate, normalizeRhythmSettings, rhythmReport, rhythmSummary } from '#shared/meetings/rhythm'
import { describe, expect, it } from 'vitest'

const G1 = 'g1'
const G2 = 'g2'
let n = 0
function meeting(type: RhythmMeeting['type'], startsAt: string, over: Partial<RhythmMeeting> = {}): RhythmMeeting {
  return { id: `m${++n}`, type, groupId: null, startsAt, status: 'closed', ...over }
}
const row = (m: RhythmMeeting, memberId: string, status: RhythmAttendance['status'], arrivedAt: string | null = null): RhythmAttendance => ({ meetingId: m.id, memberId, status, arrivedAt })

function input(over: Partial<RhythmInput>): RhythmInput {
  return { year: 2026, now: new Date('2026-12-03T06:00:00Z'), settings: DEFAULT_RHYTHM_SETTINGS, groups: [G1, G2], meetings: [], attendance: [], members: [], ...over }
}

describe('periods held against the rhythm (China time)', () => {
  it('puts a meeting at 00:30 on 1 April Beijing time (31 March UTC) in the second quarter', () => {
    const m = meeting('branch_assembly', '2026-03-31T16:30:00Z')
    const r = rhythmReport(input({ meetings: [m] }))
    const assembly = r.types.find(t => t.type === 'branch_assembly')!
    expect(assembly.periods.map(p => p.held)).toEqual([0, 1, 0, 0])
    expect(assembly.periods.map(p => p.state)).toEqual(['missed', 'held', 'missed', 'open'])
  })

  it('keeps a meeting at 23:30 on 31 March Beijing time in the first quarter', () => {
    const r = rhythmReport(input({ meetings: [meeting('branch_assembly', '2026-03-31T15:30:00Z')] }))
    expect(r.types.find(t => t.type === 'branch_assembly')!.periods[0]).toMatchObject({ from: '2026-01-01', to: '2026-03-31', held: 1, state: 'held' })
  })

  it('counts a meeting at 07:00 on 1 January Beijing time in its year, not the last', () => {
    const m = meeting('life_meeting', '2025-12-31T23:00:00Z')
    expect(rhythmReport(input({ meetings: [m] })).types.find(t => t.type === 'life_meeting')!.periods[0]!.held).toBe(1)
    expect(rhythmReport(input({ year: 2025, meetings: [m], now: new Date('2026-02-01T00:00:00Z') })).types.find(t => t.type === 'life_meeting')!.periods[0]).toMatchObject({ held: 0, state: 'missed' })
  })

  it('does not call the month under way missed, and a month to come is not yet', () => {
    // 1 December 2026, 02:00 Beijing time: December has begun, nothing held in it yet.
    const r = rhythmReport(input({ now: new Date('2026-11-30T18:00:00Z'), meetings: [meeting('theme_day', '2026-11-10T02:00:00Z')] }))
    const theme = r.types.find(t => t.type === 'theme_day')!
    expect(theme.periods[10]).toMatchObject({ index: 11, held: 1, state: 'held' })
    expect(theme.periods[11]!.state).toBe('open')
    expect(theme.missed).toBe(10)
    // Half an hour earlier it is still 30 November in Beijing: December has not begun.
    const before = rhythmReport(input({ now: new Date('2026-11-30T15:30:00Z') }))
    expect(before.types.find(t => t.type === 'theme_day')!.periods[11]!.state).toBe('future')
  })

  it('counts neither a cancelled meeting nor one not yet closed as held; the latter is planned', () => {
    const r = rhythmReport(input({ now: new Date('2026-05-15T00:00:00Z'), meetings: [
      meeting('committee', '2026-04-10T02:00:00Z', { status: 'cancelled' }),
      meeting('committee', '2026-05-10T02:00:00Z', { status: 'scheduled' }),
    ] }))
    const committee = r.types.find(t => t.type === 'committee')!
    expect(committee.periods[3]).toMatchObject({ held: 0, planned: 0, state: 'missed' })
    expect(committee.periods[4]).toMatchObject({ held: 0, planned: 1, state: 'open' })
    expect(committee.missed).toBe(4)
  })

  it('asks for the count the branch set, and nothing of a type set to 0', () => {
    const settings = normalizeRhythmSettings({ rhythm: { committee: { period: 'month', count: 2 }, party_lecture: { period: 'year', count: 0 } } })
    const r = rhythmReport(input({ settings, now: new Date('2026-02-15T00:00:00Z'), meetings: [meeting('committee', '2026-01-05T02:00:00Z')] }))
    expect(r.types.find(t => t.type === 'committee')!.periods[0]).toMatchObject({ held: 1, state: 'missed' })
    expect(r.types.find(t => t.type === 'party_lecture')!).toMatchObject({ period: 'year', required: 0, missed: 0, periods: [{ state: 'none' }] })
  })

  it('flags the group that missed a month of 党小组会; a branch-wide one counts for every group', () => {
    const meetings = [
      meeting('group_meeting', '2026-01-10T02:00:00Z', { groupId: G1 }),
      meeting('group_meeting', '2026-02-10T02:00:00Z', { groupId: G1 }),
      meeting('group_meeting', '2026-02-12T02:00:00Z', { groupId: G2 }),
      meeting('group_meeting', '2026-03-01T02:00:00Z'),
    ]
    const r = rhythmReport(input({ now: new Date('2026-03-20T00:00:00Z'), meetings }))
    expect(r.groups).toEqual([
      expect.objectContaining({ groupId: G1, missed: 0, flagged: false }),
      expect.objectContaining({ groupId: G2, missed: 1, flagged: true }),
    ])
    expect(r.groups[1]!.periods.slice(0, 4).map(p => p.state)).toEqual(['missed', 'held', 'held', 'future'])
    expect(r.flaggedGroups).toBe(1)
    // A group's 党小组会 is not the branch's 党员大会 or anything else.
    expect(r.types.every(t => t.periods.every(p => p.held === 0))).toBe(true)
  })
})

describe('attendance and 迟到', () => {
  const start = '2026-06-01T02:00:00Z'
  const at = (minutes: number, seconds = 0) => new Date(Date.parse(start) + minutes * 60_000 + seconds * 1000).toISOString()

  it('is on time exactly at the grace, late a moment after', () => {
    expect(isLate(start, at(5), 5)).toBe(false)
    expect(isLate(start, at(5, 1), 5)).toBe(true)
    expect(minutesLate(start, at(5, 1), 5)).toBe(6)
    expect(isLate(start, at(5, 1), 10)).toBe(false)
    expect(isLate(start, null, 0)).toBe(false)
  })

  it('counts attendance per meeting and per member, 迟到 by the branch grace, never for a check-in by hand', () => {
    const a = meeting('branch_assembly', start)
    const b = meeting('party_lecture', '2026-07-01T02:00:00Z')
    const r = rhythmReport(input({
      settings: { ...DEFAULT_RHYTHM_SETTINGS, lateGraceMinutes: 10 },
      members: [{ id: 'p', groupId: G1, since: null }, { id: 'q', groupId: G1, since: null }, { id: 'r', groupId: G2, since: null }],
      meetings: [a, b],
      attendance: [
        row(a, 'p', 'verified', at(10)), // exactly at the grace: on time
        row(a, 'q', 'verified', at(10, 30)), // late
        row(a, 'r', 'manual'), // 代签到: no arrival time, not late
        row(b, 'p', 'verified', '2026-07-01T02:40:00Z'), // 40 minutes late
        row(b, 'q', 'leave'),
        row(b, 'r', 'absent'),
      ],
    }))
    expect(r.meetings).toEqual([
      expect.objectContaining({ meetingId: a.id, expected: 3, present: 3, leave: 0, absent: 0, late: 1, rate: 1 }),
      expect.objectContaining({ meetingId: b.id, expected: 3, present: 1, leave: 1, absent: 1, late: 1, rate: 1 / 3 }),
    ])
    // The upper organization's overview: 4 present of 6 expected, two late, no names.
    expect(rhythmSummary(r)).toEqual({ meetingsHeld: 2, missedTypes: r.missedTypes, flaggedGroups: r.flaggedGroups, attendanceRate: 67, late: 2 })
    expect(r.members).toEqual([
      expect.objectContaining({ memberId: 'p', expected: 2, present: 2, late: 1, rate: 1 }),
      expect.objectContaining({ memberId: 'q', expected: 2, present: 1, leave: 1, late: 1, rate: 0.5 }),
      expect.objectContaining({ memberId: 'r', expected: 2, present: 1, absent: 1, late: 0, rate: 0.5 }),
    ])
  })

  it('counts a member who joined mid-year only from the meetings after joining', () => {
    const before = meeting('theme_day', '2026-03-05T02:00:00Z')
    const after = meeting('theme_day', '2026-08-05T02:00:00Z')
    const r = rhythmReport(input({
      members: [{ id: 'new', groupId: G1, since: '2026-07-01' }, { id: 'old', groupId: G1, since: '2020-01-01' }],
      meetings: [before, after],
      attendance: [row(before, 'new', 'absent'), row(after, 'new', 'verified', '2026-08-05T02:01:00Z'), row(before, 'old', 'absent'), row(after, 'old', 'absent')],
    }))
    expect(r.members.find(m => m.memberId === 'new')).toMatchObject({ expected: 1, present: 1, absent: 0, rate: 1 })
    expect(r.members.find(m => m.memberId === 'old')).toMatchObject({ expected: 2, present: 0, absent: 2, rate: 0 })
  })

  it('leaves meetings not closed, cancelled, 支委会 and other years out of the rates', () => {
    const open = meeting('theme_day', '2026-11-20T02:00:00Z', { status: 'scheduled' })
    const committee = meeting('committee', '2026-04-05T02:00:00Z')
    const lastYear = meeting('theme_day', '2025-12-05T02:00:00Z')
    const r = rhythmReport(input({
      members: [{ id: 'p', groupId: G1, since: null }],
      meetings: [open, committee, lastYear],
      attendance: [row(open, 'p', 'verified', '2026-11-20T02:00:00Z'), row(committee, 'p', 'manual'), row(lastYear, 'p', 'absent')],
    }))
    expect(r.members[0]).toMatchObject({ expected: 0, present: 0, rate: null })
    expect(r.meetings).toEqual([expect.objectContaining({ meetingId: committee.id, expected: null, present: 1, rate: null })])
  })
})

describe('the branch rhythm settings', () => {
  it('falls back to the defaults for anything missing or out of range', () => {
    const s = normalizeRhythmSettings({ rhythm: { committee: { period: 'week', count: 1 }, theme_day: { period: 'quarter', count: 99 }, life_meeting: { period: 'year', count: 2 } }, lateGraceMinutes: -3 })
    expect(s.rhythm.committee).toEqual({ period: 'month', count: 1 })
    expect(s.rhythm.theme_day).toEqual({ period: 'month', count: 1 })
    expect(s.rhythm.life_meeting).toEqual({ period: 'year', count: 2 })
    expect(s.lateGraceMinutes).toBe(5)
    expect(normalizeRhythmSettings('nonsense')).toEqual(DEFAULT_RHYTHM_SETTINGS)
  })
})
