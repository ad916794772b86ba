import type { BulkInviteResult, RosterImportResult, RosterPreview } from '#shared/org/roster'
import type { Group, Invite, Member, MemberCreateBody, MemberUpdateBody } from '#shared/schemas/org'
import { ROSTER } from '#shared/org/roster'
import { api, del, get, patch, post } from './client'

/** The roster file as the raw body: the server reads the bytes, whatever the browser calls them. */
const rosterBody = (file: Blob): RequestInit => ({ body: file, headers: { 'content-type': ROSTER.mime } })

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
  invites: (memberIds: string[]) => post<BulkInviteResult>('/members/invites', { memberIds }),

  /** 名册导入: the template is a plain link (GET, the session cookie); preview and import send the file. */
  rosterTemplateUrl: '/api/members/roster/template',
  rosterPreview: (file: Blob) => api<RosterPreview>('POST', '/members/roster/preview', undefined, rosterBody(file)),
  rosterImport: (file: Blob) => api<RosterImportResult>('POST', '/members/roster/import', undefined, rosterBody(file)),
}
