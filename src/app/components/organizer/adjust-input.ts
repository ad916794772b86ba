import type { Category } from '#shared/points/categories'
import type { AdjustmentBody, Rule } from '#shared/points/schemas'
import { CATEGORIES, POINTS } from '#shared/points/categories'
import { checkEntryDate, resolvePoints } from '#shared/points/periods'

/** What the organizer filled in on 记分/扣分, as typed. */
export interface AdjustInput {
  memberIds: string[]
  mode: 'rule' | 'free'
  ruleId: string
  variant: string | null
  category: Category | ''
  /** As typed: may be empty, "-3", "+2" or junk. */
  points: string
  date: string
  reason: string
}

/** Field → locale key (under points.organizer.problem) of what is wrong with it. */
export type AdjustProblems = Partial<Record<'members' | 'rule' | 'variant' | 'category' | 'points' | 'date' | 'reason', string>>

/** The rules an organizer may record with: not retired, switched on, and not 一票否决 (a decision, not points). */
export function adjustableRules(rules: Rule[]): Rule[] {
  return rules.filter(r => !r.retired && r.active && !r.veto)
}

/**
 * The same checks the server makes, so a mistake is shown next to its field before anything is
 * sent; the server still checks everything. Returns the body to send for each member, or problems.
 */
export function checkAdjust(input: AdjustInput, rules: Rule[], today: string): { problems: AdjustProblems } | { body: Omit<AdjustmentBody, 'id' | 'memberId'>, points: number } {
  const problems: AdjustProblems = {}
  if (input.memberIds.length === 0)
    problems.members = 'members'
  let points: number | null = null
  const body: Omit<AdjustmentBody, 'id' | 'memberId'> = { date: input.date, reason: input.reason.trim() }
  if (input.mode === 'rule') {
    const rule = adjustableRules(rules).find(r => r.id === input.ruleId)
    if (!rule) {
      problems.rule = 'rule'
    }
    else {
      points = resolvePoints(rule, input.variant)
      if (points === null)
        problems.variant = 'variant'
      body.ruleId = rule.id
      if (rule.variants.length)
        body.variant = input.variant
    }
  }
  else {
    if (!input.category || !CATEGORIES.includes(input.category))
      problems.category = 'category'
    const typed = input.points.trim()
    points = /^[+-]?\d{1,3}$/.test(typed) ? Number(typed) : null
    if (points === null || points === 0 || Math.abs(points) > POINTS.pointsMax)
      problems.points = 'points'
    else if (input.category)
      Object.assign(body, { category: input.category, points })
  }
  const dateProblem = checkEntryDate(input.date, today, null)
  if (dateProblem)
    problems.date = dateProblem === 'future' ? 'dateFuture' : dateProblem === 'invalid' ? 'date' : 'dateClosed'
  if (!body.reason)
    problems.reason = 'reason'
  else if (body.reason.length > POINTS.reasonMax)
    problems.reason = 'reasonLong'
  if (Object.keys(problems).length || points === null)
    return { problems }
  return { body, points }
}
