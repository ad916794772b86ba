import type { Kysely } from 'kysely'

/*
 * 定期讲评 (issue 12): a group's review session tied to its 组织生活会, members' 陈述, and the
 * ballots of members and guests. A ballot is one rater's sheet for one session; its ratings are one
 * row per member rated, with a score (4/3/2/1) on each 五带头 dimension. Portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('review_session')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('branch_id', 'text', c => c.notNull().references('branch.id'))
    // null: a branch-wide session the branch admin holds; otherwise the group's.
    .addColumn('group_id', 'text', c => c.references('party_group.id'))
    .addColumn('meeting_id', 'text', c => c.references('meeting.id'))
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('period', 'text', c => c.notNull())
    .addColumn('period_from', 'text', c => c.notNull())
    .addColumn('period_to', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('guest_cap', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('guest_code', 'text', c => c.unique())
    .addColumn('created_by', 'text', c => c.notNull().references('member.id'))
    .addColumn('opened_at', 'text')
    .addColumn('rating_opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('review_session_branch').on('review_session').columns(['branch_id', 'period', 'status']).execute()
  await db.schema.createIndex('review_session_group').on('review_session').columns(['group_id', 'period']).execute()

  await db.schema.createTable('review_statement')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('session_id', 'text', c => c.notNull().references('review_session.id'))
    .addColumn('branch_id', 'text', c => c.notNull())
    .addColumn('member_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('participation', 'text', c => c.notNull().defaultTo(''))
    .addColumn('pledges', 'text', c => c.notNull().defaultTo(''))
    .addColumn('improvement', 'text', c => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addUniqueConstraint('review_statement_one_per_member', ['session_id', 'member_id'])
    .execute()

  await db.schema.createTable('review_guest')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('session_id', 'text', c => c.notNull().references('review_session.id'))
    .addColumn('branch_id', 'text', c => c.notNull())
    // A hash of the guest device's own random id: one ballot per device per session.
    .addColumn('device_hash', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull().defaultTo(''))
    .addColumn('relation', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addUniqueConstraint('review_guest_one_per_device', ['session_id', 'device_hash'])
    .execute()

  await db.schema.createTable('review_ballot')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('session_id', 'text', c => c.notNull().references('review_session.id'))
    .addColumn('branch_id', 'text', c => c.notNull())
    .addColumn('rater_kind', 'text', c => c.notNull())
    .addColumn('rater_member_id', 'text', c => c.references('member.id'))
    .addColumn('guest_id', 'text', c => c.references('review_guest.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addUniqueConstraint('review_ballot_one_per_member', ['session_id', 'rater_member_id'])
    .addUniqueConstraint('review_ballot_one_per_guest', ['session_id', 'guest_id'])
    .execute()

  await db.schema.createTable('review_rating')
    .addColumn('ballot_id', 'text', c => c.notNull().references('review_ballot.id'))
    .addColumn('session_id', 'text', c => c.notNull())
    .addColumn('branch_id', 'text', c => c.notNull())
    .addColumn('ratee_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('rater_kind', 'text', c => c.notNull())
    .addColumn('study', 'integer', c => c.notNull())
    .addColumn('excel', 'integer', c => c.notNull())
    .addColumn('serve', 'integer', c => c.notNull())
    .addColumn('discipline', 'integer', c => c.notNull())
    .addColumn('uphold', 'integer', c => c.notNull())
    .addColumn('comment', 'text', c => c.notNull().defaultTo(''))
    // Guests' comments wait for the organizer: pending → approved | rejected; members' are approved.
    .addColumn('comment_status', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('review_rating_pk', ['ballot_id', 'ratee_id'])
    .execute()
  await db.schema.createIndex('review_rating_ratee').on('review_rating').columns(['session_id', 'ratee_id']).execute()
  await db.schema.createIndex('review_rating_branch_ratee').on('review_rating').columns(['branch_id', 'ratee_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['review_rating', 'review_ballot', 'review_guest', 'review_statement', 'review_session'])
    await db.schema.dropTable(table).execute()
}
