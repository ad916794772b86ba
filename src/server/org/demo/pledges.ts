import type { PledgeCreateBody } from '#shared/pledges/schemas'
import type { Actor } from '../../plugins/auth'
import type { DemoContext } from './context'
import { localDate } from '#shared/points/periods'
import { addFeedback, boardSlug, listFeedback, moderateFeedback } from '../../pledges/board'
import { evaluatePledge } from '../../pledges/evaluation'
import { pledgeProgressHandler } from '../../pledges/progress'
import { createPledge, reviewPledge, submitPledge } from '../../pledges/workflow'
import { newId } from '../../util/ids'
import { asOp, instantAt } from './context'

/**
 * 公开承诺: pledges on the public board with their 践诺 records and a visitor's message the
 * branch let through; one kept item already judged (评诺, its points granted); one pledge
 * waiting for the branch's review and one returned for a fix.
 */
export async function seedPledges(c: DemoContext): Promise<void> {
  const year = Number(localDate(c.now).slice(0, 4))
  const due = (month: number) => `${year}-${String(month).padStart(2, '0')}-28`
  const supervision = { supervisor: '支部纪检委员 示例·赵书记', supervisorContact: '党员活动室 意见箱' }
  const content = (items: PledgeCreateBody['items']) => ({ year, ...supervision, items })
  const [g1, g2, g3] = c.members as [Actor[], Actor[], Actor[]]

  const mine = await pledge(g1[0]!, { ownerKind: 'member', ...content([
    { category: 'study', duty: '理论学习', target: '全年撰写学习笔记不少于 4 篇', dueDate: due(6) },
    { category: 'serve', duty: '窗口服务', target: '群众办事一次办结率达到 95%', dueDate: due(12) },
  ]) }, 'publish')
  const group = await pledge(c.leaders[0]!, { ownerKind: 'group', groupId: c.leaders[0]!.groupId, ...content([
    { category: 'excel', duty: '专项检验', target: '完成辖区食品抽检任务 200 批次', dueDate: due(11) },
  ]) }, 'publish')
  const other = await pledge(g3[0]!, { ownerKind: 'member', ...content([
    { category: 'serve', duty: '志愿服务', target: '每季度参加社区志愿服务一次', dueDate: due(12) },
  ]) }, 'publish')
  await pledge(g2[0]!, { ownerKind: 'member', ...content([
    { category: 'study', duty: '业务学习', target: '取得检验员中级资格', dueDate: due(12) },
  ]) }, 'submit')
  await pledge(g2[1]!, { ownerKind: 'member', ...content([
    { category: 'uphold', duty: '作风建设', target: '做好本职', dueDate: due(12) },
  ]) }, { return: '承诺目标请写得具体、可衡量，例如次数或时限' })

  // 践诺: the owners record progress over the year.
  const progress = async (by: Actor, itemId: string, status: 'in_progress' | 'done', percent: number, note: string, at: number) =>
    asOp(c, by, pledgeProgressHandler, { id: newId(), itemId, status, percent, note }, instantAt(c, at))
  await progress(g1[0]!, mine.items[0]!, 'in_progress', 50, '已完成学习笔记 2 篇', 0.3)
  await progress(g1[0]!, mine.items[0]!, 'done', 100, '4 篇学习笔记全部完成', 0.45)
  await progress(g1[0]!, mine.items[1]!, 'in_progress', 70, '前三季度一次办结率 96%', 0.75)
  await progress(c.leaders[0]!, group.items[0]!, 'in_progress', 80, '已完成抽检 160 批次', 0.8)
  await progress(g3[0]!, other.items[0]!, 'in_progress', 75, '已参加 3 次社区志愿服务', 0.78)

  // 评诺 of the item whose due date has passed: 已兑现, its points granted.
  await c.db.transaction().execute(trx => evaluatePledge(trx, c.admin, mine.id, { items: [{ itemId: mine.items[0]!, result: 'kept', comment: '按期兑现' }] }, localDate(c.now)))

  // The public board: two visitors write; the branch lets one through and the other still waits.
  const slug = await boardSlug(c.db, c.branchId)
  await addFeedback(c.db, slug, '192.0.2.10', { pledgeId: mine.id, name: '幸福里社区居民', text: '办事窗口服务热情，一次就办好了，点赞！' }, () => {})
  const [approved] = await listFeedback(c.db, c.admin, 'pending')
  await c.db.transaction().execute(trx => moderateFeedback(trx, c.admin, approved!.id, 'approve'))
  await addFeedback(c.db, slug, '192.0.2.11', { pledgeId: group.id, text: '希望公布抽检结果' }, () => {})

  /** Writes a pledge as its author and takes it as far as the branch's `until`. */
  async function pledge(author: Actor, body: PledgeCreateBody, until: 'publish' | 'submit' | { return: string }) {
    return c.db.transaction().execute(async (trx) => {
      const created = await createPledge(trx, author, body)
      await submitPledge(trx, author, created.id)
      if (until === 'submit')
        return { id: created.id, items: created.items.map(i => i.id) }
      if (typeof until === 'object') {
        await reviewPledge(trx, c.admin, created.id, 'return', until.return)
      }
      else {
        await reviewPledge(trx, c.admin, created.id, 'approve')
        await reviewPledge(trx, c.admin, created.id, 'publish')
      }
      return { id: created.id, items: created.items.map(i => i.id) }
    })
  }
}
