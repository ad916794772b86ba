import { DEFAULT_RULES } from '#shared/points/default-rules'
import { checkEntryDate, clipToCap, clipToFloor, firstStage, isCalendarDate, localDate, needsBranchAdmin, periodBounds, periodOf, resolvePoints, yearTotal } from '#shared/points/periods'
import { describe, expect, it } from 'vitest'

describe('points arithmetic', () => {
  it('clips a grant to what is left of its cap, and never below 0', () => {
    expect(clipToCap(3, 12, 0)).toEqual({ granted: 3, clipped: 0 })
    expect(clipToCap(3, 12, 10)).toEqual({ granted: 2, clipped: 1 })
    expect(clipToCap(3, 12, 12)).toEqual({ granted: 0, clipped: 3 })
    expect(clipToCap(3, null, 100)).toEqual({ granted: 3, clipped: 0 })
  })

  it('clips a deduction at the year\'s floor of 0', () => {
    expect(clipToFloor(-2, 10)).toEqual({ granted: -2, clipped: 0 })
    expect(clipToFloor(-10, 4)).toEqual({ granted: -4, clipped: 6 })
    expect(clipToFloor(-1, 0)).toEqual({ granted: 0, clipped: 1 })
    expect(yearTotal(60, -70, false)).toBe(0)
    expect(yearTotal(60, 12, true)).toBe(0)
  })

  it('finds the month, quarter and year around a date, leap years included', () => {
    expect(periodOf('month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(periodOf('quarter', '2026-11-28')).toEqual({ from: '2026-10-01', to: '2026-12-31' })
    expect(periodBounds('year', 2026)).toEqual({ from: '2026-01-01', to: '2026-12-31' })
  })

  it('checks entry dates: real, not future, not before the period opens, year closed after the grace days', () => {
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(checkEntryDate('2026-11-29', '2026-11-28', null)).toBe('future')
    expect(checkEntryDate('2026-03-01', '2026-11-28', '2026-04-01')).toBe('before_open')
    expect(checkEntryDate('2025-12-31', '2026-01-15', null)).toBeNull()
    expect(checkEntryDate('2025-12-31', '2026-01-16', null)).toBe('year_closed')
    expect(checkEntryDate('2024-12-31', '2026-01-02', null)).toBe('year_closed')
  })

  it('counts today in Beijing time', () => {
    expect(localDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01')
  })

  it('routes approval: 5 or more and deductions need a branch admin', () => {
    expect(needsBranchAdmin('group', 2)).toBe(false)
    expect(needsBranchAdmin('group', 5)).toBe(true)
    expect(needsBranchAdmin('group', -1)).toBe(true)
    expect(needsBranchAdmin('group_then_branch', 1)).toBe(true)
    expect(firstStage('group', false)).toBe('branch')
    expect(firstStage('branch', true)).toBe('branch')
  })

  it('ships rules whose tiers resolve and whose deductions organizers record', () => {
    const training = DEFAULT_RULES.find(r => r.key === 'training')!
    expect(resolvePoints(training, 'long')).toBe(3)
    expect(resolvePoints(training, null)).toBeNull()
    expect(DEFAULT_RULES.filter(r => r.points < 0).every(r => !r.selfLog)).toBe(true)
    expect(new Set(DEFAULT_RULES.map(r => r.key)).size).toBe(DEFAULT_RULES.length)
  })
})
