import type { EvaluateBody, EvaluateResponse, Pledge } from '#shared/pledges/schemas'
import type { BranchDetail, BranchSetupLink, Overview } from '#shared/schemas/upper'
import type { AssessmentDetail, AssessmentList, AssessmentRatingBody, AssessmentSummary, BranchRating, MyBranchAssessments } from '#shared/upper/assessment-schemas'
import { get, post } from '../../api/client'

/** The upper organization's online calls, reached by components only through the upper store. */
export const upperApi = {
  overview: (year?: number) => get<Overview>(`/upper/overview${year ? `?year=${year}` : ''}`),
  branch: (id: string, year?: number) => get<BranchDetail>(`/upper/branches/${id}${year ? `?year=${year}` : ''}`),
  createBranch: (name: string) => post<BranchSetupLink>('/upper/branches', { name }),
  newLink: (id: string) => post<BranchSetupLink>(`/upper/branches/${id}/setup-link`),
  // 支部争先 (issue 14 point 4)
  assessments: () => get<AssessmentList>('/upper/assessments'),
  createAssessment: (period: string) => post<AssessmentSummary>('/upper/assessments', { period }),
  assessment: (id: string) => get<AssessmentDetail>(`/upper/assessments/${id}`),
  rate: (id: string, branchId: string, body: AssessmentRatingBody) => post<BranchRating>(`/upper/assessments/${id}/branches/${branchId}`, body),
  close: (id: string) => post<AssessmentSummary>(`/upper/assessments/${id}/close`),
  // 评诺 of a branch's pledges to the organization
  branchPledges: (id: string) => get<Pledge[]>(`/upper/branches/${id}/pledges`),
  evaluate: (id: string, pledgeId: string, body: EvaluateBody) => post<EvaluateResponse>(`/upper/branches/${id}/pledges/${pledgeId}/evaluate`, body),
  /** The branch admin's side: the upper organization's closed ratings of their own branch. */
  mine: () => get<MyBranchAssessments>('/branch-assessments'),
}
