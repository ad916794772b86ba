import type { GuestComment, GuestLink, GuestLinkBody } from '#shared/reviews/guest-schemas'
import { api, get, post } from './client'

/** The organizer's 讲评 guest routes: online calls, like the pledge board's link and feedback moderation. */
export const reviewGuestsApi = {
  link: (sessionId: string) => get<GuestLink>(`/reviews/${sessionId}/guest-link`),
  setLink: (sessionId: string, body: GuestLinkBody) => api<GuestLink>('PUT', `/reviews/${sessionId}/guest-link`, body),
  comments: (sessionId: string) => get<GuestComment[]>(`/reviews/${sessionId}/guest-comments`),
  moderate: (sessionId: string, c: Pick<GuestComment, 'ballotId' | 'rateeId'>, decision: 'approve' | 'reject') =>
    post<{ status: 'approved' | 'rejected' }>(`/reviews/${sessionId}/guest-comments/${c.ballotId}/${c.rateeId}/moderate`, { decision }),
}
