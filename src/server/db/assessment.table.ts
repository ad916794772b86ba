/** 支部争先: an upper organization's assessment of its branches for a period. */
export interface BranchAssessmentTable {
  id: string
  upper_org_id: string
  title: string
  /** A review period: 2026-Y, 2026-H1, 2026-Q3 (the 讲评 periods). */
  period: string
  status: 'open' | 'closed'
  /** upper_org_admin.id */
  created_by: string
  created_at: string
  closed_by: string | null
  closed_at: string | null
}

/** The organization's one rating of one branch: JSON scores on the five 五个好 dimensions. */
export interface BranchAssessmentRatingTable {
  assessment_id: string
  branch_id: string
  scores: string
  comment: string
  rated_by: string
  updated_at: string
}
