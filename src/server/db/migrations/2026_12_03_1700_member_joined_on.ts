import type { Kysely } from 'kysely'

/*
 * 入党日期: the roster's 入党日期 column (issue 16 point 6) is kept with the member, as YYYY-MM-DD
 * text like every date of the schema; null where nobody gave it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member').addColumn('joined_on', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member').dropColumn('joined_on').execute()
}
