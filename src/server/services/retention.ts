import type { ExpressionBuilder } from 'kysely'
import type { Database, Db } from '../db/database'
import { sql } from 'kysely'
import { purgeForgottenFailures } from '../auth/rate-limit'
import { pruneLoosePhotos } from '../photos/store'
import { FLOOR_KEY } from '../sync/pull'
import { DAY } from '../util/clock'

/**
 * How long the server keeps what only serves a while. The audit log, the records themselves and
 * each record's latest change-log row are kept for good.
 */
export const RETENTION = {
  /**
   * Rate-limit rows whose window ended this long ago. Must exceed the longest window in use
   * (login 15 min, check-in 10 min, the public board 1 h): a row of an ended window counts
   * as nothing anyway, since the next hit starts a new window.
   */
  rateLimitMs: DAY,
  /**
   * Change-log rows younger than this are never touched; older ones go once a later row of the
   * same record says the same to the same phones, and older deletions go altogether (raising the
   * floor). 90 days is three session lifetimes: a phone that synced within it, or whose member
   * logged in within it, keeps its cursor; only a phone left alone longer starts over.
   */
  changeLogMs: 90 * DAY,
  /**
   * The answers recorded for op ids (sync_op). An op resent after its row is gone is judged
   * afresh, and still is not counted twice: every handler guards its effect by the phone-made
   * id or a business key (see pruneSyncOps). 400 days is more than a year of a phone offline
   * with an op that was applied but whose answer never reached it.
   */
  syncOpMs: 400 * DAY,
} as const

/** How often each server instance runs housekeeping (every instance may: each step is idempotent). */
export const HOUSEKEEPING_EVERY_MS = 6 * 3600_000

const iso = (ms: number) => new Date(ms).toISOString()

