import type { BranchDetail, BranchSetupLink, Overview } from '#shared/schemas/upper'
import { get, post } from '../../api/client'

/** The upper organization's online calls, reached by components only through the upper store. */
export const upperApi = {
  overview: (year?: number) => get<Overview>(`/upper/overview${year ? `?year=${year}` : ''}`),
  branch: (id: string, year?: number) => get<BranchDetail>(`/upper/branches/${id}${year ? `?year=${year}` : ''}`),
  createBranch: (name: string) => post<BranchSetupLink>('/upper/branches', { name }),
  newLink: (id: string) => post<BranchSetupLink>(`/upper/branches/${id}/setup-link`),
}
