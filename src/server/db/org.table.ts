import type { Generated } from 'kysely'

/** Above branches (e.g. 机关工委); read-only across its branches. */
export interface UpperOrgTable {
  id: string
  name: string
  created_at: string
}

/**
 * 上级党组织管理员: an account of the upper organization, never a member (see the migration
 * 2026_12_03_1800_upper_org for why it is a table of its own). Its login is unique across members too.
 */
export interface UpperOrgAdminTable {
  id: string
  upper_org_id: string
  name: string
  login: string
  password_hash: string
  active: Generated<number>
  created_at: string
}

export interface BranchTable {
  id: string
  name: string
  upper_org_id: string | null
  /** JSON: branch settings such as { rankingPublic: false }. */
  settings: string
  created_at: string
}

/** 党小组. `group` is an SQL keyword, hence the table name. */
export interface PartyGroupTable {
  id: string
  branch_id: string
  name: string
  created_at: string
  /** Removing a group keeps its history; members must be moved out first. */
  removed_at: string | null
}

export interface MemberTable {
  id: string
  branch_id: string
  group_id: string | null
  name: string
  login: string
  phone: string | null
  role: 'member' | 'group_leader' | 'branch_admin'
  /** JSON array of titles such as 组长、办公室主任. */
  titles: string
  password_hash: string | null
  /** 1 active, 0 deactivated; history is never deleted. */
  active: number
  /** Seq of the change that last altered what this member may pull (group, role); 0 if never. */
  scope_seq: Generated<number>
  /** 入党日期 (YYYY-MM-DD) where the roster import gave it. */
  joined_on: Generated<string | null>
  created_at: string
  updated_at: string
}

export interface AuditLogTable {
  id: string
  branch_id: string | null
  actor_id: string | null
  action: string
  entity: string
  entity_id: string | null
  data: string
  created_at: string
}
