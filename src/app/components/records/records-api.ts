import type { RecordQuery, YearRecords } from '#shared/records/schemas'
import type { Static } from 'typebox'
import { ApiError, get, queryString } from '../../api/client'

export type RecordsQuery = Static<typeof RecordQuery>
export type Records = Static<typeof YearRecords>

/** The calls of the records store (src/app/stores/records.ts): the year's records and their .xlsx. */
export const recordsApi = {
  year: (q: RecordsQuery) => get<Records>(`/records${queryString(q)}`),
  /** The .xlsx as bytes (api() reads JSON); errors worded as api() words them. */
  async xlsx(q: RecordsQuery): Promise<Blob> {
    let res: Response
    try {
      res = await fetch(`/api/records/xlsx${queryString(q)}`, { credentials: 'same-origin' })
    }
    catch {
      throw new ApiError(0, 'NETWORK', '网络不可用 No network')
    }
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as { code?: string, message?: string, params?: Record<string, string | number> }
      throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText, err.params)
    }
    return res.blob()
  },
}
