import type { AttendanceAction, AttendanceSummary, CloseResult, Meeting, MeetingBody, MeetingList, MeetingListItem, MeetingScreen } from '#shared/meetings/schemas'
import { get, patch, post } from '../../api/client'
import { router } from '../../router'

/** The organizer's (online) calls; a member's check-in and leave go through the outbox instead. */
export const meetingsApi = {
  list: (view: 'upcoming' | 'all') => get<MeetingList>(`/meetings?view=${view}`),
  one: (id: string) => get<MeetingListItem>(`/meetings/${id}`),
  create: (body: MeetingBody) => post<Meeting>('/meetings', body),
  update: (id: string, body: MeetingBody) => patch<Meeting>(`/meetings/${id}`, body),
  cancel: (id: string) => post<Meeting>(`/meetings/${id}/cancel`),
  screen: (id: string) => get<MeetingScreen>(`/meetings/${id}/screen`),
  attendance: (id: string) => get<AttendanceSummary>(`/meetings/${id}/attendance`),
  decide: (id: string, memberId: string, body: AttendanceAction) => post<AttendanceSummary>(`/meetings/${id}/attendance/${memberId}`, body),
  close: (id: string) => post<CloseResult>(`/meetings/${id}/close`),
}

/** "11月28日 14:30" in the phone's zone. */
export function formatWhen(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}/${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Navigates to one of the meeting routes that take the meeting id. */
export function goMeeting(name: 'meeting' | 'meeting-edit' | 'meeting-screen', id: string, replace = false) {
  return router.push({ name, params: { id }, replace })
}
