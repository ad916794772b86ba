import type { ReturnReason } from '#shared/points/categories'
import type { Entry, EntryApprovePayload, EntryReturnPayload, EntryShown } from '#shared/points/schemas'
import { LIMITS } from '#shared/constants'
import { POINTS } from '#shared/points/categories'
import { entryApprove, entryReturn } from '#shared/points/ops'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { get } from '../api/client'
import { dropQueuedApprovals, listQueuedApprovals, queuedPayloads, replaceQueuedApprovals } from '../db/approvals'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

/** A decision made on this phone and not yet answered by the server (待同步). */
export interface WaitingDecision {
  id: string
  decision: 'approve' | 'return'
  shown: EntryShown
}

const DECISION_TYPES = [entryApprove.type, entryReturn.type] as const

/** Names fit the op's limits whatever the stored text (an organizer's adjustment is named by its multi-line reason). */
const fit = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max)

export function shownOf(e: Entry): EntryShown {
  return { memberName: fit(e.memberName, LIMITS.nameMax), ruleName: fit(e.ruleName, POINTS.reasonMax), date: e.date }
}

/**
 * 待审核: the organizer's approval queue, kept in IndexedDB so it works with no signal. The server's
 * list replaces it whenever the server answers; a decision is queued as an op (entry.approve /
 * entry.return) and the entry leaves the queue at once, waiting to sync (待同步). A decision the
 * server refuses (someone else decided first) shows in 同步失败.
 */
export const useApprovalsStore = defineStore('approvals', () => {
  const session = useSessionStore()
  const items = ref<Entry[]>([])
  const waiting = ref<WaitingDecision[]>([])
  /** The queue came from the server in this visit (false: what the phone kept, perhaps older). */
  const fresh = ref(false)
  const loaded = ref(false)

  async function decidedHere(owner: string): Promise<WaitingDecision[]> {
    const payloads = await queuedPayloads<{ id: string, shown: EntryShown, reason?: string }>(owner, DECISION_TYPES)
    return payloads.map(p => ({ id: p.id, decision: p.reason === undefined ? 'approve' : 'return', shown: p.shown }))
  }

  /** The queue as kept on the phone, without the entries decided here and still waiting to sync. */
  async function load(): Promise<void> {
    const me = session.me
    if (!me)
      return
    const [kept, decided] = await Promise.all([listQueuedApprovals<Entry>(me.id), decidedHere(me.id)])
    const out = new Set(decided.map(d => d.id))
    items.value = kept.filter(e => !out.has(e.id))
    waiting.value = decided
    loaded.value = true
  }

  /**
   * Asks the server for the queue and keeps it. Offline (or the server down) the kept queue stays
   * and this throws, for the page to say so. An entry decided here is left out while its op waits,
   * including one pushed while the list was on its way (read before and after the request).
   */
  async function refresh(): Promise<void> {
    const me = session.me
    if (!me)
      return
    const before = await decidedHere(me.id)
    try {
      const res = await get<{ items: Entry[], total: number }>('/points/approvals')
      const after = await decidedHere(me.id)
      const out = new Set([...before, ...after].map(d => d.id))
      await replaceQueuedApprovals(me.id, res.items.filter(e => !out.has(e.id)))
      fresh.value = true
    }
    finally {
      await load()
    }
  }

  /** 通过: one op per entry, each with the revision the organizer saw; they leave the queue at once. */
  async function approve(entries: Entry[]): Promise<number> {
    const me = session.me!
    for (const e of entries) {
      const payload: EntryApprovePayload = { id: e.id, revision: e.revision, shown: shownOf(e) }
      await queueWrite(entryApprove, payload)
    }
    await dropQueuedApprovals(me.id, entries.map(e => e.id))
    await load()
    return entries.length
  }

  /** 退回 with a standard reason (text required for 其他, as the server says). */
  async function giveBack(entry: Entry, reason: ReturnReason, text: string): Promise<void> {
    const me = session.me!
    const words = text.trim()
    const payload: EntryReturnPayload = { id: entry.id, revision: entry.revision, reason, ...(words ? { text: words } : {}), shown: shownOf(entry) }
    await queueWrite(entryReturn, payload)
    await dropQueuedApprovals(me.id, [entry.id])
    await load()
  }

  return { items, waiting, fresh, loaded, load, refresh, approve, giveBack }
})
