import type { Grade } from '../appraisal/constants'
import type { ShortlistFactor } from './constants'

/*
 * The commendation shortlist (issue 13 item 4): a pure function both sides may run; the server
 * computes it from the record, the phone shows it with the weights beside it.
 *
 * Normalisation (each factor to 0…1 before weighting):
 *   points     the year's total ÷ the highest total among the candidates (0 when all have 0);
 *   review     the 讲评 overall average on its 1–4 scale: (average − 1) ÷ 3;
 *   pledges    pledge items kept ÷ the most kept by any candidate (0 when none kept any);
 *   appraisal  the 民主评议 final grade: 优秀 1, 合格 ⅔, 基本合格 ⅓, 不合格 0;
 *   attendance (groups) the share of attendances over expected ones, already 0…1.
 * A candidate without a figure counts 0 for it. A factor no candidate has a figure for (no closed
 * 讲评, no 民主评议 decided yet) is left out and its weight with it, so the others still add up to
 * 100. Score = Σ weight × normalised ÷ Σ weights of the factors used, × 100, to one decimal.
 * Ties are broken by name (Intl.Collator('zh-CN'), pinyin order), then by id.
 */

/** What a group is weighed on: its own figures; attendance takes the share of the member-only factors. */
export const GROUP_FACTORS = ['points', 'pledges', 'attendance'] as const
export type Factor = ShortlistFactor | 'attendance'

export const GRADE_VALUE: Record<Grade, number> = { excellent: 1, qualified: 2 / 3, basic: 1 / 3, unqualified: 0 }

export interface CandidateFigures {
  id: string
  name: string
  /** A member's year total, or a group's average per member. */
  points: number | null
  /** 讲评 overall average (1–4). */
  review?: number | null
  /** Pledge items evaluated 已兑现. */
  pledgesKept: number | null
  grade?: Grade | null
  /** A group's attendance rate, 0…1. */
  attendance?: number | null
}

export interface ScoredCandidate extends CandidateFigures {
  /** 0…100, one decimal. */
  score: number
  /** Each factor's normalised value (0…1) as used, for the side-by-side figures. */
  parts: Partial<Record<Factor, number>>
}

const ZH = new Intl.Collator('zh-CN')

function valueOf(c: CandidateFigures, f: Factor): number | null {
  switch (f) {
    case 'points': return c.points
    case 'review': return c.review ?? null
    case 'pledges': return c.pledgesKept
    case 'appraisal': return c.grade ? GRADE_VALUE[c.grade] : null
    case 'attendance': return c.attendance ?? null
  }
}

/** The weights a group is scored with: points and pledges as set, attendance with review + appraisal's share. */
export function groupWeights(w: Record<ShortlistFactor, number>): Partial<Record<Factor, number>> {
  return { points: w.points, pledges: w.pledges, attendance: w.review + w.appraisal }
}

/** Candidates scored and ordered best first (see the normalisation above). */
export function shortlist(candidates: readonly CandidateFigures[], weights: Partial<Record<Factor, number>>): ScoredCandidate[] {
  const factors = (Object.keys(weights) as Factor[]).filter(f => (weights[f] ?? 0) > 0 && candidates.some(c => valueOf(c, f) !== null))
  const max = (f: Factor) => Math.max(0, ...candidates.map(c => valueOf(c, f) ?? 0))
  const tops = new Map(factors.map(f => [f, max(f)]))
  const norm = (f: Factor, v: number | null): number => {
    if (v === null)
      return 0
    if (f === 'points' || f === 'pledges') {
      const top = tops.get(f)!
      return top > 0 ? Math.max(0, v) / top : 0
    }
    if (f === 'review')
      return Math.min(1, Math.max(0, (v - 1) / 3))
    return Math.min(1, Math.max(0, v))
  }
  const total = factors.reduce((s, f) => s + weights[f]!, 0)
  const scored = candidates.map((c) => {
    const parts: Partial<Record<Factor, number>> = {}
    let sum = 0
    for (const f of factors) {
      parts[f] = norm(f, valueOf(c, f))
      sum += weights[f]! * parts[f]
    }
    return { ...c, parts, score: total > 0 ? Math.round((sum / total) * 1000) / 10 : 0 }
  })
  return scored.sort((a, b) => b.score - a.score || ZH.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
