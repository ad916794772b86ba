import type { Roster, RosterMember } from './schema'
import { reactive } from 'vue'
import { getDb, plain } from '.'

export type { Roster, RosterMember } from './schema'

/** Names of the members in every saved roster on this phone, for lines that only carry an id (同步失败). */
const names = reactive(new Map<string, string>())
let namesRead: Promise<void> | null = null

function remember(roster: Roster): void {
  for (const m of roster.members)
    names.set(m.id, m.name)
}

/** The organizer's members as last fetched, or undefined when this phone never fetched them. */
export async function getRoster(owner: string): Promise<Roster | undefined> {
  const roster = await (await getDb()).get('rosters', owner)
  if (roster)
    remember(roster)
  return roster
}

/** Keeps only what the pickers show: a lost phone holds no logins or phone numbers of others. */
export async function putRoster(owner: string, members: RosterMember[]): Promise<Roster> {
  const roster: Roster = { owner, members: members.map(m => ({ id: m.id, name: m.name, groupId: m.groupId, groupName: m.groupName })), savedAt: new Date().toISOString() }
  await (await getDb()).put('rosters', plain(roster))
  remember(roster)
  return roster
}

/**
 * A member's name from the saved rosters, or '' while unknown. The first call reads the rosters
 * (once); the name then appears where it is shown, since the map is reactive.
 */
export function memberName(id: string): string {
  namesRead ??= Promise.resolve().then(getDb).then(db => db.getAll('rosters')).then(all => all.forEach(remember)).catch(() => {})
  return names.get(id) ?? ''
}
