import type { Kysely } from 'kysely'
import { PostgresAdapter, sql } from 'kysely'

/*
 * The upper organization's figures at 50 branches × 200 members (issue 14, Figures).
 *
 * 1. Each member's points per year and category, summed: the upper organization's
 * overview and a branch's drill-down read at most 5 rows per member here instead of every ledger
 * row (60 a year and growing). Only those figures read it; 我的积分 and the sheets keep reading the
 * ledger, which stays the record.
 *
 * The database keeps it, by triggers on point_ledger, not the code beside each ledger insert: every
 * writer is then counted in the same statement — approval.ts's grants and reversals, a restore
 * loading a backup's ledger, the demo and bench seeds and tests that insert ledger rows directly,
 * and a server of the previous version still writing during a rolling upgrade. Being derived, it is
 * left out of backups (src/server/backup/schema.ts, DERIVED_TABLES): a restore refills it from the
 * ledger it loads and can never double it. Two servers adding to the same total serialize on its
 * row (the upsert locks it), so concurrent grants both count.
 *
 * PostgreSQL sums each statement's rows once (statement triggers over transition tables, keys in
 * order so two bulk inserts lock totals in the same order); SQLite has row triggers only. No
 * foreign keys: the ledger's own keep its rows honest, and a total is only ever written from them.
 * The key starts with branch and year, the order both figure queries narrow by.
 *
 * 2. A branch's 三会一课 report reads the attendance of its year's closed meetings, ~83 rows per
 * meeting. Through the primary key PostgreSQL expects a random heap page per row (the ids are
 * UUIDs, uncorrelated with where rows lie) and chose to scan every branch's attendance instead:
 * 150 000 rows for 3 000 (3 750 pages, ~200 ms under load). This index holds every column the
 * report reads, so each meeting's rows are one index range (160 pages, ~7 ms).
 */
const KEY = 'branch_id, year, category, member_id'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('point_total')
    .addColumn('branch_id', 'text', c => c.notNull())
    .addColumn('year', 'integer', c => c.notNull())
    .addColumn('category', 'text', c => c.notNull())
    .addColumn('member_id', 'text', c => c.notNull())
    .addColumn('amount', 'integer', c => c.notNull())
    .addPrimaryKeyConstraint('point_total_pk', ['branch_id', 'year', 'category', 'member_id'])
    .execute()

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // `sign` 1 adds a statement's new rows, -1 takes away its old ones; an UPDATE does both.
    const apply = (rows: string, sign: 1 | -1) => `
      insert into point_total (${KEY}, amount)
      select ${KEY}, ${sign === 1 ? '' : '-'}sum(amount) from ${rows} group by ${KEY} order by ${KEY}
      on conflict (${KEY}) do update set amount = point_total.amount + excluded.amount;`
    const fn = (name: string, body: string) => sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
    await fn('point_total_on_insert', apply('new_rows', 1)).execute(db)
    await fn('point_total_on_delete', apply('old_rows', -1)).execute(db)
    await fn('point_total_on_update', apply('old_rows', -1) + apply('new_rows', 1)).execute(db)
    await sql`create trigger point_total_insert after insert on point_ledger referencing new table as new_rows for each statement execute function point_total_on_insert()`.execute(db)
    await sql`create trigger point_total_delete after delete on point_ledger referencing old table as old_rows for each statement execute function point_total_on_delete()`.execute(db)
    await sql`create trigger point_total_update after update on point_ledger referencing old table as old_rows new table as new_rows for each statement execute function point_total_on_update()`.execute(db)
  }
  else {
    const apply = (row: 'new' | 'old', sign: 1 | -1) => `
      insert into point_total (${KEY}, amount) values (${row}.branch_id, ${row}.year, ${row}.category, ${row}.member_id, ${sign === 1 ? '' : '-'}${row}.amount)
      on conflict (${KEY}) do update set amount = amount + excluded.amount;`
    await sql.raw(`create trigger point_total_insert after insert on point_ledger begin ${apply('new', 1)} end`).execute(db)
    await sql.raw(`create trigger point_total_delete after delete on point_ledger begin ${apply('old', -1)} end`).execute(db)
    await sql.raw(`create trigger point_total_update after update on point_ledger begin ${apply('old', -1)} ${apply('new', 1)} end`).execute(db)
  }

  await db.schema.createIndex('meeting_attendance_report').on('meeting_attendance').columns(['meeting_id', 'member_id', 'status', 'token_window']).execute()

  // The ledger so far, summed once.
  await sql`insert into point_total (branch_id, year, category, member_id, amount)
    select branch_id, year, category, member_id, sum(amount) from point_ledger group by branch_id, year, category, member_id`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('meeting_attendance_report').execute()
  for (const name of ['point_total_insert', 'point_total_delete', 'point_total_update']) {
    if (db.getExecutor().adapter instanceof PostgresAdapter)
      await sql.raw(`drop trigger ${name} on point_ledger`).execute(db)
    else
      await sql.raw(`drop trigger ${name}`).execute(db)
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const name of ['point_total_on_insert', 'point_total_on_delete', 'point_total_on_update'])
      await sql.raw(`drop function ${name}()`).execute(db)
  }
  await db.schema.dropTable('point_total').execute()
}
