import type { Role } from '../roles'
import type { AttendanceStatus, MeetingType } from './constants'
import { PRESENT_STATUSES } from './constants'

/**
 * The meeting rules both sides apply, written once (issue 11, "one truth"): who may see a
 * meeting, who organizes it, and what closing it records for each member. The server's
 * repository, list and close use these; the pull filter (src/server/sync/pull.ts, SQL over the
 * change log) must agree with meetingVisibleTo, which tests/server/meetings/visibility.test.ts
 * checks on random meetings and viewers; the phone uses them to list the organizer's meetings
 * offline and to show what closing will record.
 */

/** What the visibility rules read of a meeting. */
export interface MeetingScope {
  branchId: string
  /** null: the whole branch attends; otherwise the one group. */
  groupId: string | null
  createdBy: string
}

/** Who looks: a member with their branch, group and role (the session's, never the client's word). */
export interface MeetingViewer {
  id: string
  branchId: string
  groupId: string | null
  role: Role
}

/** Whether a member is expected at the meeting: the whole branch, or the meeting's group. */
export function expectedAt(member: { branchId: string, groupId: string | null }, m: Pick<MeetingScope, 'branchId' | 'groupId'>): boolean {
  return member.branchId === m.branchId && (m.groupId === null || m.groupId === member.groupId)
}

/**
 * Who runs a meeting: the branch admins, the leader of the meeting's group, and whoever created
 * it. Only they get its key and decide its attendance.
 */
export function mayOrganize(viewer: MeetingViewer, m: MeetingScope): boolean {
  if (viewer.branchId !== m.branchId)
    return false
  if (viewer.role === 'branch_admin' || m.createdBy === viewer.id)
    return true
  return viewer.role === 'group_leader' && m.groupId !== null && m.groupId === viewer.groupId
}

/**
 * THE visibility rule: a member sees a meeting they are expected at or organize. Another
 * branch's meeting, and another group's meeting to a plain member or another group's leader,
 * are as good as missing.
 */
export function meetingVisibleTo(m: MeetingScope, viewer: MeetingViewer): boolean {
  return expectedAt(viewer, m) || mayOrganize(viewer, m)
}

/**
 * What closing decides for one member:
 * present — checked in (fresh scan or code, or by an organizer), or the organizer who closes it;
 * late — a scan that reached the server late and an organizer confirmed: attended, scored as present;
 * leave — 请假 (asked by the member or recorded by an organizer): neither points nor deduction;
 * absent — expected, no attendance (or a late scan an organizer refused): 无故缺席.
 * null — nothing to score (a refused scan of someone not expected).
 */
export type CloseOutcome = 'present' | 'late' | 'leave' | 'absent'

/** The shipped rule an outcome counts under, or null when none scores it. */
export function outcomeRuleKey(type: MeetingType, outcome: CloseOutcome | null): string | null {
  // 支委会 is the committee's working meeting, which no rule of the campaign scores.
  if (type === 'committee' || outcome === null || outcome === 'leave')
    return null
  if (outcome === 'absent')
    return 'absent'
  // 参加组织生活会/讲评会 for 专题组织生活会; 参加党员大会/党小组会/党课/主题党日 for the others.
  return type === 'life_meeting' ? 'life-meeting' : 'meeting'
}

export interface CloseInput {
  type: MeetingType
  /** The active members expected at the meeting (its branch, or its group). */
  expected: readonly string[]
  /** The attendance recorded so far, anyone's (also someone no longer expected). */
  rows: readonly { memberId: string, status: AttendanceStatus, flag?: string | null }[]
  /** Who closes it: they ran it, so they attended (unless on leave), though they never scanned. */
  closerId: string
  /** The points of a rule by key in this branch; null when it has no such rule or switched it off. Omitted: points unknown. */
  rulePoints?: (ruleKey: string) => number | null
}

export interface MemberClose {
  memberId: string
  /** The attendance status after closing. */
  status: AttendanceStatus
  /** A row closing writes: `organizer` (the closer, present), `absent`; null when the row stays as it is. */
  writes: 'organizer' | 'absent' | null
  outcome: CloseOutcome | null
  ruleKey: string | null
  /** By the branch's rule, before caps; null: no rule scores it (or points unknown). */
  points: number | null
}

export interface ClosePlan {
  members: MemberClose[]
  /** Late scans still waiting for an organizer: closing is refused while any wait. */
  pending: number
  counts: { present: number, leave: number, absent: number }
}

/**
 * What closing a meeting records, as a pure function of its attendance: the server's close writes
 * exactly this, and the organizer's phone shows it before they press 结束会议.
 */
export function planClose(input: CloseInput): ClosePlan {
  const byMember = new Map(input.rows.map(r => [r.memberId, r]))
  const members: MemberClose[] = []
  const decide = (memberId: string, status: AttendanceStatus, flag: string | null | undefined, writes: MemberClose['writes']) => {
    const outcome: CloseOutcome | null = PRESENT_STATUSES.includes(status)
      ? (status === 'verified' && flag ? 'late' : 'present')
      : status === 'absent' ? 'absent' : status === 'leave' ? 'leave' : null
    const ruleKey = outcomeRuleKey(input.type, outcome)
    members.push({ memberId, status, writes, outcome, ruleKey, points: ruleKey && input.rulePoints ? input.rulePoints(ruleKey) : null })
  }
  // 支委会 is attended by the committee only: nobody else is marked absent.
  const expected = input.type === 'committee' ? [] : input.expected
  const seen = new Set<string>()
  for (const memberId of expected) {
    if (seen.has(memberId))
      continue
    seen.add(memberId)
    const row = byMember.get(memberId)
    const unanswered = row === undefined || row.status === 'rejected'
    // Not every organizer counts as present: branch admins organize every meeting of the branch
    // and a creator may hand a meeting over, so only closing it proves being there.
    if (unanswered && memberId === input.closerId)
      decide(memberId, 'manual', null, 'organizer')
    else if (unanswered)
      decide(memberId, 'absent', null, 'absent')
    else
      decide(memberId, row.status, row.flag, null)
  }
  for (const row of input.rows) {
    if (!seen.has(row.memberId)) {
      seen.add(row.memberId)
      decide(row.memberId, row.status, row.flag, null)
    }
  }
  const statuses = members.map(m => m.status)
  return {
    members,
    pending: input.rows.filter(r => r.status === 'pending').length,
    counts: {
      present: statuses.filter(s => PRESENT_STATUSES.includes(s)).length,
      leave: statuses.filter(s => s === 'leave').length,
      absent: statuses.filter(s => s === 'absent').length,
    },
  }
}
