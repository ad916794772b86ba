import type { Approval, CapPeriod, Category, Stage } from './categories'
import type { RuleContent } from './default-rules'
import { CATEGORIES, POINTS } from './categories'

/*
 * One formatter per time zone, made once: building an Intl.DateTimeFormat costs about 100× its
 * format() (0.25 ms against 2 µs), and reports call localDate for every row they read — the
 * 三会一课 report once per attendance row, 0.8 s of a branch's year when each call built its own.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

/** 'YYYY-MM-DD' of `now` in the branch's time zone (China Standard Time). */
export function localDate(now: Date, timeZone: string = POINTS.timeZone): string {
  let format = formatters.get(timeZone)
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, format)
  }
  return format.format(now)
}

export const yearOf = (date: string) => Number(date.slice(0, 4))
export const monthOf = (date: string) => Number(date.slice(5, 7))
export const quarterOf = (date: string) => Math.ceil(monthOf(date) / 3)

const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** True for a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    return false
  const [y, m, d] = [yearOf(date), monthOf(date), Number(date.slice(8, 10))]
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m)
}

/** First and last day (inclusive) of a month, quarter or year. `index` is the month (1–12) or quarter (1–4). */
export function periodBounds(period: CapPeriod, year: number, index = 1): { from: string, to: string } {
  if (period === 'year')
    return { from: `${year}-01-01`, to: `${year}-12-31` }
  const firstMonth = period === 'month' ? index : (index - 1) * 3 + 1
  const last = period === 'month' ? index : firstMonth + 2
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` }
}

/** The cap period that contains `date`. */
export function periodOf(period: CapPeriod, date: string): { from: string, to: string } {
  const index = period === 'month' ? monthOf(date) : period === 'quarter' ? quarterOf(date) : 1
  return periodBounds(period, yearOf(date), index)
}

/** The points an entry asks for: the tier's when the rule has tiers, else the rule's. null = no such tier / tier missing. */
export function resolvePoints(rule: Pick<RuleContent, 'points' | 'variants'>, variant: string | null | undefined): number | null {
  if (rule.variants.length === 0)
    return variant ? null : rule.points
  if (!variant)
    return null
  return rule.variants.find(v => v.key === variant)?.points ?? null
}

/** Items worth 5 or more and every deduction need a branch admin, whatever the rule's own level. */
export function needsBranchAdmin(approval: Approval, points: number): boolean {
  return approval === 'group_then_branch' || approval === 'branch' || points >= 5 || points < 0
}

/** Where a new entry waits first: the group leader, unless the rule is for the branch alone or the member has no group. */
export function firstStage(approval: Approval, hasGroup: boolean): Stage {
  return approval === 'branch' || !hasGroup ? 'branch' : 'group'
}

/** A grant clipped to what is left of its cap in the period. */
export function clipToCap(requested: number, capPoints: number | null, usedInPeriod: number): { granted: number, clipped: number } {
  if (capPoints === null || requested <= 0)
    return { granted: requested, clipped: 0 }
  const granted = Math.max(0, Math.min(requested, capPoints - usedInPeriod))
  return { granted, clipped: requested - granted }
}

/** A deduction clipped so that the year never goes below 0 (base plus everything granted so far). */
export function clipToFloor(amount: number, yearTotal: number): { granted: number, clipped: number } {
  if (amount >= 0)
    return { granted: amount, clipped: 0 }
  // `+ 0` turns -0 (nothing left to deduct) into 0, which is what the ledger and JSON should carry.
  const granted = Math.max(amount, -Math.max(0, yearTotal)) + 0
  return { granted, clipped: granted - amount }
}

/** The year's total a member sees: base plus the ledger, never below 0, and 0 under 一票否决. */
export function yearTotal(base: number, ledgerSum: number, vetoed: boolean): number {
  return vetoed ? 0 : Math.max(0, base + ledgerSum)
}

export type DateProblem = 'invalid' | 'future' | 'before_open' | 'year_closed'

/**
 * Whether an entry may be dated `date` when the server's today is `today`: a real date, not in
 * the future, not before the branch's period opens, and in the current year — or in last year
 * during the first days of January, for entries made offline at year end.
 */
export function checkEntryDate(date: string, today: string, opensOn: string | null): DateProblem | null {
  if (!isCalendarDate(date))
    return 'invalid'
  if (date > today)
    return 'future'
  if (opensOn && date < opensOn)
    return 'before_open'
  const year = yearOf(date)
  const thisYear = yearOf(today)
  if (year === thisYear)
    return null
  const graceEnd = `${thisYear}-01-${pad(POINTS.yearGraceDays)}`
  return year === thisYear - 1 && today <= graceEnd ? null : 'year_closed'
}

/** Zeroed per-category totals, in the 五带头 order. */
export function emptyByCategory(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map(c => [c, 0])) as Record<Category, number>
}
