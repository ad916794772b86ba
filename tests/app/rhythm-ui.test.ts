import type { RhythmSettings, RhythmView } from '#shared/meetings/rhythm-schemas'
import { memberLines, percent, sortMembers } from '#app/components/meetings/rhythm-ui'
import { useRhythmStore } from '#app/stores/rhythm'
import { DEFAULT_RHYTHM_SETTINGS } from '#shared/meetings/rhythm'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

/** The 三会一课 执行情况 screen's member table and store, on a report with known figures. */
const G = '00000000-0000-4000-8000-000000000001'
const member = (id: string, rate: number | null, late: number) => ({ memberId: id, groupId: G, expected: rate === null ? 0 : 4, present: rate === null ? 0 : Math.round(rate * 4), leave: 0, absent: 0, late, rate })
function view(year = 2026, settings: RhythmSettings = DEFAULT_RHYTHM_SETTINGS): RhythmView {
  return {
    scope: 'branch',
    report: { year, today: `${year}-12-03`, settings, types: [], groups: [], meetings: [], missedTypes: 0, flaggedGroups: 0, members: [member('a', 1, 0), member('b', 0.5, 2), member('c', null, 0), member('d', 0.5, 1)] },
    groups: [{ id: G, name: '第一党小组' }],
    meetings: [],
    members: [{ id: 'a', name: '赵六' }, { id: 'b', name: '李四' }, { id: 'c', name: '王五' }, { id: 'd', name: '张三' }],
  }
}

// The server's side: the report follows the settings last saved.
const saved: RhythmSettings[] = []
vi.mock('#app/components/meetings/rhythm-api', () => ({
  rhythmApi: {
    view: async (year: number) => view(year, saved.at(-1)),
    saveSettings: async (s: RhythmSettings) => {
      saved.push(s)
      return s
    },
  },
}))

describe('the member table', () => {
  it('names each member with their group and sorts by name (pinyin), lowest rate, or most 迟到', () => {
    const lines = memberLines(view())
    expect(lines.find(l => l.memberId === 'b')).toMatchObject({ name: '李四', groupName: '第一党小组' })
    expect(sortMembers(lines, 'name').map(l => l.name)).toEqual(['李四', '王五', '张三', '赵六'])
    // Lowest rate first; equal rates by name; no meeting yet last.
    expect(sortMembers(lines, 'rate').map(l => l.name)).toEqual(['李四', '张三', '赵六', '王五'])
    expect(sortMembers(lines, 'late').map(l => l.name)).toEqual(['李四', '张三', '王五', '赵六'])
  })

  it('shows the rate as a whole percentage, a dash without meetings', () => {
    expect(percent(2 / 3)).toBe('67%')
    expect(percent(null)).toBe('—')
  })
})

describe('the rhythm store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('loads a year and reloads the report after the branch admin saves the rhythm', async () => {
    const store = useRhythmStore()
    await store.load(2025)
    expect(store.view?.report.year).toBe(2025)
    const next = { ...DEFAULT_RHYTHM_SETTINGS, lateGraceMinutes: 10 }
    await store.saveSettings(next)
    expect(saved).toEqual([next])
    expect(store.settings).toEqual(next)
    expect(store.view?.report).toMatchObject({ year: 2025, settings: { lateGraceMinutes: 10 } })
  })
})
