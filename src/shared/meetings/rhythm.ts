import type { AttendanceStatus, MeetingStatus, MeetingType } from './constants'
import { localDate, periodBounds } from '../points/periods'
import { CHECKIN, MEETING_TYPES, PRESENT_STATUSES } from './constants'
import { arrivedLate } from './timing'

/**
 * 三会一课 execution (issue 14 point 3): how often the branch holds each kind of meeting (its
 * rhythm), which periods of a year met it, attendance per member and per meeting, and 迟到 — one
 * pure computation the server's report (src/server/meetings/rhythm-service.ts) and the phone both
 * use. Periods are calendar months, quarters and years in China Standard Time, like the points.
 *
 * Decisions where the rules are silent, so a reader need not reverse-engineer them:
 * - Held = closed. A scheduled meeting counts as planned until an organizer closes it (closing is
 *   what records the attendance); a cancelled one never counts.
 * - A meeting belongs to the period in which it starts (China time).
 * - 党小组会 are required of each group: a group's own 党小组会, and a branch-wide one (all groups
 *   met), count for it. The other types are the branch's: only branch-wide meetings count (a
 *   党课 given to one group is that group's, not the branch's).
 * - A period that has not started is `future`; one under way that has not yet met its count is
 *   `open`, never missed — a month not yet over can still be made up.
 * - Attendance counts closed meetings only, from the rows closing wrote: everyone expected then has
 *   one (present, 请假, or absent), so a member who joined mid-year, or moved groups, is counted
 *   exactly for the meetings they were expected at. Rows from before the member's `since` are
 *   ignored as well (a member re-added keeps old rows).
 * - 出勤率 = present / expected, 请假 included in expected (实到 / 应到); leave is reported beside it.
 * - 支委会 is attended by the committee only and closing marks nobody absent, so it has no 应到:
 *   it counts as held but stays out of the attendance rates.
 * - 迟到: present, and the code scanned was on the screen more than the branch's grace after the
 *   start (exactly at the limit is on time). A check-in by an organizer (代签到, the closer) or a
 *   补签 names no arrival time, so it is never 迟到: the organizer vouched for the member.
 */

export type RhythmPeriod = 'month' | 'quarter' | 'year'
export const RHYTHM_PERIODS: readonly RhythmPeriod[] = ['month', 'quarter', 'year']

/** How many meetings of a type each period asks for; 0: the type is not required. */
export interface RhythmRule {
  period: RhythmPeriod
  count: number
}
export type Rhythm = Record<MeetingType, RhythmRule>

/** What the branch sets: the rhythm per type and the 迟到 grace in minutes. */
export interface RhythmSettings {
  rhythm: Rhythm
  lateGraceMinutes: number
}

export const RHYTHM_LIMITS = { countMax: 10, graceMaxMinutes: 60 } as const

/** The types held per group rather than by the branch. */
export const GROUP_RHYTHM_TYPES: readonly MeetingType[] = ['group_meeting']

/** 三会一课 as the campaign documents set it (issue 14): what a branch gets until it sets its own. */
export const DEFAULT_RHYTHM: Rhythm = {
  branch_assembly: { period: 'quarter', count: 1 },
  committee: { period: 'month', count: 1 },
  group_meeting: { period: 'month', count: 1 },
  party_lecture: { period: 'quarter', count: 1 },
  theme_day: { period: 'month', count: 1 },
  life_meeting: { period: 'year', count: 1 },
}

export const DEFAULT_RHYTHM_SETTINGS: RhythmSettings = {
  rhythm: DEFAULT_RHYTHM,
  lateGraceMinutes: CHECKIN.lateAfterMs / 60_000,
}

/** Settings as stored, completed with the defaults for anything missing or out of range (an older or hand-edited branch row). */
export function normalizeRhythmSettings(raw: unknown): RhythmSettings {
  const src = (raw && typeof raw === 'object' ? raw : {}) as { rhythm?: Partial<Record<string, Partial<RhythmRule>>>, lateGraceMinutes?: unknown }
  const rhythm = {} as Rhythm
  for (const type of MEETING_TYPES) {
    const r = src.rhythm?.[type]
    const ok = r && RHYTHM_PERIODS.includes(r.period as RhythmPeriod) && Number.isInteger(r.count) && r.count! >= 0 && r.count! <= RHYTHM_LIMITS.countMax
    rhythm[type] = ok ? { period: r.period as RhythmPeriod, count: r.count! } : DEFAULT_RHYTHM[type]
  }
  const g = src.lateGraceMinutes
  const lateGraceMinutes = typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= RHYTHM_LIMITS.graceMaxMinutes ? g : DEFAULT_RHYTHM_SETTINGS.lateGraceMinutes
  return { rhythm, lateGraceMinutes }
}

