import { ballotGrade, checkAppraisalBallot, reasonNeeded } from '#shared/appraisal/rules'
import { errorWords } from '#shared/errors/catalog'
import { describe, expect, it } from 'vitest'

/* The 民主评议 ballot and ballot-grade rules the phone checks before queueing and the server again. */
const scope = new Map([['a', '张一'], ['b', '张二'], ['c', '张三'], ['d', '李四'], ['e', '王五'], ['f', '赵六'], ['g', '钱七']])
const ctx = (over: Partial<Parameters<typeof checkAppraisalBallot>[0]> = {}) => ({ status: 'ballot' as const, voterId: 'a', scope, vetoed: new Set<string>(), num: 1, den: 3, ...over })
const all = (grade: string, except: Record<string, string> = {}) => Object.fromEntries([...scope.keys()].filter(id => id !== 'a').map(id => [id, except[id] ?? grade]))

describe('民主评议 ballot', () => {
  it('should take a complete ballot within the quota while the ballot is open', () => {
    // 7 members: at most ⌊7/3⌋ = 2 优秀.
    expect(checkAppraisalBallot(ctx(), all('qualified', { b: 'excellent', c: 'excellent' }))).toBeNull()
  })

  it('should refuse more 优秀 than the quota with the numbers in words', () => {
    const problem = checkAppraisalBallot(ctx(), all('qualified', { b: 'excellent', c: 'excellent', d: 'excellent' }))
    expect(problem).toEqual({ code: 'APPRAISAL_QUOTA', params: { quota: 2, given: 3 } })
    expect(errorWords(problem!.code, problem!.params)).toBe('优秀最多 2 人，您选了 3 人')
  })

  it('should apply a lower share set by the branch', () => {
    // 1/7 of 7 members: one 优秀.
    expect(checkAppraisalBallot(ctx({ num: 1, den: 7 }), all('qualified', { b: 'excellent', c: 'excellent' }))).toMatchObject({ code: 'APPRAISAL_QUOTA', params: { quota: 1, given: 2 } })
    expect(checkAppraisalBallot(ctx({ num: 0, den: 1 }), all('qualified', { b: 'excellent' }))).toMatchObject({ params: { quota: 0, given: 1 } })
  })

  it('should refuse 优秀 for a member with 一票否决 that year, naming them', () => {
    const problem = checkAppraisalBallot(ctx({ vetoed: new Set(['d']) }), all('qualified', { d: 'excellent' }))
    expect(problem).toEqual({ code: 'APPRAISAL_VETOED', params: { name: '李四' } })
    expect(errorWords(problem!.code, problem!.params)).toBe('李四 本年度有一票否决，不能评为优秀')
    // 合格 for the vetoed member is fine.
    expect(checkAppraisalBallot(ctx({ vetoed: new Set(['d']) }), all('qualified', { d: 'unqualified' }))).toBeNull()
  })

  it('should refuse grading oneself, someone outside the scope, and a ballot missing someone', () => {
    expect(checkAppraisalBallot(ctx(), { ...all('qualified'), a: 'excellent' })?.code).toBe('APPRAISAL_SELF')
    expect(checkAppraisalBallot(ctx(), { ...all('qualified'), z: 'qualified' })?.code).toBe('APPRAISAL_NOT_IN_SCOPE')
    const { b: _b, c: _c, ...partial } = all('qualified')
    expect(checkAppraisalBallot(ctx(), partial)).toEqual({ code: 'APPRAISAL_INCOMPLETE', params: { missing: 2 } })
  })

  it('should refuse a ballot before it opens and after it closes', () => {
    expect(checkAppraisalBallot(ctx({ status: 'summaries' }), all('qualified'))?.code).toBe('APPRAISAL_BALLOT_NOT_OPEN')
    expect(checkAppraisalBallot(ctx({ status: 'counted' }), all('qualified'))?.code).toBe('APPRAISAL_BALLOT_CLOSED')
    expect(checkAppraisalBallot(ctx({ status: 'decided' }), all('qualified'))?.code).toBe('APPRAISAL_BALLOT_CLOSED')
  })
})

describe('the ballot\'s grade', () => {
  it('should be the grade given most often', () => {
    expect(ballotGrade({ excellent: 4, qualified: 2, basic: 0, unqualified: 0 })).toBe('excellent')
    expect(ballotGrade({ excellent: 1, qualified: 2, basic: 3, unqualified: 0 })).toBe('basic')
  })

  it('should go toward the lower grade on a tie, and be none without votes', () => {
    expect(ballotGrade({ excellent: 3, qualified: 3, basic: 0, unqualified: 0 })).toBe('qualified')
    expect(ballotGrade({ excellent: 0, qualified: 2, basic: 0, unqualified: 2 })).toBe('unqualified')
    expect(ballotGrade({ excellent: 0, qualified: 0, basic: 0, unqualified: 0 })).toBeNull()
  })

  it('should ask the 支委会 for a reason only where its grade differs from the ballot', () => {
    const counts = { excellent: 1, qualified: 4, basic: 0, unqualified: 0 }
    expect(reasonNeeded(counts, 'qualified')).toBe(false)
    expect(reasonNeeded(counts, 'excellent')).toBe(true)
    expect(reasonNeeded({ excellent: 0, qualified: 0, basic: 0, unqualified: 0 }, 'qualified')).toBe(false)
  })
})
