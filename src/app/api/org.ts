import type { Group, Invite, Member, MemberCreateBody, MemberUpdateBody } from '#shared/schemas/org'
import { del, get, patch, post } from './client'

/** The organization routes (organizer screens only; members read their group through sync). */
export const orgApi = {
  groups: () => get<Group[]>('/groups'),
  createGroup: (name: string) => post<Group>('/groups', { name }),
  renameGroup: (id: string, name: string) => patch<Group>(`/groups/${id}`, { name }),
  removeGroup: (id: string) => del<{ ok: true }>(`/groups/${id}`),

  members: () => get<Member[]>('/members'),
  member: (id: string) => get<Member>(`/members/${id}`),
  createMember: (body: MemberCreateBody) => post<Member>('/members', body),
  updateMember: (id: string, body: MemberUpdateBody) => patch<Member>(`/members/${id}`, body),
  invite: (id: string) => post<Invite>(`/members/${id}/invite`),
}
