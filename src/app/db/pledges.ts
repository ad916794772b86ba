import type { PledgeQueueRow } from './schema'
import { getDb, plain } from '.'

/** The organizer's review queue as last fetched on this phone, or undefined before the first fetch. */
export async function readPledgeQueue(owner: string): Promise<PledgeQueueRow | undefined> {
  return (await getDb()).get('pledgeQueue', owner)
}

export async function writePledgeQueue(owner: string, pledges: unknown[]): Promise<void> {
  await (await getDb()).put('pledgeQueue', plain({ owner, pledges, fetchedAt: new Date().toISOString() }))
}
