import type { Kysely } from 'kysely'

/* Indexes for housekeeping (pruning old sync answers, change-log rows and sessions) and for the
   per-member photo quota checked on every upload. */

export async function up(db: Kysely<any>): Promise<void> {
  // Finding a later row of the same record; finding the rows older than the retention.
  await db.schema.createIndex('change_log_entity').on('change_log').columns(['entity', 'entity_id', 'seq']).execute()
  await db.schema.createIndex('change_log_created').on('change_log').column('created_at').execute()
  await db.schema.createIndex('sync_op_received').on('sync_op').column('received_at').execute()
  await db.schema.createIndex('session_expires').on('session').column('expires_at').execute()
  await db.schema.createIndex('photo_member').on('photo').columns(['member_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['photo_member', 'session_expires', 'sync_op_received', 'change_log_created', 'change_log_entity'])
    await db.schema.dropIndex(name).execute()
}
