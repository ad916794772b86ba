import type { Pledge } from '#shared/pledges/schemas'
import type { DueFlag } from '#shared/pledges/status'
import { dueFlag } from '#shared/pledges/status'

/** A pledge item to bring to someone's attention: past its due date (逾期) or close to it (即将到期). */
export interface DueItem {
  pledgeId: string
  itemId: string
  ownerName: string
  groupName: string | null
  duty: string
  target: string
  dueDate: string
  percent: number
  flag: Exclude<DueFlag, null>
}

/**
 * The flagged items of these pledges, overdue first, then the soonest due. A draft is not yet a
 * commitment, so it is left out; the flag itself is the pledges' own rule (dueFlag).
 */
export function dueItems(pledges: Pledge[], today: string): DueItem[] {
  const out: DueItem[] = []
  for (const p of pledges) {
    if (p.status === 'draft')
      continue
    for (const i of p.items) {
      const flag = dueFlag(i, today)
      if (flag)
        out.push({ pledgeId: p.id, itemId: i.id, ownerName: p.ownerName, groupName: p.groupName, duty: i.duty, target: i.target, dueDate: i.dueDate, percent: i.percent, flag })
    }
  }
  return out.sort((a, b) => (a.flag === b.flag ? 0 : a.flag === 'overdue' ? -1 : 1) || a.dueDate.localeCompare(b.dueDate))
}
