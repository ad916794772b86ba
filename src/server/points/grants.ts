import type { EntrySource, EntryStatus } from '#shared/points/categories'
import type { DraftRule } from '#shared/points/entry'
import type { AdjustmentBody, Entry } from '#shared/points/schemas'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { OpHandler } from '../sync/registry'
import { createHash } from 'node:crypto'
import { adjustmentWaits, draftAdjustment, draftEntry } from '#shared/points/entry'
import { ADJUST_REJECT, ENTRY_REJECT, POINTS_ENTITY, pointsAdjust } from '#shared/points/ops'
import { checkEntryDate, localDate, monthOf } from '#shared/points/periods'
import { failure, refusal } from '../errors'
import { refusalsAsRejections } from '../sync/registry'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { isOrganizerOver } from './access'
import { grant, lockMember } from './approval'
import { audit } from './audit'
import { addEvent, insertEntry, publishEntry } from './entries'
import { loadRule, versionContent } from './rules'

export interface RuleGrant {
  branchId: string
  memberId: string
  /** The shipped rule's key, e.g. `meeting`, `life-meeting`, `absent`. */
  ruleKey: string
  date: string
  /** What caused it, e.g. `meeting:<id>`: the same source never grants twice to a member. */
  source: string
  /** The entry's source as stored and shown: `checkin` for attendance, `pledge` for 评诺. */
  kind: Extract<EntrySource, 'checkin' | 'pledge' | 'organizer'>
  /** A tiered rule's tier (e.g. job-award's `bureau` for a 局级 commendation); otherwise the rule's own points. */
  variant?: string
  note: string
  /** The organizer whose action granted it (e.g. who closed the meeting). */
  actorId: string
  /**
   * The actor's act is itself the review the rule asks for (评诺 is done by a branch admin, whom
   * a `branch` rule needs): the entry is approved at once. Otherwise only a `checkin` rule (the
   * check-in is the proof) is approved at once; any other waits in the review queue at the rule's
   * first stage, as a member's own entry would.
   */
  reviewed?: boolean
}

/** What a grant came to: the points granted once approved, else the points the entry asks for. */
export interface GrantOutcome {
  points: number
  status: EntryStatus
}

