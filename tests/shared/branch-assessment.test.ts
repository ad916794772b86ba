import { checkBranchRating, overallScore } from '#shared/upper/assessment'
import { describe, expect, it } from 'vitest'

const branches = new Map([['b1', '第一支部'], ['b2', '第二支部']])
const full = { leadership: 4, members: 3, mechanism: 3, results: 4, masses: 2 } as const

describe('支部争先: one rating per branch on the five 五个好 dimensions', () => {
  it('accepts a full rating of one of the organization\'s branches', () => {
    expect(checkBranchRating('open', branches, 'b1', full)).toBeNull()
  })

  it('refuses once the assessment is closed, before anything else', () => {
    expect(checkBranchRating('closed', branches, 'elsewhere', {})).toEqual({ code: 'ASSESSMENT_CLOSED' })
  })

  it('refuses a branch of another organization', () => {
    expect(checkBranchRating('open', branches, 'b9', full)).toEqual({ code: 'ASSESSMENT_UNKNOWN_BRANCH' })
  })

  it('names the branch when a dimension is missing, off the scale or extra', () => {
    const { masses: _m, ...four } = full
    expect(checkBranchRating('open', branches, 'b2', four)).toEqual({ code: 'ASSESSMENT_SCORE_RANGE', params: { name: '第二支部' } })
    expect(checkBranchRating('open', branches, 'b2', { ...full, masses: 5 })).toEqual({ code: 'ASSESSMENT_SCORE_RANGE', params: { name: '第二支部' } })
    expect(checkBranchRating('open', branches, 'b2', { ...full, masses: 2.5 })?.code).toBe('ASSESSMENT_SCORE_RANGE')
    expect(checkBranchRating('open', branches, 'b2', { ...full, extra: 3 })?.code).toBe('ASSESSMENT_SCORE_RANGE')
  })

  it('averages the five dimensions to two decimals, nothing before rating', () => {
    expect(overallScore(full)).toBe(3.2)
    expect(overallScore({ leadership: 4, members: 4, mechanism: 3, results: 3, masses: 3 })).toBe(3.4)
    expect(overallScore(null)).toBeNull()
  })
})
