import type { AppraisalResults, MyAppraisal } from '#shared/appraisal/schemas'
import type { YearRecords } from '#shared/records/schemas'
import type { Static } from 'typebox'
import { get } from '../../api/client'

/**
 * The online reads of the 民主评议 store (src/app/stores/appraisal.ts). Every write — opening the
 * year, a step, a 个人总结, a ballot, a final grade — goes through the outbox as an op instead.
 */
export const appraisalApi = {
  year: (year: number) => get<Static<typeof MyAppraisal>>(`/appraisals/year/${year}`),
  results: (id: string) => get<Static<typeof AppraisalResults>>(`/appraisals/${id}/results`),
  /** The member's own 年度积分与表现记录 (scope member is the records API's default). */
  myRecord: (year: number) => get<Static<typeof YearRecords>>(`/records?year=${year}`),
}
