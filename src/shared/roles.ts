/** A member's role decides what they may see and do; titles (组长、办公室主任…) are only labels. */
export const ROLES = ['member', 'group_leader', 'branch_admin'] as const
export type Role = (typeof ROLES)[number]

const RANK: Record<Role, number> = { member: 0, group_leader: 1, branch_admin: 2 }

/** True when `role` is at least `needed` (a branch admin can do what a group leader can). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed]
}

export function isOrganizer(role: Role): boolean {
  return role !== 'member'
}