/** A stable entry id for (source, member): a second call finds the first entry instead of granting again. */
function entryIdFor(source: string, memberId: string): string {
  const h = createHash('sha256').update(`${source}\n${memberId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * For other features (meeting attendance, 评诺): an entry under a rule for a member, inside the
 * caller's transaction, reviewed as the rule's approval says (see RuleGrant.reviewed); once
 * approved, the ledger applies its cap and the floor. Returns what it came to, or null when the
 * branch has no such rule or switched it off. Idempotent per (source, member).
 */
export async function grantByRule(trx: Transaction<Database>, g: RuleGrant): Promise<GrantOutcome | null> {
  const id = entryIdFor(g.source, g.memberId)
  const existing = await trx.selectFrom('point_entry').select(['granted', 'points', 'status']).where('id', '=', id).executeTakeFirst()
  if (existing)
    return outcomeOf(existing)
  const rule = await trx.selectFrom('point_rule')
    .innerJoin('point_rule_version as v', 'v.id', 'point_rule.current_version_id')
    .selectAll('v')
    .select(['point_rule.id as rule_id_', 'point_rule.retired_at'])
    .where('point_rule.branch_id', '=', g.branchId)
    .where('point_rule.key', '=', g.ruleKey)
    .executeTakeFirst()
  if (!rule || rule.retired_at || rule.active !== 1)
    return null
  const content = versionContent(rule)
  const now = nowIso()
  await lockMember(trx, g.memberId)
  const member = await trx.selectFrom('member').select(['id', 'name', 'group_id']).where('id', '=', g.memberId).executeTakeFirstOrThrow()
  const atOnce = g.reviewed === true || content.approval === 'checkin'
  // A rule grant is worth the rule's own points unless the caller names a tier (a commendation's level).
  const tiered = g.variant !== undefined && content.variants.some(v => v.key === g.variant)
  const draftRule: DraftRule = { ...content, id: rule.rule_id_, versionId: rule.id, variants: tiered ? content.variants : [] }
  const draft = draftEntry({ id, member: { id: member.id, name: member.name, groupId: member.group_id }, rule: draftRule, variant: tiered ? g.variant! : null, date: g.date, note: g.note, now, source: g.kind, ...(atOnce ? { stage: null } : {}) })!
  await insertEntry(trx, draft, { branchId: g.branchId, createdBy: g.actorId })
  await addEvent(trx, id, g.actorId, 'recorded', { source: g.source, month: monthOf(g.date) })
  if (!atOnce) {
    await publishEntry(trx, id)
    return outcomeOf({ granted: null, points: draft.points, status: 'pending' })
  }
  const entry = await grant(trx, { id: g.actorId }, id)
  return outcomeOf({ granted: entry.granted, points: entry.points, status: entry.status })
}

function outcomeOf(e: { granted: number | null, points: number, status: string }): GrantOutcome {
  return { points: e.status === 'approved' ? e.granted ?? 0 : e.points, status: e.status as EntryStatus }
}

/**
 * An organizer's grant or deduction (加分/扣分) with a reason, for the REST route and the
 * `points.adjust` op alike. A branch admin's takes effect at once (the ledger applies the rule's
 * cap and the year's floor of 0, clipping what is over); a group leader's (only over their
 * group) waits for a branch admin when it is a deduction, worth 5 or more, or by a rule for the
 * branch (adjustmentWaits). Refusals carry the ADJUST_REJECT codes.
 */
export async function adjustPoints(trx: Transaction<Database>, actor: Actor, body: AdjustmentBody & { id?: string }): Promise<Entry> {
  const row = await trx.selectFrom('member').select(['id', 'branch_id', 'group_id', 'name', 'active']).where('id', '=', body.memberId).executeTakeFirst()
  if (!row || row.branch_id !== actor.branchId)
    throw failure(404, ADJUST_REJECT.memberUnknown)
  const member = { id: row.id, branchId: row.branch_id, groupId: row.group_id, name: row.name }
  if (member.id === actor.id)
    throw failure(403, ADJUST_REJECT.own)
  if (row.active !== 1)
    throw failure(409, ADJUST_REJECT.memberLeft, { name: member.name })
  if (!isOrganizerOver(actor, member))
    throw failure(403, ADJUST_REJECT.notInScope, { name: member.name })
  let rule: DraftRule | null = null
  if (body.ruleId) {
    const found = await loadRule(trx, actor.branchId, body.ruleId)
    if (!found || found.rule.retired_at)
      throw failure(400, ADJUST_REJECT.ruleUnknown)
    if (!found.content.active)
      throw failure(409, ADJUST_REJECT.ruleInactive, { rule: found.content.name })
    if (found.content.veto)
      throw failure(400, ADJUST_REJECT.ruleIsVeto)
    rule = { ...found.content, id: found.rule.id, versionId: found.version.id }
  }
  const now = nowIso()
  const draft = draftAdjustment({ id: body.id ?? newId(), member, rule, variant: body.variant ?? null, category: body.category, points: body.points, date: body.date, reason: body.reason, now })
  if (rule && !draft)
    throw failure(400, ADJUST_REJECT.variant)
  if (rule && draft && body.points !== undefined && body.points !== draft.points)
    throw failure(400, ADJUST_REJECT.pointsNotAllowed, { points: draft.points })
  if (!draft)
    throw failure(400, ADJUST_REJECT.incomplete)
  const problem = checkEntryDate(body.date, localDate(new Date()), null)
  if (problem)
    throw problem === 'future' ? refusal(400, ADJUST_REJECT.date, ENTRY_REJECT.dateFuture) : failure(400, ADJUST_REJECT.date)
  if (await trx.selectFrom('point_entry').select('id').where('id', '=', draft.id).executeTakeFirst())
    throw failure(409, ADJUST_REJECT.idTaken)
  const waits = adjustmentWaits(actor.role, rule, draft.points)
  await insertEntry(trx, draft, { branchId: actor.branchId, createdBy: actor.id, groupApprovedBy: waits ? actor.id : undefined })
  await addEvent(trx, draft.id, actor.id, 'recorded', { points: draft.points, reason: body.reason })
  await audit(trx, { branchId: actor.branchId, actorId: actor.id, action: 'points.adjust', entity: POINTS_ENTITY.entry, entityId: draft.id, data: { memberId: member.id, points: draft.points, reason: body.reason } })
  if (waits)
    return publishEntry(trx, draft.id)
  await lockMember(trx, member.id)
  return grant(trx, actor, draft.id)
}

/**
 * `points.adjust`: the organizer's phone queues 加分/扣分 offline; the same service as the REST
 * route decides it, and each of its refusals becomes the op's rejection (same code and words),
 * shown in the organizer's 同步失败 list.
 */
export const pointsAdjustHandler: OpHandler<typeof pointsAdjust.payload> = {
  definition: pointsAdjust,
  role: 'group_leader',
  async apply({ actor, trx }, p) {
    return refusalsAsRejections(() => adjustPoints(trx, actor, p))
  },
}
