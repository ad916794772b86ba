import type { Role } from '../roles'
import type { Category, EntrySource, Stage } from './categories'
import type { RuleContent } from './default-rules'
import type { Entry, Rule } from './schemas'
import { firstStage, needsBranchAdmin, resolvePoints } from './periods'

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
 * A new entry, as the phone shows it at once (待同步) and the server stores it: pending, worth the
 * rule's (or the tier's) points. A member's own waits at the rule's first review stage; other
 * features (an organizer's 加分/扣分, a meeting's attendance) say their own source and stage.
 * null when the tier is missing.
 */
export function draftEntry(input: { id: string, member: EntryMember, rule: DraftRule, variant: string | null, date: string, note: string, photoIds?: string[], now: string, source?: EntrySource, stage?: Stage | null }): Entry | null {
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
    stage: input.stage !== undefined ? input.stage : firstStage(rule.approval, member.groupId !== null),
    source: input.source ?? 'member',
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
 * Whether an organizer's 加分/扣分 waits for a branch admin: a branch admin's takes effect at once;
 * a group leader's does too unless it is a deduction, worth 5 or more, or by a rule for the branch.
 * A free-points adjustment counts as a `branch` rule.
 */
export function adjustmentWaits(role: Role, rule: Pick<Rule, 'approval'> | null, points: number): boolean {
  return role !== 'branch_admin' && needsBranchAdmin(rule?.approval ?? 'branch', points)
}

/**
 * An organizer's 加分/扣分 for a member, as the organizer's phone shows it at once (待同步) and the
 * server stores it before granting it: by a rule (its or its tier's points, its category and
 * name) or as free points with a category (named by the reason). Always at the branch stage: it
 * is either granted at once or waits for a branch admin (adjustmentWaits). null when the tier is
 * missing, or free points lack a category or are 0.
 */
export function draftAdjustment(input: { id: string, member: EntryMember, rule: DraftRule | null, variant: string | null, category?: Category, points?: number, date: string, reason: string, now: string }): Entry | null {
  const { rule, member, now } = input
  if (rule)
    return draftEntry({ id: input.id, member, rule, variant: input.variant, date: input.date, note: input.reason, now, source: 'organizer', stage: 'branch' })
  if (input.category === undefined || !input.points)
    return null
  const reason = input.reason.trim()
  return {
    id: input.id,
    memberId: member.id,
    memberName: member.name,
    ruleId: null,
    ruleVersionId: null,
    ruleName: reason,
    category: input.category,
    variant: null,
    date: input.date,
    note: reason,
    points: input.points,
    granted: null,
    clipped: 0,
    status: 'pending',
    stage: 'branch',
    source: 'organizer',
    revision: 1,
    reviewerName: null,
    returnCode: null,
    returnReason: null,
    createdAt: now,
    updatedAt: now,
    photoIds: [],
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
