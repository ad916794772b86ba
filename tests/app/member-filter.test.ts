import type { Member } from '#shared/schemas/org'
import { filterMembers, NO_GROUP, splitTitles } from '#app/components/admin/member-filter'
import { describe, expect, it } from 'vitest'

const G1 = 'g0000000-0000-4000-8000-000000000001'
let n = 0
function member(name: string, extra: Partial<Member> = {}): Member {
  n++
  return { id: `m${n}`, name, login: `user${n}`, phone: null, role: 'member', titles: [], groupId: G1, groupName: '第一党小组', active: true, hasPassword: true, createdAt: '', updatedAt: '', ...extra }
}

describe('filterMembers', () => {
  const list = [
    member('赵六', { active: false }),
    member('张三', { phone: '13800138000' }),
    member('李四', { groupId: null, groupName: null, login: 'lisi' }),
  ]

  it('should match the name, the login name or the phone, and list active members first, by group then pinyin', () => {
    expect(filterMembers(list, '', '').map(m => m.name)).toEqual(['张三', '李四', '赵六'])
    expect(filterMembers(list, 'LISI', '').map(m => m.name)).toEqual(['李四'])
    expect(filterMembers(list, '138001', '').map(m => m.name)).toEqual(['张三'])
    expect(filterMembers(list, '张', '').map(m => m.name)).toEqual(['张三'])
  })

  it('should filter by group, with a choice for members outside any group', () => {
    expect(filterMembers(list, '', G1).map(m => m.name)).toEqual(['张三', '赵六'])
    expect(filterMembers(list, '', NO_GROUP).map(m => m.name)).toEqual(['李四'])
  })
})

describe('splitTitles', () => {
  it('should tick the preset titles and keep the others as text', () => {
    expect(splitTitles(['副组长', '宣传委员', '办公室主任', '纪检委员'])).toEqual({ presets: ['副组长', '办公室主任'], other: '宣传委员，纪检委员' })
  })
})
