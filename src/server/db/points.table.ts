import type { EntrySource } from '#shared/points/categories'
import type { Generated } from 'kysely'

/** A points rule's identity; its content lives in versions (an edit adds one, old entries keep theirs). */
export interface PointRuleTable {
  id: string
  branch_id: string
  /** The shipped default it was copied from (RULES.md), null for a branch's own rule. */
  key: string | null
  sort: number
  current_version_id: string
  version: number
  retired_at: string | null
  created_at: string
  updated_at: string
}

export interface PointRuleVersionTable {
  id: string
  rule_id: string
  version: number
  category: string
  name: string
  points: number
  /** JSON array of { key, label, points } tiers. */
  variants: string
  cap_points: number | null
  cap_period: string | null
  approval: string
  evidence: string
  self_log: number
  active: number
  veto: number
  created_by: string | null
  created_at: string
}

export interface PointEntryTable {
  id: string
  branch_id: string
  member_id: string
  rule_id: string | null
  rule_version_id: string | null
  category: string
  /** The rule's name when logged, or the organizer's reason for a free grant or deduction. */
  rule_name: string
  variant: string | null
  date: string
  year: number
  note: string
  points: number
  granted: number | null
  clipped: number
  status: 'pending' | 'approved' | 'returned' | 'revoked'
  stage: 'group' | 'branch' | null
  source: EntrySource
  revision: number
  group_approved_by: string | null
  group_approved_at: string | null
  reviewed_by: string | null
  reviewed_at: string | null
  return_code: string | null
  return_reason: string | null
  created_by: string
  created_at: string
  updated_at: string
  /** JSON array of evidence photo ids, in the member's order. */
  photo_ids: Generated<string>
}

/** Every step of an entry's life (created, resubmitted, approved at a level, returned, revoked). */
export interface PointEntryEventTable {
  id: string
  entry_id: string
  actor_id: string | null
  action: string
  data: string
  created_at: string
}

/** Append-only: a correction is a reversing row, never an update. */
export interface PointLedgerTable {
  id: string
  branch_id: string
  member_id: string
  year: number
  month: number
  date: string
  category: string
  rule_id: string | null
  entry_id: string | null
  kind: 'grant' | 'deduction' | 'reversal'
  /** Signed points that count. */
  amount: number
  /** What was asked for before a cap or the floor clipped it. */
  requested: number
  clipped: number
  reason: string
  reverses_id: string | null
  actor_id: string | null
  created_at: string
}

/**
 * A member's points of a year in one category: the sum of their ledger rows, kept by triggers on
 * point_ledger (migration 2026_12_03_1900_upper_figures). Read-only for the code.
 */
export interface PointTotalTable {
  branch_id: string
  year: number
  category: string
  member_id: string
  amount: number
}

export interface PointSettingsTable {
  branch_id: string
  base_score: number
  ranking: number
  opens_on: string | null
  updated_at: string
}

export interface PointYearBaseTable {
  branch_id: string
  year: number
  base_score: number
}

/** 一票否决: a recorded decision that sets a member's year total to 0. */
export interface PointVetoTable {
  id: string
  branch_id: string
  member_id: string
  year: number
  decision: string
  decided_on: string
  reason: string
  created_by: string | null
  created_at: string
  revoked_at: string | null
  revoked_by: string | null
  revoke_reason: string | null
}
