import type { Kysely } from 'kysely'

/* Failed logins per (login name, client address), for a back-off that slows a guesser down without
   locking the member out from their own address. last_failed_at (ms since epoch) lets retention purge
   rows nobody has failed on for a day; the code ignores such rows anyway. */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('login_failure')
    .addColumn('key', 'text', c => c.primaryKey())
    .addColumn('failures', 'integer', c => c.notNull())
    .addColumn('last_failed_at', 'bigint', c => c.notNull())
    .execute()
  await db.schema.createIndex('login_failure_last_failed_at').on('login_failure').column('last_failed_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failure').execute()
}
