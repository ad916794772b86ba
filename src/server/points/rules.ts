import type { Approval, CapPeriod, Category } from '#shared/points/categories'
import type { RuleContent, RuleVariant } from '#shared/points/default-rules'
import type { Rule, RuleBody } from '#shared/points/schemas'
import type { Selectable, Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { PointRuleTable, PointRuleVersionTable } from '../db/points.table'
import { DEFAULT_RULES } from '#shared/points/default-rules'
import { POINTS_ENTITY } from '#shared/points/ops'
import { failure } from '../errors'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { audit } from './audit'

type Conn = Db | Transaction<Database>

export function versionContent(v: Selectable<PointRuleVersionTable>): RuleContent {
  return {
    category: v.category as Category,
    name: v.name,
    points: v.points,
    variants: JSON.parse(v.variants) as RuleVariant[],
    capPoints: v.cap_points,
    capPeriod: v.cap_period as CapPeriod | null,
    approval: v.approval as Approval,
    evidence: v.evidence,
    selfLog: v.self_log === 1,
    active: v.active === 1,
    veto: v.veto === 1,
  }
}

function toRule(r: Selectable<PointRuleTable>, v: Selectable<PointRuleVersionTable>): Rule {
  return { id: r.id, key: r.key, versionId: v.id, version: v.version, ...versionContent(v), retired: r.retired_at !== null, sort: r.sort, updatedAt: r.updated_at }
}

/** A rule with a cap must say per what, a tiered rule takes its points from its tiers, a veto carries no points. */
function checkContent(body: RuleBody): void {
  if ((body.capPoints === null) !== (body.capPeriod === null))
    throw failure(400, 'RULE_CAP')
  if (body.variants.length > 0 && new Set(body.variants.map(v => v.key)).size !== body.variants.length)
    throw failure(400, 'RULE_VARIANTS')
  if (body.points < 0 && body.selfLog)
    throw failure(400, 'RULE_SELF_DEDUCTION')
  if (body.veto && body.selfLog)
    throw failure(400, 'RULE_SELF_VETO')
}

async function insertVersion(trx: Transaction<Database>, ruleId: string, version: number, c: RuleContent, actorId: string | null, now: string): Promise<Selectable<PointRuleVersionTable>> {
  const row = {
    id: newId(),
    rule_id: ruleId,
    version,
    category: c.category,
    name: c.name.trim(),
    points: c.points,
    variants: JSON.stringify(c.variants),
    cap_points: c.capPoints,
    cap_period: c.capPeriod,
    approval: c.approval,
    evidence: c.evidence,
    self_log: c.selfLog ? 1 : 0,
    active: c.active ? 1 : 0,
    veto: c.veto ? 1 : 0,
    created_by: actorId,
    created_at: now,
  }
  await trx.insertInto('point_rule_version').values(row).execute()
  return row
}

/** Phones pull the rules (branch-wide) so 记积分 works offline. */
async function publish(trx: Transaction<Database>, branchId: string, rule: Rule): Promise<void> {
  await recordChange(trx, { entity: POINTS_ENTITY.rule, entityId: rule.id, branchId, memberId: null, op: 'upsert', data: rule })
}

async function addRule(trx: Transaction<Database>, branchId: string, c: RuleContent, key: string | null, sort: number, actorId: string | null, now: string): Promise<Rule> {
  const id = newId()
  const versionId = newId()
  await trx.insertInto('point_rule').values({ id, branch_id: branchId, key, sort, current_version_id: versionId, version: 1, retired_at: null, created_at: now, updated_at: now }).execute()
  const v = await insertVersion(trx, id, 1, c, actorId, now)
  await trx.updateTable('point_rule').set({ current_version_id: v.id }).where('id', '=', id).execute()
  const rule = toRule({ id, branch_id: branchId, key, sort, current_version_id: v.id, version: 1, retired_at: null, created_at: now, updated_at: now }, v)
  await publish(trx, branchId, rule)
  return rule
}

/** A new branch starts with the RULES.md set and the default settings. Call inside the branch's creating transaction. */
export async function seedDefaultRules(trx: Transaction<Database>, branchId: string, actorId: string | null): Promise<void> {
  const now = nowIso()
  let sort = 0
  for (const { key, ...content } of DEFAULT_RULES)
    await addRule(trx, branchId, content, key, ++sort, actorId, now)
  await trx.insertInto('point_settings').values({ branch_id: branchId, base_score: 60, ranking: 0, opens_on: null, updated_at: now }).onConflict(oc => oc.column('branch_id').doNothing()).execute()
}

export async function listRules(db: Conn, branchId: string): Promise<Rule[]> {
  const rows = await db.selectFrom('point_rule')
    .innerJoin('point_rule_version as v', 'v.id', 'point_rule.current_version_id')
    .selectAll('point_rule')
    .select(['v.id as v_id', 'v.rule_id', 'v.version as v_version', 'v.category', 'v.name', 'v.points', 'v.variants', 'v.cap_points', 'v.cap_period', 'v.approval', 'v.evidence', 'v.self_log', 'v.active', 'v.veto', 'v.created_by', 'v.created_at as v_created_at'])
    .where('point_rule.branch_id', '=', branchId)
    .orderBy('point_rule.sort')
    .execute()
  return rows.map(r => toRule(r, { ...r, id: r.v_id, version: r.v_version, created_at: r.v_created_at }))
}

/** The rule and its current version, in this branch; undefined when there is none. */
export async function loadRule(db: Conn, branchId: string, ruleId: string) {
  const rule = await db.selectFrom('point_rule').selectAll().where('id', '=', ruleId).where('branch_id', '=', branchId).executeTakeFirst()
  if (!rule)
    return undefined
  const version = await db.selectFrom('point_rule_version').selectAll().where('id', '=', rule.current_version_id).executeTakeFirstOrThrow()
  return { rule, version, content: versionContent(version) }
}

export async function loadVersion(db: Conn, versionId: string) {
  const v = await db.selectFrom('point_rule_version').selectAll().where('id', '=', versionId).executeTakeFirstOrThrow()
  return { version: v, content: versionContent(v) }
}

export async function createRule(trx: Transaction<Database>, branchId: string, actorId: string, body: RuleBody): Promise<Rule> {
  checkContent(body)
  const { max } = await trx.selectFrom('point_rule').select(eb => eb.fn.max('sort').as('max')).where('branch_id', '=', branchId).executeTakeFirstOrThrow()
  const rule = await addRule(trx, branchId, body, null, Number(max ?? 0) + 1, actorId, nowIso())
  await audit(trx, { branchId, actorId, action: 'points.rule.create', entity: POINTS_ENTITY.rule, entityId: rule.id, data: body })
  return rule
}

/** An edit adds a version; entries keep the version they were logged and granted under. */
export async function editRule(trx: Transaction<Database>, branchId: string, actorId: string, ruleId: string, body: RuleBody): Promise<Rule | undefined> {
  checkContent(body)
  const found = await loadRule(trx, branchId, ruleId)
  if (!found)
    return undefined
  const now = nowIso()
  const version = found.rule.version + 1
  const v = await insertVersion(trx, ruleId, version, body, actorId, now)
  await trx.updateTable('point_rule').set({ current_version_id: v.id, version, updated_at: now }).where('id', '=', ruleId).execute()
  const rule = toRule({ ...found.rule, current_version_id: v.id, version, updated_at: now }, v)
  await publish(trx, branchId, rule)
  await audit(trx, { branchId, actorId, action: 'points.rule.edit', entity: POINTS_ENTITY.rule, entityId: ruleId, data: { from: found.content, to: body, version } })
  return rule
}

/** A retired rule can no longer be logged; its entries and points stay. */
export async function retireRule(trx: Transaction<Database>, branchId: string, actorId: string, ruleId: string): Promise<Rule | undefined> {
  const found = await loadRule(trx, branchId, ruleId)
  if (!found)
    return undefined
  const now = nowIso()
  const retiredAt = found.rule.retired_at ?? now
  await trx.updateTable('point_rule').set({ retired_at: retiredAt, updated_at: now }).where('id', '=', ruleId).execute()
  const rule = toRule({ ...found.rule, retired_at: retiredAt, updated_at: now }, found.version)
  await publish(trx, branchId, rule)
  await audit(trx, { branchId, actorId, action: 'points.rule.retire', entity: POINTS_ENTITY.rule, entityId: ruleId, data: { name: found.content.name } })
  return rule
}
