import type { Pledge } from '#shared/pledges/schemas'
import { todayIn } from '#shared/pledges/status'
import { useSessionStore } from '../../stores/session'
import { localPledges, pledgesApi, withLocalProgress } from '../pledges/pledges-api'

/** The pledges whose items the home screen checks for due dates (HomeDueNotice, HomeOverdueCard). */
export function useDuePledges() {
  const session = useSessionStore()

  /**
   * The member's own pledges, with progress recorded on this phone laid over them. With no
   * network (or a refusal) the phone's own copy still knows the due dates.
   */
  async function mine(): Promise<Pledge[]> {
    const me = session.me
    if (!me)
      return []
    try {
      return await withLocalProgress(me.id, await pledgesApi.list({ mine: true }))
    }
    catch {
      return localPledges(me.id).catch(() => [])
    }
  }

  /**
   * An organizer's scope (a leader's group, a branch admin's branch), this year's pledges and
   * last year's (items may fall due in the year after the pledge's own). Needs the network: it
   * throws rather than answer from a stale copy. Empty for a leader without a group.
   */
  async function inScope(): Promise<Pledge[]> {
    const me = session.me
    if (!me)
      return []
    const year = Number(todayIn().slice(0, 4))
    const groupId = me.role === 'branch_admin' ? undefined : me.groupId ?? undefined
    if (me.role !== 'branch_admin' && !groupId)
      return []
    const lists = await Promise.all([year, year - 1].map(y => pledgesApi.list({ year: y, groupId })))
    return lists.flat()
  }

  return { mine, inScope }
}
