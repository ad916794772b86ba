import type { AdjustmentBody, AuditPage, Entry, EntryPage, PointsSettings, Summary, Veto, VetoBody } from '#shared/points/schemas'
import type { Member } from '#shared/schemas/org'
import type { Static } from 'typebox'
import { api, get, post, queryString as qs } from '../../api/client'

export type AuditItem = Static<typeof AuditPage>['items'][number]

/** The organizer's points calls: online only, each refused by the server with a message a person can act on. */
export const organizerApi = {
  /** A group leader gets their own group whatever is asked; a branch admin the whole branch. */
  members: () => get<Member[]>('/members?active=true'),
  adjust: (body: AdjustmentBody) => post<Entry>('/points/approvals/adjustments', body),
  summary: (memberId: string, year: number) => get<Summary>(`/points/summary${qs({ memberId, year })}`),
  entries: (memberId: string, year: number, after?: string) => get<Static<typeof EntryPage>>(`/points/entries${qs({ memberId, year, after, limit: 20 })}`),
  revoke: (entryId: string, reason: string) => post<Entry>(`/points/entries/${entryId}/revoke`, { reason }),
  veto: (body: VetoBody) => post<Veto>('/points/vetoes', body),
  revokeVeto: (id: string, reason: string) => post<Veto>(`/points/vetoes/${id}/revoke`, { reason }),
  audit: (q: { memberId?: string, before?: string }) => get<Static<typeof AuditPage>>(`/points/audit${qs({ ...q, limit: 30 })}`),
  settings: () => get<PointsSettings>('/points/settings'),
  saveSettings: (s: PointsSettings) => api<PointsSettings>('PUT', '/points/settings', s),
}
