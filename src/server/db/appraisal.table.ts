import type { Generated } from 'kysely'
import type { AppraisalScope, AppraisalStatus, Grade } from '../../shared/appraisal/constants'
import type { NomineeStatus, RoundKind, RoundLevel, RoundStatus, TitleTarget } from '../../shared/commendations/constants'

/** The year's 民主评议党员 of a branch (issue 13). */
export interface AppraisalTable {
  id: string
  branch_id: string
  year: number
  status: AppraisalStatus
  scope: AppraisalScope
  starts_on: string
  ends_on: string
  excellent_num: number
  excellent_den: number
  created_by: string
  ballot_opened_at: string | null
  ballot_closed_at: string | null
  decided_at: string | null
  created_at: string
  updated_at: string
}

/** A member's 个人总结 (self-assessment). */
export interface AppraisalSummaryTable {
  id: string
  appraisal_id: string
  branch_id: string
  member_id: string
  text: string
  created_at: string
  updated_at: string
}

/** Who has voted — never what. */
export interface AppraisalVoterTable {
  appraisal_id: string
  member_id: string
}

/** One anonymous ballot until the ballot closes: found only by the hash of the voter's phone's secret. */
export interface AppraisalBallotTable {
  secret_hash: string
  appraisal_id: string
  branch_id: string
  /** JSON { memberId: grade }. */
  grades: string
}

/** Counts per member after closing, and the 支委会's final grade. */
export interface AppraisalResultTable {
  appraisal_id: string
  member_id: string
  branch_id: string
  excellent: number
  qualified: number
  basic: number
  unqualified: number
  final_grade: Grade | null
  /** Why the final grade differs from the ballot (required then). */
  reason: string
  decided_by: string | null
  decided_at: string | null
}

/** A commendation round (七一 / 十一 / 年终). */
export interface CommendationRoundTable {
  id: string
  branch_id: string
  kind: RoundKind
  year: number
  title: string
  status: RoundStatus
  /** JSON Record<ShortlistFactor, number>. */
  weights: string
  publicity_days: number
  /** RoundLevel: the 岗位业绩受表彰 tier an award grants. */
  level: Generated<RoundLevel>
  published_at: string | null
  decided_at: string | null
  created_by: string
  created_at: string
  updated_at: string
}

export interface CommendationTitleTable {
  id: string
  round_id: string
  branch_id: string
  name: string
  target: TitleTarget
  quota: number
  sort: number
}

export interface CommendationNomineeTable {
  id: string
  round_id: string
  title_id: string
  branch_id: string
  member_id: string | null
  group_id: string | null
  /** 事迹: the short citation. */
  citation: string
  status: NomineeStatus
  nominated_by: string
  /** The 岗位业绩受表彰 entry the award granted. */
  points_entry_id: string | null
  decided_by: string | null
  decided_at: string | null
  created_at: string
  updated_at: string
}

/** Public feedback on a nominee during 公示; shown to the 支委会 once approved, as for pledges. */
export interface CommendationFeedbackTable {
  id: string
  nominee_id: string
  round_id: string
  branch_id: string
  name: string
  text: string
  status: 'pending' | 'approved' | 'rejected'
  created_at: string
  moderated_by: string | null
  moderated_at: string | null
}
