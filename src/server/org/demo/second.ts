import type { Entry } from '#shared/points/schemas'
import type { DemoContext } from './context'
import { approveEntry } from '../../points/approval'
import { entryCreateHandler } from '../../points/ops'
import { listRules } from '../../points/rules'
import { newId } from '../../util/ids'
import { asOp, dateAt, instantAt } from './context'

const ACTIVITIES: { rule: string, note: string, variant?: string }[] = [
  { rule: 'volunteer', note: '社区志愿服务' },
  { rule: 'study-notes', note: '学习笔记一篇' },
  { rule: 'reflection', note: '主题教育心得' },
]

/**
 * The second, smaller sample branch's year (issue 14: something for the upper organization to
 * compare): every member and leader logs a few activities, which their organizer approves — through
 * the same op handler and approval service as the sample branch's.
 */
export async function seedSecondBranch(c: DemoContext): Promise<void> {
  const rules = new Map((await listRules(c.db, c.branchId)).map(r => [r.key, r.id]))
  const people = [...c.leaders, ...c.members.flat()]
  let n = 0
  for (const [i, who] of people.entries()) {
    for (const a of ACTIVITIES.slice(0, 1 + (i % ACTIVITIES.length))) {
      const at = 0.1 + (n++ % 8) / 10
      const id = newId()
      const created = await asOp(c, who, entryCreateHandler, { id, ruleId: rules.get(a.rule)!, date: dateAt(c, at), note: a.note }, instantAt(c, at)) as Entry
      await c.db.transaction().execute(async (trx) => {
        const group = c.members.findIndex(g => g.some(x => x.id === who.id))
        const organizer = created.stage === 'branch' || group < 0 ? c.admin : c.leaders[group]!
        const entry = await approveEntry(trx, organizer, id)
        if (entry.status === 'pending')
          await approveEntry(trx, c.admin, id)
      })
    }
  }
}
