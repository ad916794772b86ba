import type { PointsSettings } from '#shared/points/schemas'
import type { YearBase } from '#shared/points/score'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import { POINTS } from '#shared/points/categories'
import { POINTS_ENTITY } from '#shared/points/ops'
import { baseOf } from '#shared/points/score'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { audit } from './audit'

type Conn = Db | Transaction<Database>

export async function getSettings(db: Conn, branchId: string): Promise<PointsSettings> {
  const row = await db.selectFrom('point_settings').selectAll().where('branch_id', '=', branchId).executeTakeFirst()
  return row ? { baseScore: row.base_score, ranking: row.ranking === 1, opensOn: row.opens_on } : { baseScore: POINTS.baseScore, ranking: false, opensOn: null }
}

/** The year's base score: the year's own value if the branch set one, else the branch's default (60). */
export async function baseFor(db: Conn, branchId: string, year: number): Promise<number> {
  return baseOf(year, await getSettings(db, branchId), await yearBasesOf(db, branchId, year))
}

/** The year's own base score, if the branch set one: what phones pull as POINTS_ENTITY.yearBase. */
export async function yearBasesOf(db: Conn, branchId: string, year: number): Promise<YearBase[]> {
  const rows = await db.selectFrom('point_year_base').select(['year', 'base_score']).where('branch_id', '=', branchId).where('year', '=', year).execute()
  return rows.map(r => ({ year: r.year, baseScore: r.base_score }))
}

export async function saveSettings(trx: Transaction<Database>, branchId: string, actorId: string, s: PointsSettings): Promise<PointsSettings> {
  const now = nowIso()
  const values = { base_score: s.baseScore, ranking: s.ranking ? 1 : 0, opens_on: s.opensOn, updated_at: now }
  await trx.insertInto('point_settings').values({ branch_id: branchId, ...values }).onConflict(oc => oc.column('branch_id').doUpdateSet(values)).execute()
  await audit(trx, { branchId, actorId, action: 'points.settings', entity: POINTS_ENTITY.settings, entityId: branchId, data: s })
  await recordChange(trx, { entity: POINTS_ENTITY.settings, entityId: branchId, branchId, memberId: null, op: 'upsert', data: s })
  return s
}

export async function setYearBase(trx: Transaction<Database>, branchId: string, actorId: string, year: number, baseScore: number): Promise<void> {
  await trx.insertInto('point_year_base').values({ branch_id: branchId, year, base_score: baseScore }).onConflict(oc => oc.columns(['branch_id', 'year']).doUpdateSet({ base_score: baseScore })).execute()
  await audit(trx, { branchId, actorId, action: 'points.base', entity: POINTS_ENTITY.settings, entityId: branchId, data: { year, baseScore } })
  // Phones compute the score themselves (#shared/points/score): they need the year's base too.
  const yearBase: YearBase = { year, baseScore }
  await recordChange(trx, { entity: POINTS_ENTITY.yearBase, entityId: `${branchId}:${year}`, branchId, memberId: null, op: 'upsert', data: yearBase })
}
