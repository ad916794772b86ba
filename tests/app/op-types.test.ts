// @vitest-environment happy-dom
import type { RejectedOp } from '#app/db'
import SyncFailedItem from '#app/components/sync/SyncFailedItem.vue'
import { i18n, setLocale } from '#app/i18n'
import { routes } from '#app/router'
import { appOp } from '#app/sync/op-types'
import { OP_TYPES } from '#shared/sync/op-types'
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('vant/es/button/style', () => ({}))

const payloads: Record<string, unknown> = {
  'profile.update': { phone: '13800000001' },
  'entry.create': { id: 'e1', ruleId: 'r1', date: '2026-11-30', note: '参加志愿服务' },
  'entry.resubmit': { id: 'e1', date: '2026-11-30', note: '补充说明' },
  'checkin.create': { meetingId: 'm1', code: '123456', window: 3, scannedAt: '2026-12-01T08:00:00.000Z' },
  'meeting.leave': { meetingId: 'm1', reason: '出差' },
  'meeting.create': { id: 'm1', type: 'group_meeting', groupId: 'g1', topic: '小组会', startsAt: '2026-12-01T08:00:00.000Z', endsAt: '2026-12-01T09:00:00.000Z', place: '会议室', agenda: '' },
  'meeting.close': { meetingId: 'm1', topic: '小组会' },
  'meeting.attendance': { meetingId: 'm1', memberId: 'u1', action: 'leave', reason: '病假', topic: '小组会', memberName: '张三' },
  'pledge.progress': { id: 'p1', itemId: 'i1', status: 'in_progress', percent: 40, note: '走访三户' },
  'points.adjust': { id: 'e2', memberId: 'm2', date: '2026-11-30', reason: '迟到', ruleId: 'r2', points: -1 },
  'entry.approve': { id: 'e1', revision: 1, shown: { memberName: '张三', ruleName: '志愿服务', date: '2026-11-30' } },
  'entry.return': { id: 'e1', revision: 1, reason: 'evidence_missing', shown: { memberName: '张三', ruleName: '志愿服务', date: '2026-11-30' } },
  'pledge.save': { id: 'p1', ownerKind: 'member', year: 2026, supervisor: '张书记', supervisorContact: '支部办公室', items: [{ category: 'serve', duty: '窗口服务', target: '进社区宣传 4 次', dueDate: '2026-12-20' }] },
  'pledge.submit': { id: 'p1' },
  'pledge.review': { id: 'p1', move: 'return', submittedAt: '2026-12-01T08:00:00.000Z', reason: '目标请量化' },
  'pledge.evaluate': { id: 'p1', items: [{ itemId: 'i1', result: 'kept' }, { itemId: 'i2', result: 'broken', excused: true }] },
  'checkin.scan': { meetingId: 'm1', memberId: 'u1', token: 'xfp:…', scannedAt: '2026-12-01T08:00:00.000Z', topic: '支部大会', memberName: '王芳' },
  'checkin.checkout': { meetingId: 'm1', token: 'xf2:…', scannedAt: '2026-12-01T09:00:00.000Z' },
  'group_review.ballot': { reviewId: 'r1', ratings: [{ groupId: 'g1', scores: { leadership: 4, members: 4, mechanism: 3, results: 3, masses: 4 } }, { groupId: 'g2', scores: { leadership: 2, members: 2, mechanism: 2, results: 2, masses: 2 } }], shown: { period: '2026年上半年' } },
  'review.create': { id: 'r1', groupId: 'g1', period: '2026-H1', meetingId: null, title: '第一党小组讲评' },
  'review.advance': { sessionId: 'r1', to: 'closed', title: '第一党小组讲评' },
  'review.statement': { sessionId: 'r1', participation: '参加了全部活动', pledges: '', improvement: '' },
  'review.ballot': { sessionId: 'r1', ratings: [{ rateeId: 'm2', scores: { study: 4, excel: 4, serve: 4, discipline: 4, uphold: 4 } }] },
  'appraisal.open': { id: 'a1', year: 2026, scope: 'branch', startsOn: '2026-12-01', endsOn: '2026-12-31', excellentNum: 1, excellentDen: 3 },
  'appraisal.step': { appraisalId: 'a1', to: 'counted' },
  'appraisal.summary': { appraisalId: 'a1', text: '一年来带头学习' },
  'appraisal.ballot': { appraisalId: 'a1', secret: 'x'.repeat(32), grades: { m1: 'excellent' } },
  'appraisal.decide': { appraisalId: 'a1', memberId: 'm1', memberName: '张三', grade: 'basic', reason: '缺席' },
  'commendation.nominate': { id: 'n1', roundId: 'r1', titleId: 't1', groupId: 'g1', citation: '全年检验零差错' },
  'commendation.decide': { nomineeId: 'n1', awarded: true },
}

