import type { Kysely } from 'kysely'
import { PostgresAdapter, sql } from 'kysely'

/*
 * A pull reads only the rows it returns (issue 14 point 5, issue 17 point 5). Until now it found a
 * member's changes by reading every change of the branch (index on branch and seq) and filtering.
 * Each row now says who pulls it — `scope`: 'branch' (every member), 'group' (one 党小组 and the
 * branch admins, plus member_id if set), 'member' (member_id and organizers over them) — and each
 * kind has an index ending in seq, so the pull is a merge of three ordered range scans, each
 * reading only rows this member may pull (src/server/sync/pull.ts, changesAfter).
 *
 * A generated column, derived by the database from the two ids: no code writes it, existing rows
 * have it at once, and a server of the previous version still running during a rolling upgrade
 * cannot write a row with a wrong (say, branch-wide) scope. PostgreSQL stores it; SQLite can only add
 * a virtual one, which it indexes all the same.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const derived = sql`case when group_id is not null then 'group' when member_id is not null then 'member' else 'branch' end`
  const stored = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema.alterTable('change_log').addColumn('scope', 'text', c => stored ? c.generatedAlwaysAs(derived).stored() : c.generatedAlwaysAs(derived)).execute()
  await db.schema.createIndex('change_log_scope_seq').on('change_log').columns(['branch_id', 'scope', 'seq']).execute()
  await db.schema.createIndex('change_log_member_seq').on('change_log').columns(['member_id', 'branch_id', 'seq']).execute()
  await db.schema.createIndex('change_log_group_seq').on('change_log').columns(['group_id', 'branch_id', 'seq']).execute()
  // (branch_id, scope, seq) starts with branch_id: the old index only cost every write.
  await db.schema.dropIndex('change_log_branch_seq').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('change_log_branch_seq').on('change_log').columns(['branch_id', 'seq']).execute()
  for (const name of ['change_log_scope_seq', 'change_log_member_seq', 'change_log_group_seq'])
    await db.schema.dropIndex(name).execute()
  await db.schema.alterTable('change_log').dropColumn('scope').execute()
}
