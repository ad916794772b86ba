import type { EntrySource, EntryStatus } from '#shared/points/categories'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import { createHash } from 'node:crypto'
import { firstStage, monthOf, yearOf } from '#shared/points/periods'
import { nowIso } from '../services/tokens'
import { grant, lockMember } from './approval'
import { addEvent, publishEntry } from './entries'
import { versionContent } from './rules'

export interface RuleGrant {
  branchId: string
  memberId: string
  /** The shipped rule's key, e.g. `meeting`, `life-meeting`, `absent`. */
  ruleKey: string
  date: string
  /** What caused it, e.g. `meeting:<id>`: the same source never grants twice to a member. */
  source: string
  /** The entry's source as stored and shown: `checkin` for attendance, `pledge` for 评诺. */
  kind: Extract<EntrySource, 'checkin' | 'pledge'>
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
  const member = await trx.selectFrom('member').select('group_id').where('id', '=', g.memberId).executeTakeFirstOrThrow()
  const atOnce = g.reviewed === true || content.approval === 'checkin'
  await trx.insertInto('point_entry').values({
    id,
    branch_id: g.branchId,
    member_id: g.memberId,
    rule_id: rule.rule_id_,
    rule_version_id: rule.id,
    category: content.category,
    rule_name: content.name,
    variant: null,
    date: g.date,
    year: yearOf(g.date),
    note: g.note,
    points: content.points,
    granted: null,
    clipped: 0,
    status: 'pending',
    stage: atOnce ? null : firstStage(content.approval, member.group_id !== null),
    source: g.kind,
    revision: 1,
    group_approved_by: null,
    group_approved_at: null,
    reviewed_by: null,
    reviewed_at: null,
    return_code: null,
    return_reason: null,
    created_by: g.actorId,
    created_at: now,
    updated_at: now,
  }).execute()
  await addEvent(trx, id, g.actorId, 'recorded', { source: g.source, month: monthOf(g.date) })
  if (!atOnce) {
    await publishEntry(trx, id)
    return outcomeOf({ granted: null, points: content.points, status: 'pending' })
  }
  const entry = await grant(trx, { id: g.actorId }, id)
  return outcomeOf({ granted: entry.granted, points: entry.points, status: entry.status })
}

function outcomeOf(e: { granted: number | null, points: number, status: string }): GrantOutcome {
  return { points: e.status === 'approved' ? e.granted ?? 0 : e.points, status: e.status as EntryStatus }
}
