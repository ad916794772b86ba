import type { LocationQuery } from 'vue-router'

/** The year a 民主评议 screen is about: ?year=, else this year (the appraisal is held at year end). */
export function appraisalYear(query: LocationQuery): number {
  const y = Number(query.year)
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : new Date().getFullYear()
}

/** The 优秀 shares a branch may choose: RULES.md's 1/3 at most, or lower. */
export const SHARES = [{ num: 1, den: 3 }, { num: 1, den: 4 }, { num: 1, den: 5 }] as const

/** A rate 0…1 as a whole percent, or — without one. */
export const percent = (rate: number | null) => rate === null ? '—' : `${Math.round(rate * 100)}%`
