import type { LocalPhoto } from './schema'
import { getDb, inTx } from './index'

/** The photo ids an op's payload names (entry.create, entry.resubmit, pledge.progress…). */
export function photoIdsOf(payload: unknown): string[] {
  const ids = (payload as { photoIds?: unknown } | null)?.photoIds
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []
}

export async function getLocalPhoto(id: string): Promise<LocalPhoto | undefined> {
  return (await getDb()).get('photos', id)
}

export async function markPhotoUploaded(id: string): Promise<void> {
  const db = await getDb()
  const tx = db.transaction('photos', 'readwrite')
  await inTx(tx, async () => {
    const photo = await tx.store.get(id)
    if (photo && !photo.uploaded)
      await tx.store.put({ ...photo, uploaded: true })
  })
}

/**
 * Drops photos no queued or rejected op needs any more: the server has them (or the op that
 * wanted them was discarded). A photo of a rejected op stays, so a retry or an edit can send it.
 */
export async function prunePhotos(): Promise<number> {
  const db = await getDb()
  const tx = db.transaction(['photos', 'outbox', 'rejected'], 'readwrite')
  return inTx(tx, async () => {
    const needed = new Set<string>()
    for (const op of [...await tx.objectStore('outbox').getAll(), ...await tx.objectStore('rejected').getAll()])
      photoIdsOf(op.payload).forEach(id => needed.add(id))
    let dropped = 0
    for (const id of await tx.objectStore('photos').getAllKeys()) {
      if (!needed.has(id)) {
        await tx.objectStore('photos').delete(id)
        dropped++
      }
    }
    return dropped
  })
}