/** Sessions past their expiry or revoked: nothing reads them again (logins and logouts are in the audit log). */
export async function purgeSessions(db: Db, now = Date.now()): Promise<number> {
  const at = iso(now)
  const result = await db.deleteFrom('session')
    .where(eb => eb.or([eb('expires_at', '<', at), eb('revoked_at', '<', at)]))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function purgeRateLimits(db: Db, keepMs: number = RETENTION.rateLimitMs, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('rate_limit').where('window_start', '<', now - keepMs).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Forgets the answers to op ids received before `keepMs`. What an op sent again after that
 * meets, by handler:
 * - entry.create, pledge.progress: the row is keyed by the id made on the phone → refused as
 *   already existing (ENTRY_ID_TAKEN / PLEDGE_ID_TAKEN), nothing added;
 * - checkin.create: one attendance row per member and meeting → refused as already checked in;
 * - meeting.leave: refused once the meeting has started, long before;
 * - entry.resubmit: applies only to a returned entry, and its date must lie in an open year;
 * - profile.update: sets the member's phone number, counts nothing.
 * So no point, check-in or record is ever counted twice; the phone files the refusal in 同步失败.
 */
export async function pruneSyncOps(db: Db, keepMs: number = RETENTION.syncOpMs, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('sync_op').where('received_at', '<', iso(now - keepMs)).executeTakeFirst()
  return Number(result.numDeletedRows)
}

type ChangeEb = ExpressionBuilder<Database, 'change_log'>

/** A later row (up to `head`) of the same record exists; with `sameAudience`, one pulled by exactly the same phones. */
function superseded(eb: ChangeEb, head: number, sameAudience: boolean) {
  let later = eb.selectFrom('change_log as later')
    .select('later.seq')
    .whereRef('later.entity', '=', 'change_log.entity')
    .whereRef('later.entity_id', '=', 'change_log.entity_id')
    .whereRef('later.seq', '>', 'change_log.seq')
    .where('later.seq', '<=', head)
  if (sameAudience) {
    later = later
      .whereRef('later.branch_id', '=', 'change_log.branch_id')
      .where(sql<boolean>`coalesce(later.member_id, '') = coalesce(change_log.member_id, '')`)
      .where(sql<boolean>`coalesce(later.group_id, '') = coalesce(change_log.group_id, '')`)
  }
  return eb.exists(later)
}

/**
 * Compacts the change log. Among rows older than `keepMs` it deletes:
 * - rows a later row of the same record replaces for the same phones: every phone still gets
 *   that later row, so no cursor is affected;
 * - deletions, and rows whose record later moved to other phones: a phone whose cursor is
 *   before them could miss a removal, so the floor (DESIGN §1, invariant 6: "a cursor too old
 *   gets a full reset") is raised to the highest such seq, in the same transaction.
 * The latest row of each existing record stays, so a phone starting over from 0 gets everything.
 * Safe with several instances at once: deletes are idempotent and the floor only goes up.
 */
export async function pruneChangeLog(db: Db, keepMs: number = RETENTION.changeLogMs, now = Date.now()): Promise<{ pruned: number, floor: number | null }> {
  return db.transaction().execute(async (trx) => {
    // Every seq up to the committed counter is committed (seqs are taken under its row lock).
    const { seq: head } = await trx.selectFrom('sync_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()
    const old = await trx.selectFrom('change_log').select(eb => eb.fn.max('seq').as('seq')).where('created_at', '<', iso(now - keepMs)).executeTakeFirst()
    if (old?.seq == null)
      return { pruned: 0, floor: null }
    const horizon = Math.min(Number(old.seq), head)
    const prunable = (eb: ChangeEb) => eb.and([
      eb('seq', '<=', horizon),
      eb.or([eb('op', '=', 'delete'), superseded(eb, head, false)]),
    ])
    const loud = await trx.selectFrom('change_log')
      .select(eb => eb.fn.max('seq').as('seq'))
      .where(prunable)
      .where(eb => eb.not(superseded(eb, head, true)))
      .executeTakeFirst()
    const floor = loud?.seq == null ? null : Number(loud.seq)
    if (floor !== null) {
      await trx.insertInto('server_state')
        .values({ key: FLOOR_KEY, value: String(floor) })
        .onConflict(oc => oc.column('key').doUpdateSet({ value: String(floor) }).where(sql<boolean>`cast(server_state.value as bigint) < ${floor}`))
        .execute()
    }
    const result = await trx.deleteFrom('change_log').where(prunable).executeTakeFirst()
    return { pruned: Number(result.numDeletedRows), floor }
  })
}

export interface HousekeepingReport {
  photos: number
  sessions: number
  rateLimits: number
  loginFailures: number
  syncOps: number
  changes: number
  floor: number | null
}

/**
 * Everything the server prunes, run at start and every HOUSEKEEPING_EVERY_MS on every instance.
 * Each step stands alone: one failing does not keep the others from running.
 */
export async function housekeeping(db: Db, now = Date.now(), onError: (step: string, err: unknown) => void = () => {}): Promise<HousekeepingReport> {
  const report: HousekeepingReport = { photos: 0, sessions: 0, rateLimits: 0, loginFailures: 0, syncOps: 0, changes: 0, floor: null }
  const step = async (name: string, run: () => Promise<void>) => {
    try {
      await run()
    }
    catch (err) {
      onError(name, err)
    }
  }
  await step('photos', async () => {
    report.photos = await pruneLoosePhotos(db, undefined, now)
  })
  await step('sessions', async () => {
    report.sessions = await purgeSessions(db, now)
  })
  await step('rate_limit', async () => {
    report.rateLimits = await purgeRateLimits(db, undefined, now)
  })
  await step('login_failure', async () => {
    report.loginFailures = await purgeForgottenFailures(db, now)
  })
  await step('sync_op', async () => {
    report.syncOps = await pruneSyncOps(db, undefined, now)
  })
  await step('change_log', async () => {
    const { pruned, floor } = await pruneChangeLog(db, undefined, now)
    report.changes = pruned
    report.floor = floor
  })
  return report
}
