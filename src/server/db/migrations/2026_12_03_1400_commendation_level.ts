import type { Kysely } from 'kysely'

/**
 * 评选表彰: the round's level (所级 / 局级 / 市级及以上), which tier of 岗位业绩受表彰 an award
 * grants. Existing rounds are 所级, the default RULES.md's +2 stands for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('commendation_round').addColumn('level', 'text', c => c.notNull().defaultTo('institute')).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('commendation_round').dropColumn('level').execute()
}
