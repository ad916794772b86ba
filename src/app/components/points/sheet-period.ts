import type { CapPeriod } from '#shared/points/categories'

/** What is wrong with a typed sheet period, as a locale key under points.sheet.problem; null when it is fine. */
export function checkSheetPeriod(period: CapPeriod, year: unknown, index: unknown): 'year' | 'month' | 'quarter' | null {
  if (!Number.isInteger(year) || (year as number) < 2000 || (year as number) > 2100)
    return 'year'
  if (period === 'year')
    return null
  const max = period === 'month' ? 12 : 4
  return Number.isInteger(index) && (index as number) >= 1 && (index as number) <= max ? null : period
}