function failedOp(type: string): RejectedOp {
  return { seq: 1, opId: `op-${type}`, memberId: 'm', type, payload: payloads[type], clientTime: '2026-12-01T08:00:00.000Z', attempts: 1, code: 'X', message: '不行 No', rejectedAt: '2026-12-01T09:00:00.000Z' }
}

const LOCALES = [
  { locale: 'zh-CN', retry: '重试', edit: '修改', discard: '放弃' },
  { locale: 'en', retry: 'Retry', edit: 'Edit', discard: 'Discard' },
] as const

afterEach(() => setLocale('zh-CN'))

describe('op types in the 同步失败 list', () => {
  it('should list the same types as the test knows, so a new type must be given a sample here', () => {
    expect([...OP_TYPES].sort()).toEqual(Object.keys(payloads).sort())
  })

  for (const type of OP_TYPES) {
    for (const { locale, retry, edit, discard } of LOCALES) {
      it(`should show a refused ${type} in words in ${locale} and offer retry and discard, and edit where it has a form`, async () => {
        await setLocale(locale)
        const info = appOp(type)
        expect(info, `no app label for ${type}`).toBeDefined()
        expect(i18n.global.te(info!.label, locale), `${info!.label} missing in ${locale}`).toBe(true)
        const item = mount(SyncFailedItem, { props: { op: failedOp(type) }, global: { plugins: [i18n] } })
        const title = item.find('h2').text()
        expect(title).toContain(i18n.global.t(info!.label))
        expect(title).not.toContain(type)
        const buttons = item.findAll('button').map(b => b.text())
        expect(buttons).toEqual(info!.edit ? [retry, edit, discard] : [retry, discard])
      })
    }
  }

  it('should name the member and the item of a refused approval or return, not just the decision', () => {
    for (const type of ['entry.approve', 'entry.return'] as const) {
      const item = mount(SyncFailedItem, { props: { op: failedOp(type) }, global: { plugins: [i18n] } })
      expect(item.find('h2').text(), type).toContain('张三 志愿服务 2026-11-30')
    }
  })

  it('should send each editable type to a page the app has', () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    const editable = OP_TYPES.filter(type => appOp(type)?.edit)
    expect(editable).toContain('profile.update')
    for (const type of editable) {
      const target = router.resolve(appOp(type)!.edit!(failedOp(type)))
      expect(target.name, type).not.toBe('not-found')
      expect(target.matched.length, type).toBeGreaterThan(0)
    }
  })

  it('should say which pledge a refused save is and what a refused decision was, and send the save back to its editor', () => {
    expect(appOp('pledge.save')!.summary!(payloads['pledge.save'])).toBe('2026 进社区宣传 4 次')
    expect(appOp('pledge.review')!.summary!(payloads['pledge.review'])).toBe('退回 目标请量化')
    expect(appOp('pledge.evaluate')!.summary!(payloads['pledge.evaluate'])).toBe('已兑现 未兑现')
    expect(appOp('group_review.ballot')!.summary!(payloads['group_review.ballot'])).toBe('2026年上半年 2 个党小组')
    expect(appOp('commendation.nominate')!.summary!(payloads['commendation.nominate'])).toBe('全年检验零差错')
    expect(appOp('commendation.decide')!.summary!(payloads['commendation.decide'])).toBe('授予')
    const router = createRouter({ history: createMemoryHistory(), routes })
    const target = router.resolve(appOp('pledge.save')!.edit!(failedOp('pledge.save')))
    expect(target).toMatchObject({ name: 'pledge-edit', params: { id: 'p1' }, query: { fix: 'op-pledge.save' } })
  })
})
