import type { ReturnReason } from '#shared/points/categories'
import type { Entry } from '#shared/points/schemas'
import type { Actor } from '../../plugins/auth'
import type { DemoContext } from './context'
import { approveEntry, returnEntry, revokeEntry } from '../../points/approval'
import { adjustPoints } from '../../points/grants'
import { entryCreateHandler } from '../../points/ops'
import { listRules } from '../../points/rules'
import { newId } from '../../util/ids'
import { asOp, dateAt, instantAt } from './context'

/** One member-logged entry of the demo year, and what its organizer did with it. */
interface Logged {
  by: Actor
  rule: string
  variant?: string
  at: number
  note: string
  /** Left alone: waits in the organizer's queue (group stage, or the branch's after the group passed it). */
  decision: 'approve' | 'pending' | 'group_only' | { return: ReturnReason, text?: string } | { revoke: string }
}

/**
 * 积分: a year of member-logged entries in every status — approved (one over its yearly cap, so
 * clipped), waiting for the group leader, waiting for the branch, returned for a fix, revoked by
 * the branch — and the organizers' own 加分/扣分. The group's leader decides their members'
 * entries; the branch admin decides the leaders' and the branch-stage ones.
 */
export async function seedPoints(c: DemoContext): Promise<void> {
  const rules = new Map((await listRules(c.db, c.branchId)).map(r => [r.key, r.id]))
  const ruleId = (key: string) => {
    const id = rules.get(key)
    if (!id)
      throw new Error(`demo: no rule ${key}`)
    return id
  }
  const [g1, g2, g3] = c.members as [Actor[], Actor[], Actor[]]
  const [l1, l2, l3] = c.leaders as [Actor, Actor, Actor]
  const logged: Logged[] = [
    // 示例·张二 (demo.member1): something of every kind to look at on 我的积分.
    { by: g1[0]!, rule: 'volunteer', at: 0.08, note: '社区食品安全宣传', decision: 'approve' },
    { by: g1[0]!, rule: 'study-notes', at: 0.2, note: '学习笔记一篇', decision: 'approve' },
    { by: g1[0]!, rule: 'training', variant: 'month', at: 0.35, note: '党校中青班结业', decision: 'approve' },
    { by: g1[0]!, rule: 'micro-wish', at: 0.6, note: '认领微心愿：为独居老人修理电器', decision: { return: 'evidence_missing', text: '请补一张现场照片' } },
    { by: g1[0]!, rule: 'article', variant: 'normal', at: 0.8, note: '微党课《身边的榜样》主讲', decision: 'group_only' },
    { by: g1[0]!, rule: 'volunteer', at: 0.97, note: '进社区义诊志愿服务', decision: 'pending' },
    // 示例·张三: five 心得体会, over the cap of 4 a year: the fifth is clipped.
    ...[0.1, 0.3, 0.5, 0.7, 0.9].map((at, i) => ({ by: g1[1]!, rule: 'reflection', at, note: `心得体会第 ${i + 1} 篇`, decision: 'approve' as const })),
    { by: g1[2]!, rule: 'micro-wish', at: 0.45, note: '结对帮扶困难家庭', decision: 'approve' },
    { by: g1[2]!, rule: 'volunteer', at: 0.95, note: '无偿献血志愿服务', decision: 'pending' },
    { by: l1, rule: 'urgent-task', at: 0.55, note: '汛期应急值守', decision: 'approve' },
    // 第二党小组
    { by: g2[0]!, rule: 'job-award', variant: 'bureau', at: 0.25, note: '局级岗位能手', decision: 'approve' },
    { by: g2[0]!, rule: 'volunteer', at: 0.4, note: '交通文明劝导', decision: { revoke: '与 5 月的志愿服务记录重复，撤销' } },
    { by: g2[1]!, rule: 'study-notes', at: 0.15, note: '学习笔记', decision: 'approve' },
    { by: g2[1]!, rule: 'suggestion', at: 0.85, note: '窗口服务流程优化建议被采纳', decision: 'group_only' },
    { by: l2, rule: 'volunteer', at: 0.3, note: '垃圾分类宣传', decision: 'approve' },
    // 第三党小组
    { by: g3[0]!, rule: 'praise', variant: 'letter', at: 0.5, note: '收到群众锦旗一面', decision: 'approve' },
    { by: g3[1]!, rule: 'reflection', at: 0.65, note: '主题教育心得', decision: { return: 'wrong_date', text: '日期与活动通知不符' } },
    { by: g3[2]!, rule: 'training', variant: 'week', at: 0.75, note: '业务培训三天', decision: 'approve' },
    { by: l3, rule: 'article', variant: 'city', at: 0.6, note: '理论文章获市级采用', decision: 'approve' },
  ]
  const leaderOf = (m: Actor) => m.role === 'group_leader' ? c.admin : c.leaders[c.members.findIndex(g => g.some(x => x.id === m.id))]!
  for (const e of logged.sort((a, b) => a.at - b.at)) {
    const id = newId()
    const at = instantAt(c, e.at)
    const created = await asOp(c, e.by, entryCreateHandler, { id, ruleId: ruleId(e.rule), date: dateAt(c, e.at), note: e.note, ...(e.variant ? { variant: e.variant } : {}) }, at) as Entry
    const d = e.decision
    if (d === 'pending')
      continue
    await c.db.transaction().execute(async (trx) => {
      // A rule the branch approves skips the group stage.
      const organizer = created.stage === 'branch' ? c.admin : leaderOf(e.by)
      if (typeof d === 'object' && 'return' in d)
        return returnEntry(trx, organizer, id, { reason: d.return, text: d.text })
      const entry = await approveEntry(trx, organizer, id)
      // An entry that also needs the branch goes on to the admin, unless the demo leaves it waiting there.
      if (entry.status === 'pending' && d !== 'group_only')
        await approveEntry(trx, c.admin, id)
      if (typeof d === 'object' && 'revoke' in d)
        await revokeEntry(trx, c.admin, id, d.revoke)
    })
  }
  // The organizers' own 加分/扣分: the admin's take effect at once, by a rule or free points with a reason.
  await c.db.transaction().execute(async (trx) => {
    await adjustPoints(trx, c.admin, { memberId: g2[1]!.id, date: dateAt(c, 0.42), reason: '抗疫专项检验任务', ruleId: ruleId('urgent-task') })
    await adjustPoints(trx, c.admin, { memberId: g3[2]!.id, date: dateAt(c, 0.52), reason: '第二季度党费未按时交纳', ruleId: ruleId('dues') })
    await adjustPoints(trx, l2, { memberId: g2[0]!.id, date: dateAt(c, 0.68), reason: '组织小组读书会', category: 'study', points: 1 })
  })
}
