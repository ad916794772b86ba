import type { CandidateFigures } from '#shared/commendations/shortlist'
import { DEFAULT_WEIGHTS } from '#shared/commendations/constants'
import { groupWeights, shortlist } from '#shared/commendations/shortlist'
import { describe, expect, it } from 'vitest'

/** Known figures: the scores below are worked by hand from the normalisation in shortlist.ts. */
const FIXTURE: CandidateFigures[] = [
  { id: 'a', name: '张伟', points: 80, review: 4, pledgesKept: 2, grade: 'qualified' },
  { id: 'b', name: '李娜', points: 100, review: 2.5, pledgesKept: 4, grade: 'excellent' },
  { id: 'c', name: '王芳', points: 60, review: 3.7, pledgesKept: 0, grade: 'basic' },
]

describe('the commendation shortlist', () => {
  it('should order candidates by the weighted, normalised figures (default weights)', () => {
    const list = shortlist(FIXTURE, DEFAULT_WEIGHTS)
    // 李娜: 50×1 + 20×0.5 + 15×1 + 15×1 = 90; 张伟: 50×0.8 + 20×1 + 15×0.5 + 15×⅔ = 77.5; 王芳: 50×0.6 + 20×0.9 + 0 + 15×⅓ = 53
    expect(list.map(c => [c.name, c.score])).toEqual([['李娜', 90], ['张伟', 77.5], ['王芳', 53]])
    expect(list[1]!.parts).toEqual({ points: 0.8, review: 1, pledges: 0.5, appraisal: 2 / 3 })
  })

  it('should let the weights change the order: all weight on 讲评 puts 张伟 first', () => {
    const list = shortlist(FIXTURE, { points: 0, review: 100, pledges: 0, appraisal: 0 })
    expect(list.map(c => c.name)).toEqual(['张伟', '王芳', '李娜'])
  })

  it('should leave out a factor nobody has a figure for (no 民主评议 yet) and still score out of 100', () => {
    const noGrades = FIXTURE.map(c => ({ ...c, grade: null }))
    const list = shortlist(noGrades, DEFAULT_WEIGHTS)
    // 李娜: (50 + 10 + 15) / 85 × 100 = 88.2
    expect(list[0]).toMatchObject({ name: '李娜', score: 88.2 })
    expect(list[0]!.parts).not.toHaveProperty('appraisal')
  })

  it('should break ties by name in pinyin order (Intl.Collator zh-CN)', () => {
    const same = ['周杰', '安然', '陈晨'].map((name, i) => ({ id: String(i), name, points: 10, review: null, pledgesKept: 1, grade: null }))
    expect(shortlist(same, DEFAULT_WEIGHTS).map(c => c.name)).toEqual(['安然', '陈晨', '周杰'])
  })

  it('should score 0 for all when no candidate has points, never divide by zero', () => {
    const list = shortlist([{ id: 'x', name: '甲', points: 0, pledgesKept: 0 }], DEFAULT_WEIGHTS)
    expect(list[0]!.score).toBe(0)
  })

  it('should weigh groups on points, pledges and attendance (attendance takes 讲评 + 民主评议\'s share)', () => {
    expect(groupWeights(DEFAULT_WEIGHTS)).toEqual({ points: 50, pledges: 15, attendance: 35 })
    const groups = shortlist([
      { id: 'g1', name: '一组', points: 70, pledgesKept: 3, attendance: 0.5 },
      { id: 'g2', name: '二组', points: 60, pledgesKept: 3, attendance: 1 },
    ], groupWeights(DEFAULT_WEIGHTS))
    expect(groups.map(g => g.name)).toEqual(['二组', '一组'])
  })
})
