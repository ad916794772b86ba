import type { GroupReviewDetail, GroupReviewSummary } from '#shared/reviews/group-schemas'
import { get, post } from '../../api/client'

/** The 五个好 review's online calls, reached by components only through the groupReviews store. */
export const groupReviewsApi = {
  list: async () => (await get<{ reviews: GroupReviewSummary[] }>('/group-reviews')).reviews,
  one: (id: string) => get<GroupReviewDetail>(`/group-reviews/${id}`),
  create: (period: string) => post<GroupReviewDetail>('/group-reviews', { period }),
  invite: (id: string, memberId: string) => post<{ ok: true }>(`/group-reviews/${id}/raters`, { memberId }),
  close: (id: string) => post<GroupReviewDetail>(`/group-reviews/${id}/close`),
  exportUrl: (id: string) => `/api/group-reviews/${id}/export.xlsx`,
}
