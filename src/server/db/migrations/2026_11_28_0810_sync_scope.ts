import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/* Group-scoped change-log rows (a 党小组's meeting reaches that group's phones, not the branch's),
   and a per-member mark of when what they may pull last changed, so their phone starts over. */

export async function up(db: Kysely<any>): Promise<void> {
  // No index: a pull already walks (branch_id, seq) and filters the few rows after its cursor.
  await db.schema.alterTable('change_log').addColumn('group_id', 'text').execute()
  await db.schema.alterTable('member').addColumn('scope_seq', 'integer', c => c.notNull().defaultTo(0)).execute()
  // Group meetings logged before this went branch-wide: scope them as publishMeeting now does, so a
  // phone that starts over no longer receives them. Phones that already hold them keep them (the app hides them).
  const ofMeeting = (column: string) => sql`(select ${sql.ref(column)} from meeting where meeting.id = change_log.entity_id)`
  await db.updateTable('change_log')
    .set({ group_id: ofMeeting('group_id'), member_id: ofMeeting('created_by') })
    .where('entity', '=', 'meeting')
    .where('entity_id', 'in', db.selectFrom('meeting').select('id').where('group_id', 'is not', null))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member').dropColumn('scope_seq').execute()
  await db.schema.alterTable('change_log').dropColumn('group_id').execute()
}
