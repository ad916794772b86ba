import type { LiveStatus, PledgeResult, ProgressStatus } from './constants'
import { DUE_SOON_DAYS, PLEDGE_TIME_ZONE } from './constants'

/** Today's calendar date (YYYY-MM-DD) in the branch's time zone. */
export function todayIn(now: Date = new Date(), timeZone: string = PLEDGE_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export type DueFlag = 'overdue' | 'due_soon' | null

export interface ItemState {
  dueDate: string
  progressStatus: ProgressStatus
  result: PledgeResult | null
}

/** An item not done and not yet evaluated is 逾期 past its due date and 即将到期 within DUE_SOON_DAYS of it. */
export function dueFlag(item: ItemState, today: string): DueFlag {
  if (item.progressStatus === 'done' || item.result)
    return null
  if (item.dueDate < today)
    return 'overdue'
  if (item.dueDate <= addDays(today, DUE_SOON_DAYS))
    return 'due_soon'
  return null
}

/**
 * A pledge's live status in the archive. Evaluated (every item has a result): 已完成 when every
 * item was kept, else 未兑现. Otherwise from the progress: 已完成 when every item is done, 逾期
 * when any item is past its due date, else 进行中.
 */
export function liveStatus(items: ItemState[], today: string): LiveStatus {
  if (items.length > 0 && items.every(i => i.result))
    return items.every(i => i.result === 'kept') ? 'completed' : 'unfulfilled'
  if (items.length > 0 && items.every(i => i.progressStatus === 'done'))
    return 'completed'
  if (items.some(i => dueFlag(i, today) === 'overdue'))
    return 'overdue'
  return 'in_progress'
}
