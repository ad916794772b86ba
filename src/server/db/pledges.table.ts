import type { Generated } from 'kysely'

/** A pledge (公开承诺) of a member, a group or the branch for a year or a campaign stage. */
export interface PledgeTable {
  id: string
  branch_id: string
  owner_kind: 'member' | 'group' | 'branch'
  /** The member who owns a member pledge; null for group and branch pledges. */
  member_id: string | null
  /** The owning group, or the member's group when the pledge was written (for filtering). */
  group_id: string | null
  year: number
  stage: string | null
  supervisor: string
  supervisor_contact: string
  status: 'draft' | 'submitted' | 'returned' | 'approved' | 'published'
  return_reason: string | null
  created_by: string
  submitted_at: string | null
  reviewed_by: string | null
  reviewed_at: string | null
  published_by: string | null
  published_at: string | null
  created_at: string
  updated_at: string
}

export interface PledgeItemTable {
  id: string
  pledge_id: string
  branch_id: string
  sort: number
  category: string
  duty: string
  target: string
  due_date: string
  /** The latest 践诺 record, copied here so lists need no join. */
  progress_status: 'not_started' | 'in_progress' | 'done'
  percent: number
  progress_note: string
  progress_at: string | null
  /** 评诺. */
  result: 'kept' | 'partial' | 'broken' | null
  result_comment: string
  excused: number
  /** What the evaluation asked the points ledger for. */
  points_rule_key: string | null
  points_amount: number | null
  evaluated_by: string | null
  evaluated_at: string | null
}

/** Every 践诺 record; its id is made on the phone. */
export interface PledgeProgressTable {
  id: string
  item_id: string
  pledge_id: string
  branch_id: string
  recorded_by: string
  status: 'not_started' | 'in_progress' | 'done'
  percent: number
  note: string
  client_time: string
  created_at: string
  /** JSON array of evidence photo ids, in the member's order. */
  photo_ids: Generated<string>
}

/** Public supervision feedback; shown on the board only once the branch approves it. */
export interface PledgeFeedbackTable {
  id: string
  branch_id: string
  pledge_id: string
  name: string
  text: string
  status: 'pending' | 'approved' | 'rejected'
  created_at: string
  moderated_by: string | null
  moderated_at: string | null
}

/** One public board per branch, reached by a random, stable slug. */
export interface PledgeBoardTable {
  branch_id: string
  slug: string
  created_at: string
}
