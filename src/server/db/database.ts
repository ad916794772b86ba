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
import { dirname, resolve } from 'node:path'
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

export function openDatabase(url: string): DbHandle {
  if (url.startsWith('sqlite:'))
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(openSqlite(url.slice('sqlite:'.length))) }) }), kind: 'sqlite' }
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

/** Statements kept prepared: the distinct query shapes of the app are a few hundred. */
export const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver calls `prepare` for every query, and preparing (parsing and planning the
 * SQL) costs about as much as running a small statement. The same SQL text always compiles to the
 * same statement, so keep the last STATEMENT_CACHE_SIZE of them (least recently used goes first).
 * A statement still being iterated (a streamed select) cannot run again until it finishes, so a
 * query meeting its own text busy gets a fresh, uncached one.
 */
export function preparedOnce(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => {
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
