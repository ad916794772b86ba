import type { OpType } from '#shared/sync/op-types'
import type { RouteLocationRaw } from 'vue-router'
import type { RejectedOp } from '../db'
import { reviewPeriodZh } from '#shared/reviews/constants'
import { signed } from '../components/points/format'
import { memberName } from '../db/rosters'
import { i18n } from '../i18n'

/** How the app shows an op type in the 同步失败 list, and where the member fixes one. */
export interface AppOpType {
  /** i18n key of a short label, e.g. 修改联系电话. */
  label: string
  /** One line about the content, in the member's words. */
  summary?: (payload: unknown) => string
  /** The form that edits it: it saves with queueWrite(…, { replacesRejected: op.opId }). */
  edit?: (op: RejectedOp) => RouteLocationRaw
}

/** The parts of a payload worth a line, in order, empty ones left out. */
const line = (...parts: unknown[]) => parts.filter(p => p !== undefined && p !== null && p !== '').join(' ')

/** "12/3 14:30" in the phone's zone, as the meeting pages show a time. */
function when(iso: string): string {
  const d = new Date(iso)
  return `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/**
 * Every op type of the shared list (#shared/sync/op-types), in words: the 同步失败 list offers
 * retry and discard for each, and 修改 where `edit` names a form. A type missing here fails the
 * typecheck (and tests/app/op-types.test.ts).
 */
const APP_OPS: Record<OpType, AppOpType> = {
  'profile.update': {
    label: 'sync.ops.profileUpdate',
    summary: payload => (payload as { phone: string | null }).phone ?? '—',
    edit: op => ({ name: 'me', query: { editPhone: op.opId } }),
  },
  'entry.create': {
    label: 'points.ops.create',
    summary: (payload) => {
      const p = payload as { date: string, note: string }
      return line(p.date, p.note)
    },
  },
  'entry.resubmit': {
    label: 'points.ops.resubmit',
    summary: (payload) => {
      const p = payload as { date: string, note: string }
      return line(p.date, p.note)
    },
  },
  // The organizer's decision: the member and item as the organizer saw them (the queue has moved on).
  'entry.approve': {
    label: 'points.ops.approve',
    summary: (payload) => {
      const { shown } = payload as { shown: { memberName: string, ruleName: string, date: string } }
      return line(shown.memberName, shown.ruleName, shown.date)
    },
  },
  'entry.return': {
    label: 'points.ops.return',
    summary: (payload) => {
      const { shown } = payload as { shown: { memberName: string, ruleName: string, date: string } }
      return line(shown.memberName, shown.ruleName, shown.date)
    },
  },
  // The payload names the meeting only by id: the reason below says what went wrong.
  'checkin.create': { label: 'sync.ops.checkinCreate' },
  'checkin.checkout': { label: 'checkin.ops.checkout' },
  // 反向扫码: the member and meeting as the organizer's phone showed them.
  'checkin.scan': {
    label: 'checkin.ops.scan',
    summary: (payload) => {
      const p = payload as { memberName?: string, topic?: string }
      return line(p.memberName, p.topic)
    },
  },
  'meeting.leave': {
    label: 'sync.ops.meetingLeave',
    summary: payload => line((payload as { reason: string }).reason),
  },
  'meeting.create': {
    label: 'meetings.ops.create',
    summary: (payload) => {
      const p = payload as { topic: string, startsAt: string, place: string }
      return line(p.topic, when(p.startsAt), p.place)
    },
  },
  'meeting.close': {
    label: 'meetings.ops.close',
    summary: payload => line((payload as { topic?: string }).topic),
  },
  'meeting.attendance': {
    label: 'meetings.ops.attendance',
    summary: (payload) => {
      const p = payload as { topic?: string, memberName?: string, reason?: string }
      return line(p.topic, p.memberName, p.reason)
    },
  },
  'pledge.progress': {
    label: 'sync.ops.pledgeProgress',
    summary: (payload) => {
      const p = payload as { percent: number, note: string }
      return line(`${p.percent}%`, p.note)
    },
  },
  'points.adjust': {
    label: 'points.ops.adjust',
    summary: (payload) => {
      const p = payload as { memberId: string, date: string, reason: string, points?: number }
      return line(memberName(p.memberId), p.points === undefined ? undefined : signed(p.points), p.date, p.reason)
    },
  },
  'pledge.save': {
    label: 'pledges.ops.save',
    summary: (payload) => {
      const p = payload as { year: number, stage?: string | null, items: { target: string }[] }
      return line(p.year, p.stage, p.items[0]?.target)
    },
    edit: op => ({ name: 'pledge-edit', params: { id: (op.payload as { id: string }).id }, query: { fix: op.opId } }),
  },
  // The payload names the pledge only by id: the reason below says what went wrong.
  'pledge.submit': { label: 'pledges.ops.submit' },
  'pledge.review': {
    label: 'pledges.ops.review',
    summary: (payload) => {
      const p = payload as { move: 'approve' | 'return' | 'publish', reason?: string }
      return line(i18n.global.t(`pledges.ops.moves.${p.move}`), p.reason)
    },
  },
  'pledge.evaluate': {
    label: 'pledges.ops.evaluate',
    summary: (payload) => {
      const p = payload as { items: { result: 'kept' | 'partial' | 'broken' }[] }
      return line(...p.items.map(i => i18n.global.t(`pledges.results.${i.result}`)))
    },
  },
  // A 五个好 ballot: the period as the rater saw it and how many groups it rated; 修改 reopens the review.
  'group_review.ballot': {
    label: 'groupReviews.ops.ballot',
    summary: (payload) => {
      const p = payload as { shown: { period: string }, ratings: unknown[] }
      return line(p.shown.period, i18n.global.t('groupReviews.ops.groups', { n: p.ratings.length }))
    },
    edit: op => ({ name: 'group-review', params: { id: (op.payload as { reviewId: string }).reviewId } }),
  },
  'review.create': {
    label: 'reviews.ops.create',
    summary: (payload) => {
      const p = payload as { title: string, period: string }
      return line(p.title, reviewPeriodZh(p.period))
    },
  },
  'review.advance': {
    label: 'reviews.ops.advance',
    summary: (payload) => {
      const p = payload as { title?: string, to: 'open' | 'rating' | 'closed' }
      return line(p.title, i18n.global.t(`reviews.steps.${p.to}`))
    },
  },
  'review.statement': {
    label: 'reviews.ops.statement',
    summary: payload => line((payload as { participation: string }).participation.slice(0, 40)),
  },
  'review.ballot': {
    label: 'reviews.ops.ballot',
    summary: payload => i18n.global.t('reviews.ops.ballotSummary', { n: (payload as { ratings: unknown[] }).ratings.length }),
  },
  'appraisal.open': {
    label: 'appraisal.ops.open',
    summary: payload => line((payload as { year: number }).year),
  },
  'appraisal.step': {
    label: 'appraisal.ops.step',
    summary: payload => i18n.global.t(`appraisal.steps.${(payload as { to: string }).to}`),
  },
  'appraisal.summary': {
    label: 'appraisal.ops.summary',
    summary: payload => (payload as { text: string }).text.slice(0, 40),
  },
  // The ballot's grades are not repeated here: the 同步失败 list is seen over the member's shoulder.
  'appraisal.ballot': { label: 'appraisal.ops.ballot' },
  'appraisal.decide': {
    label: 'appraisal.ops.decide',
    summary: (payload) => {
      const p = payload as { memberId: string, memberName?: string, grade: string }
      return line(p.memberName ?? memberName(p.memberId), i18n.global.t(`appraisal.grades.${p.grade}`))
    },
  },
  'commendation.nominate': {
    label: 'honours.ops.nominate',
    summary: (payload) => {
      const p = payload as { memberId?: string, citation: string }
      return line(p.memberId ? memberName(p.memberId) : '', p.citation.slice(0, 30))
    },
  },
  'commendation.decide': {
    label: 'honours.ops.decide',
    summary: payload => i18n.global.t((payload as { awarded: boolean }).awarded ? 'honours.awarded' : 'honours.notAwarded'),
  },
}

export function appOp(type: string): AppOpType | undefined {
  return Object.hasOwn(APP_OPS, type) ? APP_OPS[type as OpType] : undefined
}
