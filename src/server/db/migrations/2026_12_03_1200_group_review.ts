import type { Kysely } from 'kysely'

/*
 * The branch's 五个好 review of its groups (issue 12 item 8): one review per branch and period,
 * the 支委 members the admin invites as raters, and one ballot per rater: a row per group rated,
 * with a score (4/3/2/1) on each 五个好 dimension. Portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('group_review')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('branch_id', 'text', c => c.notNull().references('branch.id'))
    .addColumn('period', 'text', c => c.notNull())
    .addColumn('period_from', 'text', c => c.notNull())
    .addColumn('period_to', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('created_by', 'text', c => c.notNull().references('member.id'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addUniqueConstraint('group_review_one_per_period', ['branch_id', 'period'])
    .execute()

  await db.schema.createTable('group_review_rater')
    .addColumn('review_id', 'text', c => c.notNull().references('group_review.id'))
    .addColumn('member_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('invited_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('group_review_rater_pk', ['review_id', 'member_id'])
    .execute()

  await db.schema.createTable('group_review_rating')
    .addColumn('review_id', 'text', c => c.notNull().references('group_review.id'))
    .addColumn('branch_id', 'text', c => c.notNull())
    .addColumn('rater_id', 'text', c => c.notNull().references('member.id'))
    .addColumn('group_id', 'text', c => c.notNull().references('party_group.id'))
    .addColumn('leadership', 'integer', c => c.notNull())
    .addColumn('members', 'integer', c => c.notNull())
    .addColumn('mechanism', 'integer', c => c.notNull())
    .addColumn('results', 'integer', c => c.notNull())
    .addColumn('masses', 'integer', c => c.notNull())
    .addColumn('comment', 'text', c => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('group_review_rating_pk', ['review_id', 'rater_id', 'group_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('group_review_rating').execute()
  await db.schema.dropTable('group_review_rater').execute()
  await db.schema.dropTable('group_review').execute()
}
