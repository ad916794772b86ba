import type { ReviewDetail, ReviewResult, ReviewResults, ReviewSession } from '#shared/reviews/schemas'
import { get } from '../../api/client'

/**
 * The online reads of the 讲评 store (src/app/stores/reviews.ts). Every write — creating a
 * session, moving it on, a 陈述, a ballot — goes through the outbox as an op instead.
 */
export const reviewsApi = {
  list: () => get<ReviewSession[]>('/reviews'),
  detail: (id: string) => get<ReviewDetail>(`/reviews/${id}`),
  results: (id: string) => get<ReviewResults>(`/reviews/${id}/results`),
  myResult: (id: string) => get<ReviewResult>(`/reviews/${id}/my-result`),
  /** Same origin, with the session cookie: the browser downloads it as a file. */
  xlsxUrl: (id: string) => `/api/reviews/${id}/results.xlsx`,
}
