import type { RatingRow } from '#shared/reviews/rules'
import { reviewPeriodBounds, reviewPeriodZh } from '#shared/reviews/constants'
import { checkBallot, mayMoveTo, reviewResults } from '#shared/reviews/rules'
import { describe, expect, it } from 'vitest'

const five = (n: number) => ({ study: n, excel: n, serve: n, discipline: n, uphold: n })
const group = new Map([['a', '张一'], ['b', '张二'], ['c', '张三']])

describe('讲评 ballots', () => {
  it('should take a ballot only while rating is open', () => {
    const ballot = [{ rateeId: 'b', scores: five(4) }]
    expect(checkBallot('rating', 'a', group, ballot)).toBeNull()
    expect(checkBallot('open', 'a', group, ballot)?.code).toBe('REVIEW_NOT_RATING')
    expect(checkBallot('closed', 'a', group, ballot)?.code).toBe('REVIEW_CLOSED')
  })

  it('should refuse a self-rating, someone outside the group, a repeated member and an empty ballot', () => {
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'a', scores: five(4) }])?.code).toBe('REVIEW_SELF_RATING')
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'z', scores: five(4) }])?.code).toBe('REVIEW_NOT_IN_GROUP')
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'b', scores: five(4) }, { rateeId: 'b', scores: five(3) }])).toEqual({ code: 'REVIEW_DUPLICATE_RATEE', params: { name: '张二' } })
    expect(checkBallot('rating', 'a', group, [])?.code).toBe('REVIEW_EMPTY_BALLOT')
  })

  it('should refuse a score off the 4/3/2/1 scale or a dimension left out, naming the member', () => {
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'c', scores: { ...five(4), serve: 5 } }])).toEqual({ code: 'REVIEW_SCORE_RANGE', params: { name: '张三' } })
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'c', scores: { ...five(4), serve: 0 } }])?.code).toBe('REVIEW_SCORE_RANGE')
    const { uphold: _, ...four } = five(3)
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'c', scores: four }])?.code).toBe('REVIEW_SCORE_RANGE')
    expect(checkBallot('rating', 'a', group, [{ rateeId: 'c', scores: { ...five(3), study: 2.5 } }])?.code).toBe('REVIEW_SCORE_RANGE')
  })

  it('should let a guest (no member id) rate anyone of the group', () => {
    expect(checkBallot('rating', null, group, [{ rateeId: 'a', scores: five(1) }, { rateeId: 'b', scores: five(2) }])).toBeNull()
  })

  it('should move a session forward only, and never out of closed', () => {
    expect(mayMoveTo('draft', 'open')).toBe(true)
    expect(mayMoveTo('open', 'rating')).toBe(true)
    expect(mayMoveTo('rating', 'closed')).toBe(true)
    expect(mayMoveTo('rating', 'open')).toBe(false)
    expect(mayMoveTo('closed', 'rating')).toBe(false)
    expect(mayMoveTo('draft', 'closed')).toBe(false)
  })
})

describe('讲评 results', () => {
  const row = (rateeId: string, raterKind: 'member' | 'guest', n: number, comment = '', commentStatus: RatingRow['commentStatus'] = 'approved'): RatingRow =>
    ({ rateeId, raterKind, scores: five(n) as RatingRow['scores'], comment, commentStatus })

  it('should average each dimension over members and guests, count both, and keep only approved comments', () => {
    const results = reviewResults([
      row('b', 'member', 4, '带头作用明显'),
      row('b', 'member', 3),
      row('b', 'guest', 3, '服务热情', 'approved'),
      row('b', 'guest', 1, '待审的留言', 'pending'),
      row('c', 'member', 2, '', 'approved'),
    ])
    const b = results.get('b')!
    expect(b.averages.study).toBe(2.75)
    expect(b.overall).toBe(2.75)
    expect(b.raters).toEqual({ member: 2, guest: 2 })
    expect(b.comments.map(c => c.text)).toEqual(['带头作用明显', '服务热情'])
    expect(results.get('c')!.raters).toEqual({ member: 1, guest: 0 })
    expect(results.has('a')).toBe(false)
  })

  it('should round averages to two decimals the same way on every side', () => {
    const r = reviewResults([row('b', 'member', 4), row('b', 'member', 4), row('b', 'member', 3)]).get('b')!
    expect(r.averages.excel).toBe(3.67)
    const s = reviewResults([row('b', 'member', 4), row('b', 'member', 3), row('b', 'member', 3)]).get('b')!
    expect(s.averages.excel).toBe(3.33)
  })
})

describe('review periods', () => {
  it('should bound halves, quarters and years, leap years included', () => {
    expect(reviewPeriodBounds('2026-H1')).toEqual({ from: '2026-01-01', to: '2026-06-30' })
    expect(reviewPeriodBounds('2026-H2')).toEqual({ from: '2026-07-01', to: '2026-12-31' })
    expect(reviewPeriodBounds('2028-Q1')).toEqual({ from: '2028-01-01', to: '2028-03-31' })
    expect(reviewPeriodBounds('2026-Y')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(reviewPeriodBounds('2026-H3')).toBeNull()
    expect(reviewPeriodBounds('26-H1')).toBeNull()
    expect(reviewPeriodZh('2026-H1')).toBe('2026年上半年')
    expect(reviewPeriodZh('2026-Q3')).toBe('2026年第三季度')
    expect(reviewPeriodZh('2026-Y')).toBe('2026年度')
  })
})
