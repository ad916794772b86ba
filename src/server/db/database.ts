import type { SqliteDatabase, SqliteStatement } from 'kysely'
import type { AppraisalBallotTable, AppraisalResultTable, AppraisalSummaryTable, AppraisalTable, AppraisalVoterTable, CommendationFeedbackTable, CommendationNomineeTable, CommendationRoundTable, CommendationTitleTable } from './appraisal.table'
import type { BranchAssessmentRatingTable, BranchAssessmentTable } from './assessment.table'
import type { InviteTable, LoginFailureTable, RateLimitTable, SessionTable, SetupTokenTable, UpperSessionTable } from './auth.table'
import type { GroupReviewRaterTable, GroupReviewRatingTable, GroupReviewTable } from './group-review.table'
import type { MeetingAttendanceTable, MeetingTable, MemberCheckinKeyTable } from './meetings.table'
import type { AuditLogTable, BranchTable, MemberTable, PartyGroupTable, UpperOrgAdminTable, UpperOrgTable } from './org.table'
import type { PhotoTable } from './photos.table'
import type { PledgeBoardTable, PledgeFeedbackTable, PledgeItemTable, PledgeProgressTable, PledgeTable } from './pledges.table'
import type { PointEntryEventTable, PointEntryTable, PointLedgerTable, PointRuleTable, PointRuleVersionTable, PointSettingsTable, PointTotalTable, PointVetoTable, PointYearBaseTable } from './points.table'
import type { ReviewBallotTable, ReviewGuestTable, ReviewRatingTable, ReviewSessionTable, ReviewStatementTable } from './reviews.table'
import type { ChangeLogTable, ServerStateTable, SyncCounterTable, SyncOpTable } from './sync.table'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely'
import pg from 'pg'

export interface Database {
  upper_org: UpperOrgTable
  upper_org_admin: UpperOrgAdminTable
  upper_session: UpperSessionTable
  branch: BranchTable
  party_group: PartyGroupTable
  member: MemberTable
  audit_log: AuditLogTable
  session: SessionTable
  invite: InviteTable
  setup_token: SetupTokenTable
  rate_limit: RateLimitTable
  login_failure: LoginFailureTable
  sync_op: SyncOpTable
  change_log: ChangeLogTable
  sync_counter: SyncCounterTable
  server_state: ServerStateTable
  pledge: PledgeTable
  pledge_item: PledgeItemTable
  pledge_progress: PledgeProgressTable
  pledge_feedback: PledgeFeedbackTable
  pledge_board: PledgeBoardTable
  point_rule: PointRuleTable
  point_rule_version: PointRuleVersionTable
  point_entry: PointEntryTable
  point_entry_event: PointEntryEventTable
  point_ledger: PointLedgerTable
  point_total: PointTotalTable
  point_settings: PointSettingsTable
  point_year_base: PointYearBaseTable
  point_veto: PointVetoTable
  meeting: MeetingTable
  meeting_attendance: MeetingAttendanceTable
  member_checkin_key: MemberCheckinKeyTable
  photo: PhotoTable
  review_session: ReviewSessionTable
  review_statement: ReviewStatementTable
  review_guest: ReviewGuestTable
  review_ballot: ReviewBallotTable
  review_rating: ReviewRatingTable
  appraisal: AppraisalTable
  appraisal_summary: AppraisalSummaryTable
  appraisal_voter: AppraisalVoterTable
  appraisal_ballot: AppraisalBallotTable
  appraisal_result: AppraisalResultTable
  commendation_round: CommendationRoundTable
  commendation_title: CommendationTitleTable
  commendation_nominee: CommendationNomineeTable
  commendation_feedback: CommendationFeedbackTable
  branch_assessment: BranchAssessmentTable
  branch_assessment_rating: BranchAssessmentRatingTable
  group_review: GroupReviewTable
  group_review_rater: GroupReviewRaterTable
  group_review_rating: GroupReviewRatingTable
}

export type Db = Kysely<Database>
export type DbKind = 'sqlite' | 'postgres'

export interface DbHandle {
  db: Db
  kind: DbKind
}

export interface OpenOptions {
  /**
   * A SQLite file: its WAL is copied into the database file by a worker thread (startCheckpointer)
   * instead of inside the COMMIT of whichever request crosses SQLite's auto-checkpoint size. The
   * server opens its database so; tests and tools need not.
   */
  checkpointInWorker?: boolean
}

export function openDatabase(url: string, options: OpenOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    const sqlite = openSqlite(file)
    const stop = options.checkpointInWorker && file !== ':memory:' ? startCheckpointer(sqlite, resolve(file)) : undefined
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite, undefined, stop) }) }), kind: 'sqlite' }
  }
  // pg returns int8 as strings; our counters fit in int4, and COUNT(*) is int8.
  pg.types.setTypeParser(pg.types.builtins.INT8, v => Number(v))
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' }
}

/** The cheapest round trip to the database (GET /api/health): throws when it cannot be reached. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

function openSqlite(file: string): SQLite.Database {
  const path = file === ':memory:' ? file : resolve(file)
  if (path !== ':memory:')
    mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  // Another process (a CLI, a second test worker) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  return sqlite
}

/** How often the checkpointer copies the WAL's new frames into the database file. */
export const CHECKPOINT_EVERY_MS = 100
/**
 * The main connection's own auto-checkpoint stays as a fallback, should the worker fall behind or
 * fail: at 10,000 pages (40 MB of WAL, 10× SQLite's default) instead of 1,000.
 */
export const FALLBACK_CHECKPOINT_PAGES = 10000

/* The worker: its own connection to the file, a PASSIVE checkpoint now and then (it never waits
   for or blocks the server's reads and writes), closed when the server closes the database. */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
}, workerData.everyMs)
parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * issue 17 point 2: a checkpoint copies the WAL into the database file and syncs both, some 12 ms
 * every second push batch of 500 记积分 ops, paid by the request whose COMMIT crossed the size. In
 * a worker thread it runs on the machine's other core beside the requests. Durability is
 * unchanged (WAL with synchronous=NORMAL: a commit survives a crash of the process). Answers how
 * to stop the worker.
 */
function startCheckpointer(sqlite: SQLite.Database, file: string): () => void {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`)
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, everyMs: CHECKPOINT_EVERY_MS },
  })
  // Never what keeps the process alive; a worker that fails leaves the fallback doing the work.
  worker.unref()
  worker.on('error', () => {})
  return () => worker.postMessage('stop')
}

/** Statements kept prepared: the distinct query shapes of the app are a few hundred. */
export const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver calls `prepare` for every query, and preparing (parsing and planning the
 * SQL) costs about as much as running a small statement. The same SQL text always compiles to the
 * same statement, so keep the last STATEMENT_CACHE_SIZE of them (least recently used goes first).
 * A statement still being iterated (a streamed select) cannot run again until it finishes, so a
 * query meeting its own text busy gets a fresh, uncached one.
 */
export function preparedOnce(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE, onClose?: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => {
      onClose?.()
      cache.clear()
      sqlite.close()
    },
    prepare(text: string): SqliteStatement {
      const hit = cache.get(text)
      if (hit) {
        if (hit.busy)
          return sqlite.prepare(text)
        // A Map iterates in insertion order: moving a hit to the end keeps the oldest first.
        cache.delete(text)
        cache.set(text, hit)
        return hit
      }
      const stmt = sqlite.prepare(text)
      cache.set(text, stmt)
      if (cache.size > size)
        cache.delete(cache.keys().next().value!)
      return stmt
    },
  }
}
