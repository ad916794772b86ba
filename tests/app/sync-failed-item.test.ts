// @vitest-environment happy-dom
import type { RejectedOp } from '#app/db'
import SyncFailedItem from '#app/components/sync/SyncFailedItem.vue'
import { i18n } from '#app/i18n'
import { REJECT, SERVER_ERROR_MESSAGE } from '#shared/sync/protocol'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

// Node cannot import Vant's CSS; the styles play no part here.
vi.mock('vant/es/button/style', () => ({}))

function failedOp(extra: Partial<RejectedOp>): RejectedOp {
  return { seq: 7, opId: 'op-7', memberId: 'm', type: 'profile.update', payload: { phone: '13800000001' }, clientTime: '2026-12-01T08:00:00.000Z', attempts: 3, code: 'X', message: 'x', rejectedAt: '2026-12-01T09:00:00.000Z', ...extra }
}
const mountItem = (op: RejectedOp) => mount(SyncFailedItem, { props: { op }, global: { plugins: [i18n] } })

describe('同步失败 item', () => {
  it('should show an op the server failed on with its label and a reason in the member\'s words, and offer retry and discard', async () => {
    const item = mountItem(failedOp({ code: REJECT.serverError, message: SERVER_ERROR_MESSAGE }))
    expect(item.find('h2').text()).toBe('修改联系电话：13800000001')
    const reason = item.find('.failed-item__reason').text()
    expect(reason).toMatch(/^原因：服务器处理这条记录时出错.*重试/)
    // Only Chinese in the Chinese interface: not the server's two-language string.
    expect(reason).not.toMatch(/server/i)
    const buttons = item.findAll('button')
    expect(buttons.map(b => b.text())).toEqual(['重试', '修改', '放弃'])
    await buttons[0]!.trigger('click')
    await buttons[2]!.trigger('click')
    expect(Object.keys(item.emitted())).toEqual(expect.arrayContaining(['retry', 'discard']))
  })

  it('should name an op type this version does not know and word a cataloged refusal in the member\'s language only', () => {
    const item = mountItem(failedOp({ type: 'points.someday', code: 'OP_FORBIDDEN', message: '您没有权限进行此操作 You may not do this' }))
    expect(item.find('h2').text()).toContain('points.someday')
    // The server's message is bilingual for API clients; a Chinese screen shows only the Chinese words.
    expect(item.find('.failed-item__reason').text()).toBe('原因：您没有权限进行此操作')
  })

  it('should keep the server\'s own reason for a code the catalog does not know', () => {
    const item = mountItem(failedOp({ type: 'points.someday', code: 'SOMETHING_NEW', message: '新的原因' }))
    expect(item.find('.failed-item__reason').text()).toBe('原因：新的原因')
  })
})
