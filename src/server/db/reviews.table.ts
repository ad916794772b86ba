import type { GuestRelation, RaterKind, ReviewStatus } from '../../shared/reviews/constants'

/** A 讲评 session (issue 12): one group's (or the branch's) review for a period, tied to its 组织生活会. */
export interface ReviewSessionTable {
  id: string
  branch_id: string
  /** null: a branch-wide session held by the branch admin. */
  group_id: string | null
  /** The 组织生活会 whose check-in is the session's attendance. */
  meeting_id: string | null
  title: string
  /** The period's key, e.g. 2026-H1 (see src/shared/reviews/constants.ts reviewPeriodBounds). */
  period: string
  period_from: string
  period_to: string
  status: ReviewStatus
  /** How many guests may rate; 0 = no guest link. */
  guest_cap: number
  /** The guest link's short code; null until the organizer makes one. */
  guest_code: string | null
  created_by: string
  opened_at: string | null
  rating_opened_at: string | null
  closed_at: string | null
  closed_by: string | null
  created_at: string
  updated_at: string
}

/** A member's 陈述 for a session: how I took part, kept my pledges, what I will improve. */
export interface ReviewStatementTable {
  id: string
  session_id: string
  branch_id: string
  member_id: string
  participation: string
  pledges: string
  improvement: string
  created_at: string
  updated_at: string
}

/** A guest who rated through the session's link, without an account. */
export interface ReviewGuestTable {
  id: string
  session_id: string
  branch_id: string
  device_hash: string
  name: string
  relation: GuestRelation
  created_at: string
}

/** One rater's ballot for one session; a member's can be changed until rating closes. */
export interface ReviewBallotTable {
  id: string
  session_id: string
  branch_id: string
  rater_kind: RaterKind
  rater_member_id: string | null
  guest_id: string | null
  created_at: string
  updated_at: string
}

/** One member rated on one ballot: a score 4/3/2/1 on each 五带头 dimension. */
export interface ReviewRatingTable {
  ballot_id: string
  session_id: string
  branch_id: string
  ratee_id: string
  rater_kind: RaterKind
  study: number
  excel: number
  serve: number
  discipline: number
  uphold: number
  comment: string
  comment_status: 'approved' | 'pending' | 'rejected'
}
