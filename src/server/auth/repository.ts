import type { Insertable, Transaction } from 'kysely'
import type { SessionTable, SetupTokenTable } from '../db/auth.table'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { sql } from 'kysely'

/* Logging in in SQL: credentials, sessions, setup links and the counters that slow down guessing.
   Tokens and addresses arrive here already hashed (util/ids.ts hashToken); none is stored in clear. */

type Trx = Transaction<Database>

// ── Credentials ──────────────────────────────────────────────────────────────────────────────

/** The account a login name belongs to, compared without case (logins are unique that way). */
export async function findCredentials(db: Db, login: string) {
  return db.selectFrom('member').select(['id', 'branch_id', 'password_hash', 'active']).where(eb => eb.fn('lower', ['login']), '=', login.toLowerCase()).executeTakeFirst()
}

export async function passwordHashOf(db: Db, memberId: string): Promise<string | null> {
  const row = await db.selectFrom('member').select('password_hash').where('id', '=', memberId).executeTakeFirst()
  return row?.password_hash ?? null
}

export async function setPasswordHash(trx: Trx | Db, memberId: string, hash: string, at: string): Promise<void> {
  await trx.updateTable('member').set({ password_hash: hash, updated_at: at }).where('id', '=', memberId).execute()
}

/** An active branch admin anywhere, or of one branch. */
export async function hasActiveBranchAdmin(db: Db, branchId?: string): Promise<boolean> {
  let q = db.selectFrom('member').select('id').where('role', '=', 'branch_admin').where('active', '=', 1)
  if (branchId)
    q = q.where('branch_id', '=', branchId)
  return Boolean(await q.limit(1).executeTakeFirst())
}

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────

export async function insertSession(db: Db, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('session').values(row).execute()
}

/** The active member a live session (unrevoked, unexpired at `now`) belongs to. */
export async function findSessionActor(db: Db, tokenHash: string, now: string): Promise<Actor | undefined> {
  const row = await db.selectFrom('session')
    .innerJoin('member', 'member.id', 'session.member_id')
    .select(['member.id', 'member.branch_id', 'member.group_id', 'member.role', 'member.name'])
    .where('session.token_hash', '=', tokenHash)
    .where('session.revoked_at', 'is', null)
    .where('session.expires_at', '>', now)
    .where('member.active', '=', 1)
    .executeTakeFirst()
  return row && { id: row.id, branchId: row.branch_id, groupId: row.group_id, role: row.role, name: row.name }
}

export async function revokeSession(db: Db, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('session').set({ revoked_at: at }).where('token_hash', '=', tokenHash).execute()
}

/** Ends every live session of the member but the one whose hash is `exceptHash`. */
export async function revokeMemberSessions(db: Db, memberId: string, at: string, exceptHash?: string): Promise<void> {
  let q = db.updateTable('session').set({ revoked_at: at }).where('member_id', '=', memberId).where('revoked_at', 'is', null)
  if (exceptHash)
    q = q.where('token_hash', '!=', exceptHash)
  await q.execute()
}

// ── Setup links ──────────────────────────────────────────────────────────────────────────────

export async function insertSetupToken(db: Db, row: Insertable<SetupTokenTable>): Promise<void> {
  await db.insertInto('setup_token').values(row).execute()
}

export async function findSetupToken(db: Db, tokenHash: string) {
  return db.selectFrom('setup_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

/** Marks the link used unless someone else did first: true when this call claimed it. */
export async function claimSetupToken(db: Db, tokenHash: string, at: string): Promise<boolean> {
  const claimed = await db.updateTable('setup_token').set({ used_at: at }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}

/** Setup happens once: every link printed so far for the same target (a branch, or the first start: null) is spent. */
export async function spendSetupTokens(trx: Trx, at: string, branchId: string | null = null): Promise<void> {
  await trx.updateTable('setup_token').set({ used_at: at }).where('used_at', 'is', null)
    .where('branch_id', branchId === null ? 'is' : '=', branchId).execute()
}

/** Gives back a link claimed at `claimedAt` (its setup failed), so it works for a retry. */
export async function releaseSetupToken(db: Db, tokenHash: string, claimedAt: string): Promise<void> {
  await db.updateTable('setup_token').set({ used_at: null }).where('token_hash', '=', tokenHash).where('used_at', '=', claimedAt).execute()
}

// ── Rate limits and back-off ─────────────────────────────────────────────────────────────────

/** Counts one hit of `key` in the window starting at `windowStart` (a new window starts at 1); the count after it. */
export async function countRateLimitHit(db: Db, key: string, windowStart: number): Promise<number> {
  const row = await db.insertInto('rate_limit')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict(oc => oc.column('key').doUpdateSet({
      count: sql<number>`case when rate_limit.window_start = ${windowStart} then rate_limit.count + 1 else 1 end`,
      window_start: windowStart,
    }))
    .returning(['count'])
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** Hits of `key` in the window starting at `windowStart` (0 in another window). */
export async function rateLimitCount(db: Db, key: string, windowStart: number): Promise<number> {
  const row = await db.selectFrom('rate_limit').select(['count']).where('key', '=', key).where('window_start', '=', windowStart).executeTakeFirst()
  return Number(row?.count ?? 0)
}

export async function deleteRateLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', key).execute()
}

export async function findFailures(db: Db, key: string): Promise<{ failures: number, lastFailedAt: number } | undefined> {
  const row = await db.selectFrom('login_failure').select(['failures', 'last_failed_at']).where('key', '=', key).executeTakeFirst()
  return row && { failures: Number(row.failures), lastFailedAt: Number(row.last_failed_at) }
}

/** One more failure of `key` at `now`; a count last added to before `forgetBefore` starts again at 1. */
export async function addFailure(db: Db, key: string, now: number, forgetBefore: number): Promise<void> {
  await db.insertInto('login_failure')
    .values({ key, failures: 1, last_failed_at: now })
    .onConflict(oc => oc.column('key').doUpdateSet({
      failures: sql<number>`case when login_failure.last_failed_at < ${forgetBefore} then 1 else login_failure.failures + 1 end`,
      last_failed_at: now,
    }))
    .execute()
}

export async function deleteFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_failure').where('key', '=', key).execute()
}

export async function deleteFailuresBefore(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('login_failure').where('last_failed_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