/** 迟到 by the branch's grace: arrival (the window start of the code scanned) after start + grace. */
export function isLate(startsAt: string, arrivedAt: string | null, graceMinutes: number): boolean {
  return arrivedLate({ startsAt }, arrivedAt, graceMinutes * 60_000)
}

/** Whole minutes after the start (rounded up: 5 min 1 s late reads 6), or null when not late. */
export function minutesLate(startsAt: string, arrivedAt: string | null, graceMinutes: number): number | null {
  return isLate(startsAt, arrivedAt, graceMinutes) ? Math.ceil((Date.parse(arrivedAt!) - Date.parse(startsAt)) / 60_000) : null
}

export interface RhythmMeeting {
  id: string
  type: MeetingType
  groupId: string | null
  startsAt: string
  status: MeetingStatus
}

export interface RhythmAttendance {
  meetingId: string
  memberId: string
  status: AttendanceStatus
  /** When the code the member scanned was shown (window start); null for a check-in without a scan. */
  arrivedAt: string | null
}

export interface RhythmMember {
  id: string
  groupId: string | null
  /** When the member joined the branch (ISO date or date-time); rows from before it are ignored. */
  since: string | null
}

export interface RhythmInput {
  year: number
  /** The server's clock: which periods are over. */
  now: Date
  settings: RhythmSettings
  /** The branch's groups (ids). */
  groups: readonly string[]
  meetings: readonly RhythmMeeting[]
  attendance: readonly RhythmAttendance[]
  members: readonly RhythmMember[]
}

/** held: met the count; missed: over without it; open: under way, not yet met; future: not begun; none: nothing required. */
export type PeriodState = 'held' | 'missed' | 'open' | 'future' | 'none'

export interface PeriodCell {
  /** 1–12 for a month, 1–4 for a quarter, 1 for the year. */
  index: number
  from: string
  to: string
  held: number
  /** Scheduled, not yet closed. */
  planned: number
  state: PeriodState
}

export interface TypeRhythm {
  type: MeetingType
  period: RhythmPeriod
  required: number
  periods: PeriodCell[]
  missed: number
}

export interface GroupRhythm {
  groupId: string
  period: RhythmPeriod
  required: number
  periods: PeriodCell[]
  missed: number
  /** Missed at least one period of its 党小组会. */
  flagged: boolean
}

export interface MeetingAttendanceFigures {
  meetingId: string
  type: MeetingType
  groupId: string | null
  startsAt: string
  /** 应到 (null for 支委会), 实到, 请假, 缺席, 迟到. */
  expected: number | null
  present: number
  leave: number
  absent: number
  late: number
  /** present / expected; null without an 应到. */
  rate: number | null
}

export interface MemberAttendanceFigures {
  memberId: string
  groupId: string | null
  expected: number
  present: number
  leave: number
  absent: number
  late: number
  rate: number | null
}

export interface RhythmReport {
  year: number
  /** Today in China time (YYYY-MM-DD): periods after it are future. */
  today: string
  settings: RhythmSettings
  /** The branch's types, in MEETING_TYPES order (党小组会 is in `groups`). */
  types: TypeRhythm[]
  groups: GroupRhythm[]
  /** Closed meetings of the year, oldest first. */
  meetings: MeetingAttendanceFigures[]
  members: MemberAttendanceFigures[]
  /** Types with a missed period, and groups flagged: the counts an overview shows. */
  missedTypes: number
  flaggedGroups: number
}

const PERIOD_COUNT: Record<RhythmPeriod, number> = { month: 12, quarter: 4, year: 1 }
const rate = (present: number, expected: number | null) => expected ? present / expected : null

/** The index of the period (month, quarter or 1) a China-time date falls in. */
function periodIndex(period: RhythmPeriod, date: string): number {
  const month = Number(date.slice(5, 7))
  return period === 'month' ? month : period === 'quarter' ? Math.ceil(month / 3) : 1
}

function periodRow(year: number, today: string, rule: RhythmRule, meetings: readonly RhythmMeeting[]): PeriodCell[] {
  const cells: PeriodCell[] = Array.from({ length: PERIOD_COUNT[rule.period] }, (_, i) => {
    const { from, to } = periodBounds(rule.period, year, i + 1)
    return { index: i + 1, from, to, held: 0, planned: 0, state: 'future' as PeriodState }
  })
  for (const m of meetings) {
    const cell = cells[periodIndex(rule.period, localDate(new Date(m.startsAt))) - 1]
    if (!cell)
      continue
    if (m.status === 'closed')
      cell.held++
    else if (m.status === 'scheduled')
      cell.planned++
  }
  for (const c of cells)
    c.state = rule.count === 0 ? (c.held > 0 ? 'held' : 'none') : c.from > today ? 'future' : c.held >= rule.count ? 'held' : c.to < today ? 'missed' : 'open'
  return cells
}

