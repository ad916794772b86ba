import { compareGroups, compareNames, comparePeople, groupNumeral } from '#shared/org/order'
import { describe, expect, it } from 'vitest'

describe('chinese list order', () => {
  it('should sort people by pinyin, not by code point', () => {
    expect(['张一', '张三', '张二', '张四'].sort(compareNames)).toEqual(['张二', '张三', '张四', '张一'])
    expect(['王五', '李四', '赵六', '陈七'].sort(compareNames)).toEqual(['陈七', '李四', '王五', '赵六'])
  })

  it('should read the 第N numeral of a group in Chinese or Arabic digits', () => {
    expect(groupNumeral('第一党小组')).toBe(1)
    expect(groupNumeral('第十党小组')).toBe(10)
    expect(groupNumeral('第十二党小组')).toBe(12)
    expect(groupNumeral('第二十党小组')).toBe(20)
    expect(groupNumeral('第3党小组')).toBe(3)
    expect(groupNumeral('二组')).toBe(2)
    expect(groupNumeral('机关党小组')).toBeNull()
  })

  it('should put groups 第一, 第二, 第三 … 第十, numbered before unnumbered, then in the branch\'s order', () => {
    const names = ['第三党小组', '第十党小组', '离退休党小组', '第一党小组', '第二党小组']
    expect(names.map(name => ({ name })).sort(compareGroups).map(g => g.name)).toEqual(['第一党小组', '第二党小组', '第三党小组', '第十党小组', '离退休党小组'])
    const unnumbered = [{ name: '机关', order: 2 }, { name: '离退休', order: 1 }]
    expect(unnumbered.sort(compareGroups).map(g => g.name)).toEqual(['离退休', '机关'])
  })

  it('should order people by their group first, those without a group last', () => {
    const people = [
      { name: '张一', groupName: '第二党小组' },
      { name: '王五', groupName: null },
      { name: '张二', groupName: '第二党小组' },
      { name: '李四', groupName: '第一党小组' },
    ]
    expect(people.sort(comparePeople).map(p => p.name)).toEqual(['李四', '张二', '张一', '王五'])
  })
})
