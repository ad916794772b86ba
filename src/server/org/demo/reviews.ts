import type { Actor } from '../../plugins/auth'
import type { DemoContext } from './context'
import { localDate } from '#shared/points/periods'
import { MEMBER_DIMENSIONS } from '#shared/reviews/constants'
import { reviewAdvanceHandler, reviewBallotHandler, reviewCreateHandler, reviewStatementHandler } from '../../reviews/ops'
import { newId } from '../../util/ids'
import { asOp, instantAt } from './context'

const STATEMENTS = [
  { participation: '按时参加组织生活和主题党日，参加社区志愿服务 6 次。', pledges: '年初承诺的三项已完成两项，业务培训一项正在进行。', improvement: '理论学习还不够系统，下半年坚持每周学习一次。' },
  { participation: '全年参加党小组会 10 次，带头完成窗口服务任务。', pledges: '承诺事项均按期兑现。', improvement: '加强与群众的沟通，多听意见。' },
  { participation: '参加学习和志愿服务，做好本职工作。', pledges: '一项承诺因工作调整延期，已向支部说明。', improvement: '提高工作效率，按时完成承诺。' },
]

/** The first group's 讲评 of the first half year, held and closed; the second group's of this half, open for 陈述. */
export async function seedReviews(c: DemoContext): Promise<void> {
  const year = localDate(c.now).slice(0, 4)
  const held = [c.leaders[0]!, ...c.members[0]!]
  const closed = newId()
  await asOp(c, c.leaders[0]!, reviewCreateHandler, { id: closed, groupId: c.leaders[0]!.groupId, period: `${year}-H1`, meetingId: null, title: '上半年讲评' }, instantAt(c, 0.5))
  await asOp(c, c.leaders[0]!, reviewAdvanceHandler, { sessionId: closed, to: 'open' }, instantAt(c, 0.51))
  for (const [i, who] of held.entries())
    await asOp(c, who, reviewStatementHandler, { sessionId: closed, ...STATEMENTS[i % STATEMENTS.length]! }, instantAt(c, 0.51))
  await asOp(c, c.leaders[0]!, reviewAdvanceHandler, { sessionId: closed, to: 'rating' }, instantAt(c, 0.52))
  for (const [i, rater] of held.entries())
    await asOp(c, rater, reviewBallotHandler, { sessionId: closed, ratings: others(held, rater, i) }, instantAt(c, 0.52))
  await asOp(c, c.leaders[0]!, reviewAdvanceHandler, { sessionId: closed, to: 'closed' }, instantAt(c, 0.53))

  if (!c.leaders[1])
    return
  const open = newId()
  await asOp(c, c.leaders[1], reviewCreateHandler, { id: open, groupId: c.leaders[1].groupId, period: `${year}-H2`, meetingId: null, title: '下半年讲评' })
  await asOp(c, c.leaders[1], reviewAdvanceHandler, { sessionId: open, to: 'open' })
  await asOp(c, c.leaders[1], reviewStatementHandler, { sessionId: open, ...STATEMENTS[1]! })
}

/** A ballot rating everyone else of the group: mostly 满意, some 比较满意, a comment now and then. */
function others(group: Actor[], rater: Actor, i: number) {
  return group.filter(m => m.id !== rater.id).map((m, j) => ({
    rateeId: m.id,
    scores: Object.fromEntries(MEMBER_DIMENSIONS.map((d, k) => [d, (i + j + k) % 4 === 0 ? 3 : 4])) as Record<(typeof MEMBER_DIMENSIONS)[number], 3 | 4>,
    ...(j === 0 ? { comment: '工作认真，带头作用明显' } : {}),
  }))
}
