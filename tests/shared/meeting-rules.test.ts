import type { CloseInput } from '#shared/meetings/rules'
import { expectedAt, mayOrganize, meetingVisibleTo, planClose } from '#shared/meetings/rules'
import { describe, expect, it } from 'vitest'

const points = (key: string) => ({ 'meeting': 2, 'life-meeting': 2, 'absent': -2 } as Record<string, number>)[key] ?? null

function plan(over: Partial<CloseInput> = {}) {
  return planClose({
    type: 'group_meeting',
    expected: ['ann', 'bob', 'cai', 'dai', 'eve', 'org'],
    rows: [
      { memberId: 'ann', status: 'verified', flag: null },
      { memberId: 'bob', status: 'verified', flag: 'late' },
      { memberId: 'cai', status: 'leave' },
      { memberId: 'dai', status: 'rejected' },
    ],
    closerId: 'org',
    rulePoints: points,
    ...over,
  })
}
const byId = (p: ReturnType<typeof planClose>) => Object.fromEntries(p.members.map(m => [m.memberId, m]))

describe('what closing a meeting records (planClose)', () => {
  it('records present, late, leave and absent with the points of the branch\'s rules, the closer present', () => {
    const p = byId(plan())
    expect(p.ann).toMatchObject({ status: 'verified', outcome: 'present', writes: null, points: 2 })
    expect(p.bob).toMatchObject({ status: 'verified', outcome: 'late', points: 2 })
    expect(p.cai).toMatchObject({ status: 'leave', outcome: 'leave', ruleKey: null, points: null })
    // A refused late scan and no answer at all are both unexcused absence.
    expect(p.dai).toMatchObject({ status: 'absent', outcome: 'absent', writes: 'absent', ruleKey: 'absent', points: -2 })
    expect(p.eve).toMatchObject({ status: 'absent', writes: 'absent', points: -2 })
    expect(p.org).toMatchObject({ status: 'manual', outcome: 'present', writes: 'organizer', points: 2 })
    expect(plan().counts).toEqual({ present: 3, leave: 1, absent: 2 })
  })

  it('keeps a closer on leave on leave, and scores someone no longer expected who attended', () => {
    const p = byId(plan({ rows: [{ memberId: 'org', status: 'leave' }, { memberId: 'moved', status: 'manual' }], expected: ['org'] }))
    expect(p.org).toMatchObject({ status: 'leave', writes: null, points: null })
    expect(p.moved).toMatchObject({ outcome: 'present', writes: null, points: 2 })
  })

  it('marks nobody absent at 支委会 and scores nothing there; 专题组织生活会 counts under its own rule', () => {
    const committee = plan({ type: 'committee' })
    expect(committee.members.every(m => m.writes === null && m.points === null)).toBe(true)
    expect(committee.counts.absent).toBe(0)
    expect(byId(plan({ type: 'life_meeting' })).ann).toMatchObject({ ruleKey: 'life-meeting' })
  })

  it('counts late scans still waiting (closing is refused while any wait), and knows no points without rules', () => {
    expect(plan({ rows: [{ memberId: 'ann', status: 'pending' }] }).pending).toBe(1)
    expect(byId(plan({ rulePoints: undefined })).ann).toMatchObject({ ruleKey: 'meeting', points: null })
  })
})

describe('who sees and organizes a meeting', () => {
  const group = { branchId: 'b', groupId: 'g1', createdBy: 'maker' }
  const viewer = (over: object) => ({ id: 'x', branchId: 'b', groupId: 'g2', role: 'member' as const, ...over })
  it('shows a group\'s meeting to the group, the branch admins and its creator only', () => {
    expect(meetingVisibleTo(group, viewer({ groupId: 'g1' }))).toBe(true)
    expect(meetingVisibleTo(group, viewer({}))).toBe(false)
    expect(meetingVisibleTo(group, viewer({ role: 'group_leader' }))).toBe(false)
    expect(meetingVisibleTo(group, viewer({ role: 'branch_admin' }))).toBe(true)
    expect(meetingVisibleTo(group, viewer({ id: 'maker' }))).toBe(true)
    expect(meetingVisibleTo(group, viewer({ role: 'branch_admin', branchId: 'other' }))).toBe(false)
    expect(meetingVisibleTo({ ...group, groupId: null }, viewer({ groupId: null }))).toBe(true)
  })
  it('lets the group\'s leader organize, not its members', () => {
    expect(mayOrganize(viewer({ groupId: 'g1', role: 'group_leader' }), group)).toBe(true)
    expect(mayOrganize(viewer({ groupId: 'g1' }), group)).toBe(false)
    expect(expectedAt(viewer({ groupId: 'g1' }), group)).toBe(true)
  })
})
