import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/*
 * Many branches on one server (issue 14 points 1–2). The upper organization's admins are a table of
 * their own, not a member role: a branch admin's role field can never be edited into one, and a
 * plain single-branch install has no row here and behaves exactly as before. Their sessions are a
 * table of their own too (a session row names either a member or an upper admin by which table it
 * is in), so every branch route's member lookup stays as it was and finds nobody for them.
 * A setup link may now name the branch it sets up (made by the upper admin); null is the classic
 * first-start link that creates the branch itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('upper_org_admin')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('upper_org_id', 'text', c => c.notNull().references('upper_org.id'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('login', 'text', c => c.notNull())
    .addColumn('password_hash', 'text', c => c.notNull())
    .addColumn('active', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('upper_org_admin_login').on('upper_org_admin').expression(sql`lower(login)`).unique().execute()

  await db.schema.createTable('upper_session')
    .addColumn('token_hash', 'text', c => c.primaryKey())
    .addColumn('admin_id', 'text', c => c.notNull().references('upper_org_admin.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('expires_at', 'text', c => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()

  await db.schema.alterTable('setup_token').addColumn('branch_id', 'text').execute()
  await db.schema.createIndex('branch_upper_org').on('branch').columns(['upper_org_id', 'name']).execute()
  // The overview sums every branch's ledger per category for a year.
  await db.schema.createIndex('point_ledger_branch_year_category').on('point_ledger').columns(['branch_id', 'year', 'category', 'member_id', 'amount']).execute()
  await db.schema.createIndex('pledge_item_branch').on('pledge_item').columns(['branch_id', 'pledge_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['pledge_item_branch', 'point_ledger_branch_year_category', 'branch_upper_org'])
    await db.schema.dropIndex(index).execute()
  await db.schema.alterTable('setup_token').dropColumn('branch_id').execute()
  await db.schema.dropTable('upper_session').execute()
  await db.schema.dropTable('upper_org_admin').execute()
}
