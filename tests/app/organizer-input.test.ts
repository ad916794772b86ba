import type { AdjustInput } from '#app/components/organizer/adjust-input'
import type { Pledge } from '#shared/pledges/schemas'
import type { Rule } from '#shared/points/schemas'
import { dueItems } from '#app/components/home/due-items'
import { adjustableRules, checkAdjust } from '#app/components/organizer/adjust-input'
import { auditLine } from '#app/components/organizer/audit-text'
import { checkSheetPeriod } from '#app/components/points/sheet-period'
import { describe, expect, it } from 'vitest'

function rule(more: Partial<Rule>): Rule {
  return { id: 'r1', key: null, versionId: 'v1', version: 1, category: 'serve', name: '志愿服务', points: 2, variants: [], capPoints: null, capPeriod: null, approval: 'group', evidence: '', selfLog: true, active: true, veto: false, retired: false, sort: 0, updatedAt: '', ...more }
}
const rules = [
  rule({}),
  rule({ id: 'tiers', name: '表彰', variants: [{ key: 'city', label: '市级', points: 5 }] }),
  rule({ id: 'veto', name: '处分', points: 0, veto: true }),
  rule({ id: 'old', retired: true }),
]
const today = '2026-11-30'
const base: AdjustInput = { memberIds: ['m1'], mode: 'rule', ruleId: 'r1', variant: null, category: '', points: '', date: today, reason: '进社区宣传' }

describe('记分/扣分 input', () => {
  it('should offer neither 一票否决 nor retired rules for points', () => {
    expect(adjustableRules(rules).map(r => r.id)).toEqual(['r1', 'tiers'])
  })

  it('should send a rule\'s own points with the trimmed reason', () => {
    expect(checkAdjust({ ...base, reason: '  进社区宣传 ' }, rules, today)).toEqual({ body: { date: today, reason: '进社区宣传', ruleId: 'r1' }, points: 2 })
    expect(checkAdjust({ ...base, ruleId: 'tiers', variant: 'city' }, rules, today)).toMatchObject({ body: { ruleId: 'tiers', variant: 'city' }, points: 5 })
  })

  it('should name every field that is wrong instead of sending', () => {
    const res = checkAdjust({ ...base, memberIds: [], ruleId: 'veto', date: '2026-12-01', reason: '   ' }, rules, today)
    expect(res).toEqual({ problems: { members: 'members', rule: 'rule', date: 'dateFuture', reason: 'reason' } })
    expect(checkAdjust({ ...base, ruleId: 'tiers', variant: null }, rules, today)).toEqual({ problems: { variant: 'variant' } })
    expect(checkAdjust({ ...base, reason: 'x'.repeat(201) }, rules, today)).toEqual({ problems: { reason: 'reasonLong' } })
    expect(checkAdjust({ ...base, date: '2026-02-30' }, rules, today)).toEqual({ problems: { date: 'date' } })
    expect(checkAdjust({ ...base, date: '2024-06-01' }, rules, today)).toEqual({ problems: { date: 'dateClosed' } })
  })

  it('should take free points only as a whole non-zero number within ±100 with a category', () => {
    const free = { ...base, mode: 'free' as const, category: 'discipline' as const }
    expect(checkAdjust({ ...free, points: '-3' }, rules, today)).toEqual({ body: { date: today, reason: '进社区宣传', category: 'discipline', points: -3 }, points: -3 })
    for (const typed of ['0', '', '1.5', '101', 'abc', '--2'])
      expect(checkAdjust({ ...free, points: typed }, rules, today)).toEqual({ problems: { points: 'points' } })
    expect(checkAdjust({ ...free, category: '', points: '2' }, rules, today)).toEqual({ problems: { category: 'category' } })
  })
})

describe('pledge items flagged on the home screen', () => {
  const item = (id: string, dueDate: string, more: Partial<Pledge['items'][number]> = {}) => ({ id, sort: 0, category: 'excel' as const, duty: '岗位', target: `目标${id}`, dueDate, progressStatus: 'in_progress' as const, percent: 40, progressNote: '', progressAt: null, result: null, resultComment: '', excused: false, pointsRuleKey: null, pointsAmount: null, evaluatedAt: null, ...more })
  const pledge = (status: Pledge['status'], items: Pledge['items']): Pledge => ({ id: `p-${status}`, ownerKind: 'member', ownerName: '张三', memberId: 'm1', groupId: 'g1', groupName: '一组', year: 2026, stage: null, supervisor: '', supervisorContact: '', status, returnReason: null, liveStatus: 'in_progress', createdBy: 'm1', submittedAt: null, reviewedAt: null, publishedAt: null, updatedAt: '', items })

  it('should list overdue items first, then those due within a week, and leave out done, evaluated, distant and draft ones', () => {
    const list = dueItems([
      pledge('published', [
        item('soon', '2026-12-05'),
        item('late', '2026-11-20'),
        item('done', '2026-11-01', { progressStatus: 'done', percent: 100 }),
        item('judged', '2026-11-02', { result: 'broken' }),
        item('far', '2026-12-31'),
      ]),
      pledge('draft', [item('draft', '2026-11-01')]),
    ], today)
    expect(list.map(i => [i.itemId, i.flag])).toEqual([['late', 'overdue'], ['soon', 'due_soon']])
    expect(list[0]).toMatchObject({ pledgeId: 'p-published', ownerName: '张三', target: '目标late', percent: 40 })
  })
})

describe('the record sheet\'s period', () => {
  it('should accept a year, a month 1–12 and a quarter 1–4, and say which is wrong otherwise', () => {
    expect(checkSheetPeriod('year', 2026, 99)).toBeNull()
    expect(checkSheetPeriod('month', 2026, 12)).toBeNull()
    expect(checkSheetPeriod('quarter', 2026, 4)).toBeNull()
    expect(checkSheetPeriod('quarter', 2026, 5)).toBe('quarter')
    expect(checkSheetPeriod('month', 2026, 0)).toBe('month')
    expect(checkSheetPeriod('month', 2026, '')).toBe('month')
    expect(checkSheetPeriod('year', 1999, 1)).toBe('year')
    expect(checkSheetPeriod('year', '', 1)).toBe('year')
  })
})

describe('audit trail in words', () => {
  it('should say who was affected, the points moved and why', () => {
    const names = (id: string) => (id === 'm1' ? '张三' : null)
    expect(auditLine({ id: '1', at: '', actorName: '书记', action: 'points.revoke', entity: 'point_entry', entityId: 'e', data: { memberId: 'm1', amount: -2, reason: '重复申报' } }, names))
      .toEqual({ actionKey: 'revoke', action: 'points.revoke', memberName: '张三', points: -2, why: '重复申报' })
    expect(auditLine({ id: '2', at: '', actorName: '书记', action: 'points.veto', entity: 'point_veto', entityId: 'v', data: { memberId: 'm1', year: 2026, decision: '支委会决定 3 号', decidedOn: '2026-11-30', reason: '处分' } }, names))
      .toMatchObject({ actionKey: 'veto', points: null, why: '支委会决定 3 号 · 2026-11-30 · 处分' })
    expect(auditLine({ id: '3', at: '', actorName: null, action: 'points.rule.retire', entity: 'point_rule', entityId: 'r', data: { name: '线上学习' } }, names))
      .toMatchObject({ actionKey: 'rule_retire', memberName: null, why: '线上学习' })
    expect(auditLine({ id: '4', at: '', actorName: null, action: 'points.future_thing', entity: 'x', entityId: null, data: {} }, names).actionKey).toBeNull()
  })
})
