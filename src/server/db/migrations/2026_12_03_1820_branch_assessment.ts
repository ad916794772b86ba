import type { Kysely } from 'kysely'

/*
 * 支部争先 (issue 14 point 4): the upper organization's periodic assessment of its branches on the
 * five 五个好 dimensions. One rating per branch per assessment — the organization's, whichever of
 * its admins gave it last (rated_by says who, for the audit trail).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('branch_assessment')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('upper_org_id', 'text', c => c.notNull().references('upper_org.id'))
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('period', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .execute()
  await db.schema.createIndex('branch_assessment_org_period').on('branch_assessment').columns(['upper_org_id', 'period']).unique().execute()

  await db.schema.createTable('branch_assessment_rating')
    .addColumn('assessment_id', 'text', c => c.notNull().references('branch_assessment.id'))
    .addColumn('branch_id', 'text', c => c.notNull().references('branch.id'))
    .addColumn('scores', 'text', c => c.notNull())
    .addColumn('comment', 'text', c => c.notNull().defaultTo(''))
    .addColumn('rated_by', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('branch_assessment_rating_pk', ['assessment_id', 'branch_id'])
    .execute()
  await db.schema.createIndex('branch_assessment_rating_branch').on('branch_assessment_rating').columns(['branch_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('branch_assessment_rating').execute()
  await db.schema.dropTable('branch_assessment').execute()
}
