import type { Kysely } from 'kysely'

/* Portable types only, as in the foundation migration. */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('meeting')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('branch_id', 'text', c => c.notNull().references('branch.id'))
    .addColumn('group_id', 'text', c => c.references('party_group.id'))
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('topic', 'text', c => c.notNull())
    .addColumn('starts_at', 'text', c => c.notNull())
    .addColumn('ends_at', 'text', c => c.notNull())
    .addColumn('place', 'text', c => c.notNull().defaultTo(''))
    .addColumn('agenda', 'text', c => c.notNull().defaultTo(''))
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('created_by', 'text', c => c.notNull().references('member.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .execute()
  await db.schema.createIndex('meeting_branch_start').on('meeting').columns(['branch_id', 'starts_at']).execute()

  // The primary key is the business guard of DESIGN §1 invariant 3: one check-in per member per meeting.
  await db.schema.createTable('meeting_attendance')
    .addColumn('meeting_id', 'text', c => c.notNull().references('meeting.id'))
    .addColumn('member_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('method', 'text', c => c.notNull())
    .addColumn('token_window', 'bigint')
    .addColumn('scanned_at', 'text')
    .addColumn('flag', 'text')
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('points', 'real')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('meeting_attendance_pk', ['meeting_id', 'member_id'])
    .execute()
  await db.schema.createIndex('meeting_attendance_member').on('meeting_attendance').column('member_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_attendance').execute()
  await db.schema.dropTable('meeting').execute()
}
