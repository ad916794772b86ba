import type { Member } from '#shared/schemas/org'
import { comparePeople } from '#shared/org/order'
import { TITLE_PRESETS } from '../../constants'

/** The group filter's value for members outside any group. */
export const NO_GROUP = '-'

/** Members matching the search (name, login or phone) and group filter; active ones first, then by group (第一, 第二 …) and pinyin. */
export function filterMembers(members: Member[], search: string, groupId: string): Member[] {
  const q = search.trim().toLowerCase()
  return members
    .filter(m => !groupId || (groupId === NO_GROUP ? m.groupId === null : m.groupId === groupId))
    .filter(m => !q || m.name.toLowerCase().includes(q) || m.login.toLowerCase().includes(q) || (m.phone ?? '').includes(q))
    .sort((a, b) => Number(b.active) - Number(a.active) || comparePeople(a, b))
}

/** Splits a member's titles into the preset ticks and the rest (shown as text, comma-separated). */
export function splitTitles(titles: string[]): { presets: string[], other: string } {
  const presets = titles.filter(t => (TITLE_PRESETS as readonly string[]).includes(t))
  const other = titles.filter(t => !(TITLE_PRESETS as readonly string[]).includes(t)).join('，')
  return { presets, other }
}
