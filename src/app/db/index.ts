import type { LocalPhoto, LocalRecord, MetaRow, OutboxOp, RecordKey, RejectedOp, XfDb, XfSchema } from './schema'
import { openDB } from 'idb'
import { toRaw } from 'vue'
import { DB_NAME, DB_VERSION, UPGRADES } from './schema'

export type { LocalPhoto, LocalRecord, OutboxOp, QueuedApproval, RecordKey, RejectedOp, XfDb } from './schema'
export { DB_NAME, DB_VERSION } from './schema'

/** Fired on window when a newer version of the app (another tab) needs this tab to let go of the database. */
export const DB_OUTDATED_EVENT = 'xf:db-outdated'

/** Opens the database at `version`, running every upgrade step from the version found. */
export function openXfDb(name = DB_NAME, version = DB_VERSION, onBlocking?: () => void): Promise<XfDb> {
  return openDB<XfSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++)
        UPGRADES[v]!(db, tx)
    },
    blocking() {
      onBlocking?.()
    },
  })
}

let current: Promise<XfDb> | null = null

/**
 * The app's one connection. When another tab opens a newer schema, this connection closes at once
 * (DESIGN §1 case 7) so the upgrade proceeds; this tab is then told to reload.
 */
export function getDb(): Promise<XfDb> {
  current ??= openXfDb(DB_NAME, DB_VERSION, () => {
    void current?.then(db => db.close())
    current = null
    if (typeof window !== 'undefined')
      window.dispatchEvent(new Event(DB_OUTDATED_EVENT))
  }).catch((err: unknown) => {
    current = null
    throw err
  })
  return current
}

/** For tests: forget the connection (after closing it). */
export async function closeDb(): Promise<void> {
  const db = await current?.catch(() => null)
  db?.close()
  current = null
}

/** Plain data only: Vue proxies cannot be stored, and a deep copy cuts every link to reactive state. */
export function plain<T>(value: T): T {
  const raw = toRaw(value)
  return raw === undefined ? raw : JSON.parse(JSON.stringify(raw)) as T
}

/**
 * Runs the body of a readwrite transaction: on any error the transaction is aborted (nothing of
 * it is kept) and the error is thrown once, not again as an unhandled AbortError.
 */
export async function inTx<T>(tx: { done: Promise<void>, abort: () => void }, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body()
    await tx.done
    return result
  }
  catch (err) {
    tx.done.catch(() => {})
    try {
      tx.abort()
    }
    catch {}
    throw err
  }
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await getDb()).get('meta', key))?.value as T | undefined
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await getDb()).put('meta', { key, value } satisfies MetaRow)
}

/** This phone's id, made once: the server records it with every op. */
export async function deviceId(): Promise<string> {
  const db = await getDb()
  const tx = db.transaction('meta', 'readwrite')
  const row = await tx.store.get('deviceId')
  let id = row?.value as string | undefined
  if (!id) {
    id = crypto.randomUUID()
    await tx.store.put({ key: 'deviceId', value: id })
  }
  await tx.done
  return id
}

export interface LocalWriteInput {
  memberId: string
  type: string
  payload: unknown
  /** The record this write changes, as the member should see it now. Omitted for ops with no local record. */
  record?: { entity: string, id: string, data: unknown }
  /** The rejected op this write replaces (the member edited it): removed in the same transaction. */
  replacesRejected?: string
  /** Photos the op's payload names (photoIds), kept on the phone until the server has them. */
  photos?: { id: string, mime: string, bytes: ArrayBuffer }[]
}

/**
 * One member write: the local record (marked pending) and its op in the outbox, in ONE IndexedDB
 * transaction with nothing but IndexedDB requests awaited inside (DESIGN §1, invariant 1).
 * Either both are on the phone or neither is.
 */
export async function localWrite(input: LocalWriteInput): Promise<OutboxOp> {
  const payload = plain(input.payload)
  const recordData = input.record ? plain(input.record.data) : undefined
  const opId = crypto.randomUUID()
  const now = new Date().toISOString()
  const db = await getDb()

  const tx = db.transaction(['outbox', 'meta', 'records', 'rejected', 'photos'], 'readwrite')
  return inTx(tx, async () => {
    for (const photo of input.photos ?? []) {
      // A photo kept from an earlier try (an edited rejected op) may already be here, perhaps uploaded.
      if (!await tx.objectStore('photos').get(photo.id))
        await tx.objectStore('photos').put({ id: photo.id, memberId: input.memberId, mime: photo.mime, bytes: photo.bytes, uploaded: false, createdAt: now } satisfies LocalPhoto)
    }
    const meta = tx.objectStore('meta')
    const seq = ((await meta.get('nextSeq'))?.value as number | undefined) ?? 1
    await meta.put({ key: 'nextSeq', value: seq + 1 })
    const op: OutboxOp = {
      seq,
      opId,
      memberId: input.memberId,
      type: input.type,
      payload,
      clientTime: now,
      attempts: 0,
      ...(input.record ? { record: [input.record.entity, input.record.id] as RecordKey } : {}),
    }
    await tx.objectStore('outbox').add(op)
    if (input.record) {
      const records = tx.objectStore('records')
      const key: RecordKey = [input.record.entity, input.record.id]
      const existing = await records.get(key)
      await records.put({
        entity: input.record.entity,
        id: input.record.id,
        owner: input.memberId,
        data: recordData,
        pendingOps: (existing?.pendingOps ?? 0) + 1,
        failed: existing?.failed ?? false,
        ...(existing?.server !== undefined ? { server: existing.server } : {}),
        updatedAt: now,
      })
    }
    if (input.replacesRejected)
      await tx.objectStore('rejected').delete(input.replacesRejected)
    return op
  })
}

/** The next ops of this member to push, oldest first. */
export async function outboxBatch(memberId: string, limit: number): Promise<OutboxOp[]> {
  const db = await getDb()
  const ops: OutboxOp[] = []
  let cursor = await db.transaction('outbox').store.openCursor()
  while (cursor && ops.length < limit) {
    if (cursor.value.memberId === memberId)
      ops.push(cursor.value)
    cursor = await cursor.continue()
  }
  return ops
}

export async function outboxCount(memberId?: string): Promise<number> {
  const db = await getDb()
  if (!memberId)
    return db.count('outbox')
  let n = 0
  let cursor = await db.transaction('outbox').store.openCursor()
  while (cursor) {
    if (cursor.value.memberId === memberId)
      n++
    cursor = await cursor.continue()
  }
  return n
}

export async function listRejected(memberId: string): Promise<RejectedOp[]> {
  const all = await (await getDb()).getAll('rejected')
  return all.filter(r => r.memberId === memberId).sort((a, b) => a.seq - b.seq)
}

export async function listRecords<T>(owner: string, entity?: string): Promise<LocalRecord<T>[]> {
  const all = await (await getDb()).getAllFromIndex('records', 'owner', owner) as LocalRecord<T>[]
  return entity ? all.filter(r => r.entity === entity) : all
}

export async function getRecord<T>(entity: string, id: string): Promise<LocalRecord<T> | undefined> {
  return await (await getDb()).get('records', [entity, id]) as LocalRecord<T> | undefined
}
