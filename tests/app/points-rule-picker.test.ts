// @vitest-environment happy-dom
import type { Rule } from '#shared/points/schemas'
import PointsRulePicker from '#app/components/points/PointsRulePicker.vue'
import { i18n } from '#app/i18n'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

// Node cannot import Vant's CSS; the styles play no part here.
vi.mock('vant/es/cell/style', () => ({}))
vi.mock('vant/es/cell-group/style', () => ({}))
vi.mock('vant/es/empty/style', () => ({}))
vi.mock('vant/es/loading/style', () => ({}))
vi.mock('vant/es/search/style', () => ({}))

/*
 * 记积分 on a new phone: the rules come from the server after the screen opens. Until the phone
 * has read them it says it is loading; 「还没有积分项目」 meanwhile told the member there was nothing to log.
 */
const picker = (rules: Rule[], loaded: boolean) => mount(PointsRulePicker, { props: { rules, recent: [], loaded }, global: { plugins: [i18n] } })
const rule = { id: 'r1', key: 'volunteer', name: '志愿服务', category: 'serve', points: 2, variants: [], sort: 1 } as unknown as Rule

describe('the rule list of 记积分', () => {
  it('should say it is loading, not that there are no rules, until the phone has read them', () => {
    const loading = picker([], false)
    expect(loading.text()).toContain('正在加载')
    expect(loading.text()).not.toContain('还没有积分项目')
    expect(loading.find('[role=status]').exists()).toBe(true)
  })

  it('should say there are no rules once it has read none, and list them once it has', () => {
    expect(picker([], true).text()).toContain('还没有积分项目')
    const listed = picker([rule], true)
    expect(listed.text()).toContain('志愿服务')
    expect(listed.text()).not.toContain('正在加载')
  })
})
