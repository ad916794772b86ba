import type { Entry, Rule } from '#shared/points/schemas'
import { DEFAULT_RULES } from '#shared/points/default-rules'
import { draftEntry, logRefusal, mayLog, redraftEntry } from '#shared/points/entry'
import { summarize } from '#shared/points/score'
import { describe, expect, it } from 'vitest'

type Scored = Pick<Entry, 'date' | 'category' | 'status' | 'points' | 'granted'>
const entry = (date: string, status: Entry['status'], points: number, granted: number | null = null, category: Entry['category'] = 'serve'): Scored => ({ date, category, status, points, granted })
const settings = { baseScore: 60 }
const veto = { id: 'v1', year: 2026, decision: '党内警告', decidedOn: '2026-05-01', reason: '', createdAt: '2026-05-01T00:00:00Z', revokedAt: null }

describe('the year\'s score', () => {
  it('counts granted points of approved entries by category and month, pending apart, other years and returned or revoked entries not at all', () => {
    const s = summarize(2026, {
      entries: [entry('2026-03-02', 'approved', 3, 2), entry('2026-03-20', 'approved', -2, -2, 'discipline'), entry('2026-07-01', 'pending', 5), entry('2026-07-02', 'returned', 2), entry('2026-08-01', 'revoked', 2, 2), entry('2025-12-31', 'approved', 4, 4)],
      vetoes: [],
      settings,
      yearBases: [],
    })
    expect(s).toMatchObject({ base: 60, ledger: 0, total: 60, pending: 5, pendingCount: 1, veto: null })
    expect(s.byMonth[2]).toBe(0)
    expect(s.byCategory.find(c => c.category === 'serve')).toEqual({ category: 'serve', points: 2, pending: 5 })
    expect(s.byCategory.find(c => c.category === 'discipline')).toEqual({ category: 'discipline', points: -2, pending: 0 })
  })

  it('takes the year\'s own base over the settings\', never goes below 0, and is 0 while a veto stands', () => {
    const records = { entries: [entry('2026-01-05', 'approved', -10, -10, 'uphold')], vetoes: [], settings, yearBases: [{ year: 2026, baseScore: 5 }, { year: 2025, baseScore: 90 }] }
    expect(summarize(2026, records)).toMatchObject({ base: 5, ledger: -10, total: 0 })
    expect(summarize(2025, records)).toMatchObject({ base: 90, total: 90 })
    expect(summarize(2027, records)).toMatchObject({ base: 60, total: 60 })
    expect(summarize(2026, { ...records, yearBases: [], vetoes: [veto] })).toMatchObject({ total: 0, veto: { id: 'v1', decision: '党内警告' } })
    expect(summarize(2026, { ...records, yearBases: [], vetoes: [{ ...veto, revokedAt: '2026-06-01T00:00:00Z' }] })).toMatchObject({ total: 50, veto: null })
  })
})

function rule(more: Partial<Rule> = {}): Rule {
  const { key, ...content } = DEFAULT_RULES.find(r => r.key === 'job-award')!
  return { id: 'r1', key, versionId: 'v2', version: 2, retired: false, sort: 1, updatedAt: '', ...content, ...more }
}

describe('which rules a member may log', () => {
  it('refuses retired, switched-off, organizer-only, check-in, veto and any rule with a deduction tier', () => {
    expect(mayLog(rule())).toBe(true)
    expect(logRefusal(rule({ retired: true }))).toBe('retired')
    expect(logRefusal(rule({ active: false }))).toBe('inactive')
    expect(logRefusal(rule({ selfLog: false }))).toBe('not_self_log')
    expect(logRefusal(rule({ approval: 'checkin' }))).toBe('not_self_log')
    expect(logRefusal(rule({ variants: [{ key: 'a', label: 'a', points: 2 }, { key: 'b', label: 'b', points: -1 }] }))).toBe('not_self_log')
    expect(DEFAULT_RULES.filter(r => mayLog({ ...r, retired: false })).map(r => r.key)).not.toContain('absent')
  })
})

describe('the draft of an entry', () => {
  const member = { id: 'm1', name: 'amy', groupId: 'g1' }
  it('takes the tier\'s points and waits for the branch when the rule is for the branch alone; no tier, no draft', () => {
    const draft = draftEntry({ id: 'e1', member, rule: rule(), variant: 'bureau', date: '2026-03-01', note: ' 表彰 ', now: 'T' })
    expect(draft).toMatchObject({ points: 3, status: 'pending', stage: 'branch', note: '表彰', ruleVersionId: 'v2', revision: 1, granted: null })
    expect(draftEntry({ id: 'e1', member, rule: rule(), variant: null, date: '2026-03-01', note: '', now: 'T' })).toBeNull()
    const group = draftEntry({ id: 'e2', member, rule: rule({ approval: 'group', variants: [], points: 2 }), variant: null, date: '2026-03-01', note: '', now: 'T' })
    expect(group?.stage).toBe('group')
    expect(redraftEntry({ ...draft!, status: 'returned', returnReason: '日期有误' }, { rule: rule({ versionId: 'v3' }), groupId: null, variant: 'city', date: '2026-03-02', note: 'x', now: 'U' }))
      .toMatchObject({ points: 5, status: 'pending', stage: 'branch', revision: 2, ruleVersionId: 'v3', returnReason: null, updatedAt: 'U' })
  })
})
