import type { Kysely } from 'kysely'

/* Why a late check-in was flagged, in words, beside its flag: the organizer decides on it later. */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_attendance').addColumn('flag_reason', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_attendance').dropColumn('flag_reason').execute()
}
