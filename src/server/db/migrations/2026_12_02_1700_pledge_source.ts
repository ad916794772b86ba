import type { Kysely } from 'kysely'

/*
 * Points a pledge's 评诺 granted (承诺项按期兑现, 不作承诺或承诺无故不兑现) were stored with the
 * source `checkin`, like a meeting's attendance; they get their own, `pledge`. Only 评诺 grants
 * under these two shipped rules, and no check-in does, so the rule key tells them apart.
 */
const PLEDGE_RULE_KEYS = ['pledge-kept', 'no-pledge']

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('point_entry').set({ source: 'pledge' }).where('source', '=', 'checkin').where('rule_id', 'in', db.selectFrom('point_rule').select('id').where('key', 'in', PLEDGE_RULE_KEYS)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('point_entry').set({ source: 'checkin' }).where('source', '=', 'pledge').execute()
}
