import type { MemberAttendanceFigures } from '#shared/meetings/rhythm'
import type { RhythmView } from '#shared/meetings/rhythm-schemas'
import { compareNames } from '#shared/org/order'

/** One member's line of the 三会一课 attendance table, with the names the report leaves out. */
export interface MemberLine extends Omit<MemberAttendanceFigures, 'groupId'> {
  name: string
  groupName: string
}

export type MemberSort = 'name' | 'rate' | 'late'

/** The report's members with their names and groups, for the table. */
export function memberLines(view: RhythmView): MemberLine[] {
  const names = new Map(view.members.map(m => [m.id, m.name]))
  const groups = new Map(view.groups.map(g => [g.id, g.name]))
  return view.report.members.map(({ groupId, ...m }) => ({ ...m, name: names.get(m.memberId) ?? '', groupName: groupId ? groups.get(groupId) ?? '' : '' }))
}

/**
 * Sorted for the organizer: by name (zh-CN collation), by 出勤率 lowest first (who needs a word),
 * or by 迟到 most first; ties by name. A member with no meeting yet (no rate) comes last by rate.
 */
export function sortMembers(lines: readonly MemberLine[], by: MemberSort): MemberLine[] {
  const byName = (a: MemberLine, b: MemberLine) => compareNames(a.name, b.name)
  const key = (l: MemberLine) => by === 'rate' ? (l.rate ?? Number.POSITIVE_INFINITY) : -l.late
  return [...lines].sort((a, b) => by === 'name' ? byName(a, b) : (key(a) - key(b)) || byName(a, b))
}

/** 出勤率 as a whole percentage, or a dash when there was nothing to attend. */
export const percent = (rate: number | null) => rate === null ? '—' : `${Math.round(rate * 100)}%`
