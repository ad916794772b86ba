import type { Category } from './categories'
import type { Entry, PointsSettings, Summary, Veto } from './schemas'
import { CATEGORIES } from './categories'
import { emptyByCategory, monthOf, yearOf, yearTotal } from './periods'

/** A year's own base score, set by a branch admin (PUT /api/points/base/:year). */
export interface YearBase {
  year: number
  baseScore: number
}

/** What a score is computed from: the same records on the server and on the member's phone. */
export interface ScoreRecords {
  /** The member's entries (any year; others are skipped). */
  entries: readonly Pick<Entry, 'date' | 'category' | 'status' | 'points' | 'granted'>[]
  /** The member's 一票否决 decisions, revoked ones included. */
  vetoes: readonly Pick<Veto, 'id' | 'year' | 'decision' | 'decidedOn' | 'reason' | 'createdAt' | 'revokedAt'>[]
  settings: Pick<PointsSettings, 'baseScore'>
  yearBases: readonly YearBase[]
}

/** The year's score as the member sees it; the server adds who, which year and the rank. */
export type YearScore = Omit<Summary, 'memberId' | 'year' | 'rank'>

/** The year's base score: the year's own value if the branch set one, else the branch's default. */
export function baseOf(year: number, settings: Pick<PointsSettings, 'baseScore'>, yearBases: readonly YearBase[]): number {
  return yearBases.find(b => b.year === year)?.baseScore ?? settings.baseScore
}

/** The 一票否决 standing for the year: the earliest decision not revoked. */
export function standingVeto<V extends Pick<Veto, 'year' | 'createdAt' | 'revokedAt'>>(vetoes: readonly V[], year: number): V | undefined {
  return vetoes.filter(v => v.year === year && !v.revokedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]
}

/**
 * What an entry adds to the ledger: its granted points once approved (after its cap and the floor
 * clipped them). A revoked entry's grant and its reversal cancel out, and pending or returned
 * entries have none — so the year's ledger is the sum of this over its entries.
 */
export function ledgerAmount(e: Pick<Entry, 'status' | 'granted'>): number {
  return e.status === 'approved' ? e.granted ?? 0 : 0
}

/**
 * The year's score: base plus the ledger (never below 0, 0 under 一票否决), by 五带头 category and
 * by month of the entry's date; points still under review apart, never in the total.
 */
export function summarize(year: number, records: ScoreRecords): YearScore {
  const byCat = emptyByCategory()
  const pendingByCat = emptyByCategory()
  const byMonth = Array.from({ length: 12 }, () => 0)
  let ledger = 0
  let pending = 0
  let pendingCount = 0
  for (const e of records.entries) {
    if (yearOf(e.date) !== year)
      continue
    const amount = ledgerAmount(e)
    ledger += amount
    byCat[e.category as Category] += amount
    byMonth[monthOf(e.date) - 1]! += amount
    if (e.status === 'pending') {
      pending += e.points
      pendingCount++
      pendingByCat[e.category as Category] += e.points
    }
  }
  const base = baseOf(year, records.settings, records.yearBases)
  const veto = standingVeto(records.vetoes, year)
  return {
    base,
    ledger,
    total: yearTotal(base, ledger, Boolean(veto)),
    pending,
    pendingCount,
    byCategory: CATEGORIES.map(c => ({ category: c, points: byCat[c], pending: pendingByCat[c] })),
    byMonth,
    veto: veto ? { id: veto.id, decision: veto.decision, decidedOn: veto.decidedOn, reason: veto.reason } : null,
  }
}
