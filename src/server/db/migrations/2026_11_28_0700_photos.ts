import type { Kysely } from 'kysely'
import { PostgresAdapter } from 'kysely'

/* Evidence photos for points entries, 践诺 records and meeting minutes. Bytes live in the database
   (bytea on PostgreSQL, blob on SQLite) so any instance can serve them and one backup has them. */

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob'
  await db.schema.createTable('photo')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('branch_id', 'text', c => c.notNull().references('branch.id'))
    .addColumn('member_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('mime', 'text', c => c.notNull())
    .addColumn('size', 'integer', c => c.notNull())
    .addColumn('bytes', binary, c => c.notNull())
    .addColumn('sha256', 'text', c => c.notNull())
    .addColumn('owner_entity', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('photo_owner').on('photo').columns(['owner_entity', 'owner_id']).execute()

  // The records keep their photo ids in order, so lists read them without a join.
  await db.schema.alterTable('point_entry').addColumn('photo_ids', 'text', c => c.notNull().defaultTo('[]')).execute()
  await db.schema.alterTable('pledge_progress').addColumn('photo_ids', 'text', c => c.notNull().defaultTo('[]')).execute()
  await db.schema.alterTable('meeting').addColumn('minutes', 'text', c => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('meeting').addColumn('minutes_photo_ids', 'text', c => c.notNull().defaultTo('[]')).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting').dropColumn('minutes_photo_ids').execute()
  await db.schema.alterTable('meeting').dropColumn('minutes').execute()
  await db.schema.alterTable('pledge_progress').dropColumn('photo_ids').execute()
  await db.schema.alterTable('point_entry').dropColumn('photo_ids').execute()
  await db.schema.dropTable('photo').execute()
}
