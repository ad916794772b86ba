import type { ReviewStatus } from '#shared/reviews/constants'
import { MEMBER_DIMENSIONS, SCORES } from '#shared/reviews/constants'

/** The five 五带头 dimensions and the four answers, in the order the forms show them. */
export const DIMENSIONS = MEMBER_DIMENSIONS
export const CHOICES = SCORES

/** The organizer's next step from each status (draft may go straight to rating, but the page offers the usual order). */
export const NEXT_STEP: Record<ReviewStatus, 'open' | 'rating' | 'closed' | null> = {
  draft: 'open',
  open: 'rating',
  rating: 'closed',
  closed: null,
}

/** An average as the sheet prints it: two decimals, or a dash where nobody rated. */
export function average(n: number | null): string {
  return n === null ? '—' : n.toFixed(2)
}

/** The periods an organizer picks from: this year's and last year's halves and the years. */
export function periodChoices(now = new Date()): string[] {
  const y = now.getFullYear()
  return [`${y}-H2`, `${y}-H1`, `${y}-Y`, `${y - 1}-H2`, `${y - 1}-H1`, `${y - 1}-Y`]
}
