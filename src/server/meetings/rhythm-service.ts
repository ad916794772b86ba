import type { RhythmReport, RhythmSettings } from '#shared/meetings/rhythm'
import type { RhythmView } from '#shared/meetings/rhythm-schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { PRESENT_STATUSES } from '#shared/meetings/constants'
import { normalizeRhythmSettings, rhythmReport } from '#shared/meetings/rhythm'
import { windowStartMs } from '#shared/meetings/token'
import { compareGroups, compareNames } from '#shared/org/order'
import { localDate } from '#shared/points/periods'
import { writeAudit } from '../audit/writer'
import { branchSettings, RHYTHM_SETTINGS_KEY, rhythmAttendance, rhythmGroups, rhythmMeetings, rhythmMembers, writeBranchSetting } from './rhythm-repository'

type Conn = Db | Transaction<Database>

/** The branch's rhythm and 迟到 grace, the defaults filling whatever it never set. */
export async function rhythmSettings(db: Conn, branchId: string): Promise<RhythmSettings> {
  return normalizeRhythmSettings((await branchSettings(db, branchId))[RHYTHM_SETTINGS_KEY])
}

/** Saves the branch admin's rhythm (already checked by the route's schema) beside the branch's other settings. */
export async function saveRhythmSettings(trx: Transaction<Database>, actor: Actor, settings: RhythmSettings): Promise<RhythmSettings> {
  const clean = normalizeRhythmSettings(settings)
  await writeBranchSetting(trx, actor.branchId, RHYTHM_SETTINGS_KEY, clean)
  await writeAudit(trx, actor, { action: 'meeting.rhythm', entity: 'branch', entityId: actor.branchId, data: clean })
  return clean
}

/** The year the report shows when none is asked for: this one, in China time. */
export const currentYear = (now = new Date()) => Number(localDate(now).slice(0, 4))

/**
 * 三会一课 execution of one branch for a calendar year (China time): per type and per group the
 * meetings held against the branch's rhythm, missed periods and flags, attendance rate and 迟到
 * per member and per meeting (#shared/meetings/rhythm has the rules). Ids only, no names: an
 * upper organization's overview may call it for each of its branches and show the counts, and
 * `now` (the server clock by default) decides which periods are over.
 */
export async function branchRhythm(db: Conn, branchId: string, year: number, now: Date = new Date()): Promise<RhythmReport> {
  const [settings, groups, meetings, attendance, members] = await Promise.all([
    rhythmSettings(db, branchId),
    rhythmGroups(db, branchId),
    rhythmMeetings(db, branchId, year),
    rhythmAttendance(db, branchId, year),
    rhythmMembers(db, branchId),
  ])
  return rhythmReport({
    year,
    now,
    settings,
    // 第一、第二…党小组 in the Chinese order, then the branch's own (creation).
    groups: [...groups].sort((a, b) => compareGroups({ name: a.name, order: a.created_at }, { name: b.name, order: b.created_at })).map(g => g.id),
    meetings: meetings.map(m => ({ id: m.id, type: m.type, groupId: m.group_id, startsAt: m.starts_at, status: m.status })),
    attendance: attendance.map(a => ({
      meetingId: a.meeting_id,
      memberId: a.member_id,
      status: a.status,
      // When the code scanned was on the screen; a check-in by hand has no such time (never 迟到).
      arrivedAt: PRESENT_STATUSES.includes(a.status) && a.token_window !== null ? new Date(windowStartMs(Number(a.token_window))).toISOString() : null,
    })),
    // Joined the branch: the member row's creation, as a China-time date (a meeting that day counts).
    members: members.map(m => ({ id: m.id, groupId: m.group_id, since: localDate(new Date(m.created_at)) })),
  })
}

/**
 * The 三会一课 执行情况 screen's data: the branch admin sees the whole branch; a group leader their
 * own group (its row, its members, its and the branch's meetings) beside the branch's types,
 * which every member's meeting list shows anyway. Names are added here, beside the report.
 */
export async function rhythmView(db: Db, actor: Actor, year: number): Promise<RhythmView> {
  const [report, groups, meetings, members] = await Promise.all([
    branchRhythm(db, actor.branchId, year),
    rhythmGroups(db, actor.branchId),
    rhythmMeetings(db, actor.branchId, year),
    rhythmMembers(db, actor.branchId),
  ])
  const whole = actor.role === 'branch_admin'
  const inScope = (groupId: string | null) => whole || (actor.groupId !== null && groupId === actor.groupId)
  const scoped: RhythmReport = whole
    ? report
    : {
        ...report,
        groups: report.groups.filter(g => inScope(g.groupId)),
        meetings: report.meetings.filter(m => m.groupId === null || inScope(m.groupId)),
        members: report.members.filter(m => inScope(m.groupId)),
        flaggedGroups: report.groups.filter(g => inScope(g.groupId) && g.flagged).length,
      }
  const names = new Map(members.map(m => [m.id, m.name]))
  const memberIds = new Set(scoped.members.map(m => m.memberId))
  const meetingIds = new Set(scoped.meetings.map(m => m.meetingId))
  return {
    scope: whole ? 'branch' : 'group',
    report: { ...scoped, members: [...scoped.members].sort((a, b) => compareNames(names.get(a.memberId) ?? '', names.get(b.memberId) ?? '')) },
    groups: scoped.groups.map(g => ({ id: g.groupId, name: groups.find(x => x.id === g.groupId)?.name ?? '' })),
    meetings: meetings.filter(m => meetingIds.has(m.id)).map(m => ({ id: m.id, topic: m.topic, status: m.status })),
    members: members.filter(m => memberIds.has(m.id)).map(m => ({ id: m.id, name: m.name })),
  }
}
