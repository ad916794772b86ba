import type { Change, OpResult } from '#shared/sync/protocol'
import type { LocalRecord, OutboxOp, RecordKey, RejectedOp } from './schema'
import { getDb, inTx } from './index'

/**
 * The server's answers for a pushed batch, in one transaction: answered ops leave the outbox
 * (applied and duplicate clear their record's 待同步 mark, rejected ones move to `rejected`);
 * an op without an answer stays exactly where it was.
 */
export async function applyPushResults(ops: OutboxOp[], results: OpResult[]): Promise<{ answered: number, rejected: number }> {
  const byId = new Map(results.map(r => [r.opId, r]))
  const db = await getDb()
  const tx = db.transaction(['outbox', 'records', 'rejected'], 'readwrite')
  return inTx(tx, async () => {
    const outbox = tx.objectStore('outbox')
    const records = tx.objectStore('records')
    let answered = 0
    let rejected = 0
    const now = new Date().toISOString()
    for (const op of ops) {
      const result = byId.get(op.opId)
      if (!result) {
        await outbox.put({ ...op, attempts: op.attempts + 1 })
        continue
      }
      answered++
      await outbox.delete(op.seq)
      const record = op.record ? await records.get(op.record) : undefined
      if (result.status === 'rejected') {
        rejected++
        await tx.objectStore('rejected').put({ ...op, code: result.code ?? 'REJECTED', message: result.message ?? '', ...(result.params ? { params: result.params } : {}), rejectedAt: now } satisfies RejectedOp)
        if (record)
          await records.put({ ...record, pendingOps: Math.max(0, record.pendingOps - 1), failed: true })
      }
      else if (record) {
        const pendingOps = Math.max(0, record.pendingOps - 1)
        const server = result.entity ?? record.data
        // With more ops still waiting for this record, the member's newest local version stays on screen.
        await records.put({ ...record, pendingOps, server, ...(pendingOps === 0 && !record.failed ? { data: server } : {}) })
      }
    }
    return { answered, rejected }
  })
}

/** One pulled page and the new cursor, in one transaction (DESIGN §1, invariant 6). */
export async function applyPullPage(owner: string, cursorKey: string, page: { changes: Change[], cursor: string, reset?: boolean }): Promise<number> {
  const db = await getDb()
  const tx = db.transaction(['records', 'meta'], 'readwrite')
  return inTx(tx, async () => {
    const records = tx.objectStore('records')
    if (page.reset) {
      // Start over from the server's view (a cursor too old or of another scope). Records with ops
      // still in the outbox or in 同步失败 stay as the member left them; this page and the next refresh
      // their server copy, and the push answers put the accepted version on screen.
      for (const key of await records.index('owner').getAllKeys(owner)) {
        const r = await records.get(key)
        if (r && r.pendingOps === 0 && !r.failed)
          await records.delete(key)
      }
    }
    for (const change of page.changes) {
      const key: RecordKey = [change.entity, change.entityId]
      const existing = await records.get(key)
      const busy = existing && (existing.pendingOps > 0 || existing.failed)
      if (change.op === 'delete') {
        if (!busy)
          await records.delete(key)
        continue
      }
      if (busy) {
        await records.put({ ...existing, server: change.data })
      }
      else {
        await records.put({ entity: change.entity, id: change.entityId, owner, data: change.data, pendingOps: 0, failed: false, server: change.data, updatedAt: new Date().toISOString() } satisfies LocalRecord)
      }
    }
    await tx.objectStore('meta').put({ key: cursorKey, value: page.cursor })
    return page.changes.length
  })
}

interface RecordStore {
  get: (key: RecordKey) => Promise<LocalRecord | undefined>
  put: (value: LocalRecord) => Promise<unknown>
  delete: (key: RecordKey) => Promise<void>
}

async function settleRecord(key: RecordKey | undefined, tx: { records: RecordStore, rejectedLeft: number }) {
  if (!key)
    return
  const record = await tx.records.get(key)
  if (!record || tx.rejectedLeft > 0)
    return
  if (record.pendingOps > 0)
    await tx.records.put({ ...record, failed: false })
  else if (record.server !== undefined)
    await tx.records.put({ ...record, failed: false, data: record.server })
  else
    await tx.records.delete(key)
}

/** Discard a rejected op: its record goes back to what the server has (or away, if it never reached it). */
export async function discardRejected(opId: string): Promise<void> {
  const db = await getDb()
  const tx = db.transaction(['rejected', 'records'], 'readwrite')
  await inTx(tx, async () => {
    const rejected = tx.objectStore('rejected')
    const op = await rejected.get(opId)
    if (op) {
      await rejected.delete(opId)
      const left = op.record ? (await rejected.getAll()).filter(r => r.record && r.record[0] === op.record![0] && r.record[1] === op.record![1]).length : 0
      await settleRecord(op.record, { records: tx.objectStore('records'), rejectedLeft: left })
    }
  })
}

/**
 * Send a rejected op again as a new op (a new id: the old one is recorded as rejected on the
 * server and would be answered the same). Useful when the reason was fixed, e.g. a permission.
 */
export async function retryRejected(opId: string): Promise<OutboxOp | undefined> {
  const db = await getDb()
  const tx = db.transaction(['rejected', 'records', 'outbox', 'meta'], 'readwrite')
  return inTx(tx, async () => {
    const op = await tx.objectStore('rejected').get(opId)
    if (!op)
      return undefined
    const meta = tx.objectStore('meta')
    const seq = ((await meta.get('nextSeq'))?.value as number | undefined) ?? 1
    await meta.put({ key: 'nextSeq', value: seq + 1 })
    const { code: _c, message: _m, rejectedAt: _r, ...rest } = op
    const fresh: OutboxOp = { ...rest, seq, opId: crypto.randomUUID(), attempts: 0, clientTime: new Date().toISOString() }
    await tx.objectStore('outbox').add(fresh)
    await tx.objectStore('rejected').delete(opId)
    if (op.record) {
      const records = tx.objectStore('records')
      const record = await records.get(op.record)
      if (record)
        await records.put({ ...record, pendingOps: record.pendingOps + 1, failed: false })
    }
    return fresh
  })
}
