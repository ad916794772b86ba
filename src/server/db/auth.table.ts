import type { Generated } from 'kysely'

export interface SessionTable {
  /** sha256 of the opaque token; the token itself is only in the member's cookie. */
  token_hash: string
  member_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

/** An upper-organization admin's session: the same cookie, a table of its own. */
export interface UpperSessionTable {
  token_hash: string
  admin_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

export interface InviteTable {
  token_hash: string
  member_id: string
  created_by: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface SetupTokenTable {
  token_hash: string
  /** The branch an upper admin made and this link sets up; null: the first-start link that creates one. */
  branch_id: Generated<string | null>
  created_at: string
  expires_at: string
  used_at: string | null
}

/** Fixed-window counters shared by every server instance (login, check-in attempts). */
export interface RateLimitTable {
  key: string
  window_start: number
  count: number
}

/** Failed logins per `login|address` key (see auth/rate-limit.ts); purgeable by last_failed_at. */
export interface LoginFailureTable {
  key: string
  failures: number
  /** ms since epoch of the latest failure. */
  last_failed_at: number
}
