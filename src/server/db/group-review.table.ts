import type { GroupReviewStatus } from '../../shared/reviews/group-rules'

/** The branch's 五个好 review of its groups for one period (issue 12 item 8). */
export interface GroupReviewTable {
  id: string
  branch_id: string
  /** The period's key, e.g. 2026-H1 (reviewPeriodBounds). */
  period: string
  period_from: string
  period_to: string
  status: GroupReviewStatus
  created_by: string
  closed_at: string | null
  closed_by: string | null
  created_at: string
  updated_at: string
}

/** A 支委 member the branch admin named as a rater (branch admins rate without being named). */
export interface GroupReviewRaterTable {
  review_id: string
  member_id: string
  invited_by: string
  created_at: string
}

/** One rater's scores (4/3/2/1) for one group on the five 五个好 dimensions. */
export interface GroupReviewRatingTable {
  review_id: string
  branch_id: string
  rater_id: string
  group_id: string
  leadership: number
  members: number
  mechanism: number
  results: number
  masses: number
  comment: string
  updated_at: string
}
