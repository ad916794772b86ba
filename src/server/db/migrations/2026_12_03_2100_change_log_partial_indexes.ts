import type { Kysely } from 'kysely'

/*
 * issue 17 point 2: every change-log row went into all five of the table's indexes, though the
 * pull reads (member_id, branch_id, seq) only for a member's own rows (`member_id = ?`) and
 * (group_id, branch_id, seq) only for a 党小组's rows (`group_id = ?`). A row without a member
 * (branch-wide) or without a group (a 记积分 entry, the rows members write most) now skips the
 * index that never finds it: the same scans (an equality on the column implies it is not null,
 * on SQLite and PostgreSQL alike — tests/server/sync/pull-index.test.ts checks the plans), one
 * index entry fewer per written row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('change_log_member_seq').execute()
  await db.schema.dropIndex('change_log_group_seq').execute()
  await db.schema.createIndex('change_log_member_seq').on('change_log').columns(['member_id', 'branch_id', 'seq']).where('member_id', 'is not', null).execute()
  await db.schema.createIndex('change_log_group_seq').on('change_log').columns(['group_id', 'branch_id', 'seq']).where('group_id', 'is not', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('change_log_member_seq').execute()
  await db.schema.dropIndex('change_log_group_seq').execute()
  await db.schema.createIndex('change_log_member_seq').on('change_log').columns(['member_id', 'branch_id', 'seq']).execute()
  await db.schema.createIndex('change_log_group_seq').on('change_log').columns(['group_id', 'branch_id', 'seq']).execute()
}