const missedOf = (cells: PeriodCell[]) => cells.filter(c => c.state === 'missed').length

/** The year's 三会一课 execution of one branch, from its meetings, attendance and members. */
export function rhythmReport(input: RhythmInput): RhythmReport {
  const { year, settings } = input
  const today = localDate(input.now)
  const ofYear = input.meetings
    .filter(m => Number(localDate(new Date(m.startsAt)).slice(0, 4)) === year)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))

  const types: TypeRhythm[] = MEETING_TYPES.filter(t => !GROUP_RHYTHM_TYPES.includes(t)).map((type) => {
    const rule = settings.rhythm[type]
    const periods = periodRow(year, today, rule, ofYear.filter(m => m.type === type && m.groupId === null))
    return { type, period: rule.period, required: rule.count, periods, missed: missedOf(periods) }
  })
  const groupRule = settings.rhythm.group_meeting
  const groups: GroupRhythm[] = input.groups.map((groupId) => {
    const periods = periodRow(year, today, groupRule, ofYear.filter(m => GROUP_RHYTHM_TYPES.includes(m.type) && (m.groupId === groupId || m.groupId === null)))
    const missed = missedOf(periods)
    return { groupId, period: groupRule.period, required: groupRule.count, periods, missed, flagged: missed > 0 }
  })

  const closed = new Map(ofYear.filter(m => m.status === 'closed').map(m => [m.id, m]))
  // Each meeting's China-time day, once per meeting rather than once per attendance row.
  const dayOf = new Map([...closed.values()].map(m => [m.id, localDate(new Date(m.startsAt))]))
  const since = new Map(input.members.map(m => [m.id, m.since]))
  const counted = (a: RhythmAttendance, m: RhythmMeeting) => {
    const s = since.get(a.memberId)
    // `since` may be a date (YYYY-MM-DD, China time) or a timestamp: compare like with like.
    return !s || (s.length === 10 ? dayOf.get(m.id)! >= s : m.startsAt >= s)
  }
  interface Tally { expected: number, present: number, leave: number, absent: number, late: number }
  const zero = (): Tally => ({ expected: 0, present: 0, leave: 0, absent: 0, late: 0 })
  const perMeeting = new Map([...closed.keys()].map(id => [id, zero()]))
  const perMember = new Map(input.members.map(m => [m.id, zero()]))
  for (const a of input.attendance) {
    const m = closed.get(a.meetingId)
    if (!m || !counted(a, m))
      continue
    const present = PRESENT_STATUSES.includes(a.status)
    const kind = present ? 'present' : a.status === 'leave' ? 'leave' : a.status === 'absent' ? 'absent' : null
    if (!kind)
      continue
    const late = present && isLate(m.startsAt, a.arrivedAt, settings.lateGraceMinutes)
    const tallies = [perMeeting.get(m.id)!]
    const member = perMember.get(a.memberId)
    if (member && m.type !== 'committee')
      tallies.push(member)
    for (const t of tallies) {
      t.expected++
      t[kind]++
      if (late)
        t.late++
    }
  }

  const meetings: MeetingAttendanceFigures[] = [...closed.values()].map((m) => {
    const t = perMeeting.get(m.id)!
    const expected = m.type === 'committee' ? null : t.expected
    return { meetingId: m.id, type: m.type, groupId: m.groupId, startsAt: m.startsAt, ...t, expected, rate: rate(t.present, expected) }
  })
  const members: MemberAttendanceFigures[] = input.members.map((m) => {
    const t = perMember.get(m.id)!
    return { memberId: m.id, groupId: m.groupId, ...t, rate: rate(t.present, t.expected) }
  })
  return {
    year,
    today,
    settings,
    types,
    groups,
    meetings,
    members,
    missedTypes: types.filter(t => t.missed > 0).length,
    flaggedGroups: groups.filter(g => g.flagged).length,
  }
}

/** What an upper organization's overview shows of a branch's 三会一课: counts only, nobody's name. */
export interface RhythmSummary {
  /** Closed meetings of the year. */
  meetingsHeld: number
  missedTypes: number
  flaggedGroups: number
  /** 实到 over 应到 across the year's closed meetings with an 应到, whole percent; null before any. */
  attendanceRate: number | null
  late: number
}

export function rhythmSummary(report: RhythmReport): RhythmSummary {
  let present = 0
  let expected = 0
  let late = 0
  for (const m of report.meetings) {
    if (m.expected !== null) {
      present += m.present
      expected += m.expected
    }
    late += m.late
  }
  return {
    meetingsHeld: report.meetings.length,
    missedTypes: report.missedTypes,
    flaggedGroups: report.flaggedGroups,
    attendanceRate: expected ? Math.round((present * 100) / expected) : null,
    late,
  }
}
