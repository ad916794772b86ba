import type { AttendanceSummary, Meeting, MeetingBody, MeetingList, MeetingListItem, MeetingScreen, MinutesBody } from '#shared/meetings/schemas'
import { api, get, patch, post, uploadRaw } from '../../api/client'

/**
 * The online calls of the meetings store (src/app/stores/meetings.ts). Creating, closing and
 * attendance decisions go through the outbox as ops instead (meeting.create, meeting.close,
 * meeting.attendance), as do a member's check-in and leave.
 */
export const meetingsApi = {
  list: (view: 'upcoming' | 'all') => get<MeetingList>(`/meetings?view=${view}`),
  one: (id: string) => get<MeetingListItem>(`/meetings/${id}`),
  update: (id: string, body: MeetingBody) => patch<Meeting>(`/meetings/${id}`, body),
  cancel: (id: string) => post<Meeting>(`/meetings/${id}/cancel`),
  screen: (id: string) => get<MeetingScreen>(`/meetings/${id}/screen`),
  attendance: (id: string) => get<AttendanceSummary>(`/meetings/${id}/attendance`),
  minutes: (id: string, body: MinutesBody) => api<Meeting>('PUT', `/meetings/${id}/minutes`, body),
  /** Uploading a photo again after a failure is harmless: the server answers the same id with 200. */
  uploadPhoto: (p: { id: string, mime: string, bytes: ArrayBuffer }) => uploadRaw(`/photos/${p.id}`, p.mime, p.bytes),
}
