import type { AssessmentDetail } from '#shared/upper/assessment-schemas'
import { useUpperStore } from '#app/stores/upper'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

/*
 * 支部争先 and 评诺 in the upper store: a saved rating lands in its branch's card at once (the
 * 已评 n/m count moves on the first rating only), and an evaluated pledge replaces the one shown.
 */
const api = vi.hoisted(() => ({
  assessment: vi.fn(),
  rate: vi.fn(),
  branchPledges: vi.fn(),
  evaluate: vi.fn(),
}))
vi.mock('#app/components/upper/upper-api', () => ({ upperApi: api }))

const scores = { leadership: 4, members: 3, mechanism: 4, results: 3, masses: 4 } as const
const figures = (id: string, name: string) => ({ id, name }) as AssessmentDetail['branches'][number]['figures']
function detail(): AssessmentDetail {
  return {
    assessment: { id: 'a1', title: '2026年上半年支部争先', period: '2026-H1', status: 'open', rated: 0, branches: 2, createdAt: '2026-06-01T00:00:00.000Z', closedAt: null, closedBy: null },
    year: 2026,
    branches: [{ figures: figures('b1', '第一党支部'), rating: null }, { figures: figures('b2', '第二党支部'), rating: null }],
  }
}
const rating = (overall: number) => ({ scores, overall, comment: '好', ratedBy: '王主任', updatedAt: '2026-06-02T00:00:00.000Z' })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the upper store', () => {
  it('should put a saved rating in its branch and count the branch rated once, however often it is saved', async () => {
    api.assessment.mockResolvedValue(detail())
    api.rate.mockResolvedValue(rating(3.6))
    const upper = useUpperStore()
    await upper.loadAssessment('a1')
    await upper.rateBranch('a1', 'b2', { scores })
    await upper.rateBranch('a1', 'b2', { scores })
    expect(api.rate).toHaveBeenCalledWith('a1', 'b2', { scores })
    expect(upper.assessment!.assessment.rated).toBe(1)
    expect(upper.assessment!.branches[1]!.rating?.overall).toBe(3.6)
    expect(upper.assessment!.branches[0]!.rating).toBeNull()
  })

  it('should leave another assessment on screen untouched by a late answer for the one left', async () => {
    api.assessment.mockResolvedValue({ ...detail(), assessment: { ...detail().assessment, id: 'a2' } })
    api.rate.mockResolvedValue(rating(4))
    const upper = useUpperStore()
    await upper.loadAssessment('a2')
    await upper.rateBranch('a1', 'b1', { scores })
    expect(upper.assessment!.assessment.rated).toBe(0)
    expect(upper.assessment!.branches[0]!.rating).toBeNull()
  })

  it('should show the evaluated pledge in place of the one evaluated', async () => {
    api.branchPledges.mockResolvedValue([{ id: 'p1', items: [{ id: 'i1', result: null }] }, { id: 'p2', items: [] }])
    api.evaluate.mockResolvedValue({ pledge: { id: 'p1', items: [{ id: 'i1', result: 'partial' }] }, points: [] })
    const upper = useUpperStore()
    await upper.loadBranchPledges('b1')
    await upper.evaluateBranchPledge('b1', 'p1', { items: [{ itemId: 'i1', result: 'partial', comment: '' }] })
    expect(upper.branchPledges!.map(p => [p.id, p.items[0]?.result])).toEqual([['p1', 'partial'], ['p2', undefined]])
  })
})
