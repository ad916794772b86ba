import type { RuleContent } from './default-rules'
import type { Entry, Rule } from './schemas'
import { firstStage, resolvePoints } from './periods'

/** Why a member may not log a rule themselves; the codes the server's entry ops answer with. */
export type LogRefusal = 'retired' | 'inactive' | 'not_self_log'

/**
 * Whether a member may log the rule on their own (记积分): switched on, not retired, marked
 * self-logged, and worth points in every tier — deductions, 一票否决 and check-in items are
 * recorded by organizers and the meeting check-in only.
 */
export function logRefusal(rule: RuleContent & Pick<Rule, 'retired'>): LogRefusal | null {
  if (rule.retired)
    return 'retired'
  if (!rule.active)
    return 'inactive'
  const selfLoggable = rule.selfLog && !rule.veto && rule.approval !== 'checkin' && rule.points >= 0 && rule.variants.every(v => v.points >= 0)
  return selfLoggable ? null : 'not_self_log'
}

export const mayLog = (rule: RuleContent & Pick<Rule, 'retired'>): boolean => logRefusal(rule) === null

/** The member an entry is for, and whether they have a 党小组 (its leader reviews first). */
export interface EntryMember { id: string, name: string, groupId: string | null }

export type DraftRule = Pick<Rule, 'id' | 'versionId' | 'name' | 'category' | 'approval' | 'points' | 'variants'>

/**
 * A member's new entry, as the phone shows it at once (待同步) and the server stores it: pending at
 * its first review stage, worth the rule's (or the tier's) points. null when the tier is missing.
 */
export function draftEntry(input: { id: string, member: EntryMember, rule: DraftRule, variant: string | null, date: string, note: string, photoIds?: string[], now: string }): Entry | null {
  const { rule, member, now } = input
  const points = resolvePoints(rule, input.variant)
  if (points === null)
    return null
  return {
    id: input.id,
    memberId: member.id,
    memberName: member.name,
    ruleId: rule.id,
    ruleVersionId: rule.versionId,
    ruleName: rule.name,
    category: rule.category,
    variant: input.variant,
    date: input.date,
    note: input.note.trim(),
    points,
    granted: null,
    clipped: 0,
    status: 'pending',
    stage: firstStage(rule.approval, member.groupId !== null),
    source: 'member',
    revision: 1,
    reviewerName: null,
    returnCode: null,
    returnReason: null,
    createdAt: now,
    updatedAt: now,
    photoIds: input.photoIds ?? [],
  }
}

/**
 * A returned entry, corrected and sent again: checked against the rule as it is now, it takes
 * the rule's current version and goes back to its first review stage. null when the tier is missing.
 */
export function redraftEntry(entry: Entry, input: { rule: DraftRule, groupId: string | null, variant: string | null, date: string, note: string, photoIds?: string[], now: string }): Entry | null {
  const { rule } = input
  const points = resolvePoints(rule, input.variant)
  if (points === null)
    return null
  return {
    ...entry,
    ruleVersionId: rule.versionId,
    ruleName: rule.name,
    category: rule.category,
    variant: input.variant,
    date: input.date,
    note: input.note.trim(),
    points,
    status: 'pending',
    stage: firstStage(rule.approval, input.groupId !== null),
    revision: entry.revision + 1,
    reviewerName: null,
    returnCode: null,
    returnReason: null,
    updatedAt: input.now,
    photoIds: input.photoIds ?? entry.photoIds ?? [],
  }
}
