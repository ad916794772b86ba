import type { QueuedApproval } from './schema'
import { getDb, inTx, plain } from './index'

/** The organizer's 待审核 queue as last kept on this phone, in the server's order. */
export async function listQueuedApprovals<T>(owner: string): Promise<T[]> {
  const rows = await (await getDb()).getAllFromIndex('approvals', 'owner', owner)
  return rows.sort((a, b) => a.order - b.order).map(r => r.entry as T)
}

/** Replaces the organizer's whole queue with the server's list, in one transaction. */
export async function replaceQueuedApprovals(owner: string, entries: { id: string }[]): Promise<void> {
  const db = await getDb()
  const tx = db.transaction('approvals', 'readwrite')
  await inTx(tx, async () => {
    for (const key of await tx.store.index('owner').getAllKeys(owner))
      await tx.store.delete(key)
    for (const [order, entry] of entries.entries())
      await tx.store.put({ owner, id: entry.id, entry: plain(entry), order } satisfies QueuedApproval)
  })
}

/** Takes decided entries out of the organizer's queue (their op is already in the outbox). */
export async function dropQueuedApprovals(owner: string, ids: string[]): Promise<void> {
  const db = await getDb()
  const tx = db.transaction('approvals', 'readwrite')
  await inTx(tx, async () => {
    for (const id of ids)
      await tx.store.delete([owner, id])
  })
}

/** The payloads of this member's ops of the given types still in the outbox (not yet answered). */
export async function queuedPayloads<T>(memberId: string, types: readonly string[]): Promise<T[]> {
  const ops = await (await getDb()).getAll('outbox')
  return ops.filter(op => op.memberId === memberId && types.includes(op.type)).sort((a, b) => a.seq - b.seq).map(op => op.payload as T)
}
