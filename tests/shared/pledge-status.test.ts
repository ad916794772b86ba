import { dueFlag, liveStatus, todayIn } from '#shared/pledges/status'
import { describe, expect, it } from 'vitest'

const item = (dueDate: string, progressStatus: 'not_started' | 'in_progress' | 'done' = 'in_progress', result: 'kept' | 'partial' | 'broken' | null = null) => ({ dueDate, progressStatus, result })

describe('pledge item flags and live status', () => {
  it('should flag an unfinished item past its due date as overdue and one within 7 days as due soon', () => {
    expect(dueFlag(item('2026-11-27'), '2026-11-28')).toBe('overdue')
    expect(dueFlag(item('2026-12-05'), '2026-11-28')).toBe('due_soon')
    expect(dueFlag(item('2026-12-06'), '2026-11-28')).toBeNull()
    expect(dueFlag(item('2026-11-01', 'done'), '2026-11-28')).toBeNull()
    expect(dueFlag(item('2026-11-01', 'in_progress', 'partial'), '2026-11-28')).toBeNull()
  })

  it('should call a pledge completed, overdue, in progress or unfulfilled from its items', () => {
    const today = '2026-11-28'
    expect(liveStatus([item('2026-12-31', 'done'), item('2026-01-01', 'done')], today)).toBe('completed')
    expect(liveStatus([item('2026-12-31'), item('2026-01-01')], today)).toBe('overdue')
    expect(liveStatus([item('2026-12-31')], today)).toBe('in_progress')
    expect(liveStatus([item('2026-12-31', 'done', 'kept'), item('2026-12-31', 'done', 'partial')], today)).toBe('unfulfilled')
    expect(liveStatus([item('2026-01-01', 'in_progress', 'kept')], today)).toBe('completed')
  })

  it('should count today in China Standard Time, not the server\'s zone', () => {
    expect(todayIn(new Date('2026-11-27T16:30:00Z'))).toBe('2026-11-28')
    expect(todayIn(new Date('2026-11-27T15:30:00Z'))).toBe('2026-11-27')
  })
})
