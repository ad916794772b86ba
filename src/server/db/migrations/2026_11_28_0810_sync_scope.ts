import type { Kysely } from 'kysely'

/* Group-scoped change-log rows (a 党小组's meeting reaches that group's phones, not the branch's),
   and a per-member mark of when what they may pull last changed, so their phone starts over. */

export async function up(db: Kysely<any>): Promise<void> {
  // No index: a pull already walks (branch_id, seq) and filters the few rows after its cursor.
  await db.schema.alterTable('change_log').addColumn('group_id', 'text').execute()
  await db.schema.alterTable('member').addColumn('scope_seq', 'integer', c => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member').dropColumn('scope_seq').execute()
  await db.schema.alterTable('change_log').dropColumn('group_id').execute()
}
