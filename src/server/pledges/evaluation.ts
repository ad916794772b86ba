import type { EvaluateBody, EvaluateResponse, Pledge } from '#shared/pledges/schemas'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import { PLEDGE_POINTS, PLEDGE_RULE_KEYS, RESULT_LABEL_ZH } from '#shared/pledges/constants'
import { hasRole } from '#shared/roles'
import { writeAudit } from '../audit/writer'
import { failure, forbidden } from '../errors'
import { upperOrgOfBranch } from '../org/repository'
import { grantByRule } from '../points/grants'
import { nowIso } from '../util/clock'
import { pledgeOfBranch } from './views'
import { recordPledge } from './workflow'

type Trx = Transaction<Database>

/** One request to the points ledger that an evaluated item makes. */
export interface PledgePointsEffect {
  memberId: string
  itemId: string
  /** The shipped rule's key (RULES.md): pledge-kept (+5, capped 10/年 by the ledger) or no-pledge (−3). */
  ruleKey: string
  amount: number
  reason: string
  /** The day the item was evaluated, in the branch's calendar: the ledger books it in that year. */
  date: string
}

/**
 * What 评诺 asks of the points: only a member's own pledge counts. 已兑现 → 承诺项按期兑现 +5;
 * 未兑现 without a good reason → 不作承诺或承诺无故不兑现 −3; 部分兑现 or an excused 未兑现 → nothing.
 */
export function evaluationPoints(pledge: Pledge, evaluated: { itemId: string, result: string, excused: boolean }[], date: string): PledgePointsEffect[] {
  if (pledge.ownerKind !== 'member' || !pledge.memberId)
    return []
  const effects: PledgePointsEffect[] = []
  for (const e of evaluated) {
    const item = pledge.items.find(i => i.id === e.itemId)
    if (!item)
      continue
    const label = `${pledge.year}${pledge.stage ? ` ${pledge.stage}` : ''} 承诺「${item.target.slice(0, 40)}」评诺：${RESULT_LABEL_ZH[e.result as 'kept']}`
    if (e.result === 'kept')
      effects.push({ memberId: pledge.memberId, itemId: e.itemId, ruleKey: PLEDGE_RULE_KEYS.kept, amount: PLEDGE_POINTS.kept, reason: label, date })
    else if (e.result === 'broken' && !e.excused)
      effects.push({ memberId: pledge.memberId, itemId: e.itemId, ruleKey: PLEDGE_RULE_KEYS.broken, amount: PLEDGE_POINTS.broken, reason: label, date })
  }
  return effects
}

/**
 * THE POINTS HOOK: each effect goes to the points ledger through its rule (by key), which applies
 * the rule's cap (承诺项按期兑现 10/年) and the floor, inside the evaluation's transaction. The
 * source `pledge-item:<id>` makes it idempotent. The item keeps what was actually granted (null
 * when the branch has no such rule or switched it off) and the audit log the request.
 */
export async function postEvaluationPoints(trx: Trx, actor: Evaluator, effects: PledgePointsEffect[]): Promise<(number | null)[]> {
  const results: (number | null)[] = []
  for (const effect of effects) {
    const outcome = await grantByRule(trx, {
      branchId: actor.branchId,
      memberId: effect.memberId,
      ruleKey: effect.ruleKey,
      date: effect.date,
      source: `pledge-item:${effect.itemId}`,
      kind: 'pledge',
      note: effect.reason,
      actorId: actor.id,
      // 评诺 is a branch admin's decision: the review the pledge rules (approval `branch`) ask for.
      reviewed: true,
    })
    const granted = outcome?.points ?? null
    await trx.updateTable('pledge_item').set({ points_rule_key: effect.ruleKey, points_amount: granted }).where('id', '=', effect.itemId).execute()
    await writeAudit(trx, actor, { action: 'pledge.points', entity: 'pledge_item', entityId: effect.itemId, data: { ...effect, granted } })
    results.push(granted)
  }
  return results
}

/**
 * Who gives the 评诺: a branch admin, or — for a branch's own pledge to its upper organization —
 * that organization's admin (whose id is not a member's; branchId is the pledge's branch).
 */
export interface Evaluator {
  id: string
  branchId: string
}

/**
 * 评诺 by a branch admin: each item once, on a published pledge. A branch that belongs to an upper
 * organization pledged to it (支部向上级党组织承诺), so that pledge is the organization's to evaluate,
 * not the branch's own (issue 14 point 4); a single-branch install still evaluates its own.
 */
export async function evaluatePledge(trx: Trx, actor: Actor, id: string, body: EvaluateBody, today: string): Promise<EvaluateResponse> {
  if (!hasRole(actor.role, 'branch_admin'))
    throw forbidden('PLEDGE_EVALUATORS_ONLY')
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  if (pledge.ownerKind === 'branch' && await upperOrgOfBranch(trx, actor.branchId))
    throw forbidden('BRANCH_PLEDGE_UPPER_EVALUATES')
  return recordEvaluation(trx, actor, pledge, body, today)
}

/** Records the 评诺 of `pledge`'s items by `evaluator` (checked by the caller), its points and its change. */
export async function recordEvaluation(trx: Trx, evaluator: Evaluator, pledge: Pledge, body: EvaluateBody, today: string): Promise<EvaluateResponse> {
  const id = pledge.id
  const actor = evaluator
  if (pledge.status !== 'published')
    throw failure(409, 'PLEDGE_NOT_PUBLISHED')
  const seen = new Set<string>()
  for (const e of body.items) {
    const item = pledge.items.find(i => i.id === e.itemId)
    if (!item)
      throw failure(400, 'ITEM_NOT_IN_PLEDGE')
    if (seen.has(e.itemId))
      throw failure(400, 'ITEM_TWICE')
    seen.add(e.itemId)
    if (item.result)
      throw failure(409, 'ITEM_EVALUATED')
  }
  const now = nowIso()
  for (const e of body.items) {
    const changed = await trx.updateTable('pledge_item').set({
      result: e.result,
      result_comment: (e.comment ?? '').trim(),
      excused: e.excused && e.result === 'broken' ? 1 : 0,
      evaluated_by: actor.id,
      evaluated_at: now,
    }).where('id', '=', e.itemId).where('result', 'is', null).executeTakeFirst()
    if (Number(changed.numUpdatedRows) !== 1)
      throw failure(409, 'ITEM_EVALUATED')
  }
  const effects = evaluationPoints(pledge, body.items.map(e => ({ itemId: e.itemId, result: e.result, excused: e.excused === true })), today)
  const granted = await postEvaluationPoints(trx, actor, effects)
  await writeAudit(trx, actor, { action: 'pledge.evaluate', entity: 'pledge', entityId: id, data: { items: body.items } })
  const after = await pledgeOfBranch(trx, actor.branchId, id)
  await recordPledge(trx, actor.branchId, after)
  return { pledge: after, points: effects.map(({ date: _date, ...e }, n) => ({ ...e, granted: granted[n] ?? null })) }
}
