import type { OpResult, PullResponse, PushBody, PushResponse } from '#shared/sync/protocol'
import type { OutboxOp } from '../db'
import { PHOTO_REJECT } from '#shared/photos/constants'
import { PULL_LIMITS, SYNC_PROTOCOL } from '#shared/sync/protocol'
import { deviceId, getMeta, outboxBatch, setMeta } from '../db'
import { applyPullPage, applyPushResults } from '../db/outcomes'
import { getLocalPhoto, markPhotoUploaded, photoIdsOf, prunePhotos } from '../db/photos'

/** How the engine reaches the server; the app uses fetch, tests use a fake. */
export interface SyncTransport {
  push: (body: PushBody) => Promise<PushResponse>
  pull: (since: string, limit: number) => Promise<PullResponse>
  /** PUT one photo's bytes under its id; throws TransportError. Repeating it is harmless. */
  uploadPhoto: (id: string, mime: string, bytes: ArrayBuffer) => Promise<void>
}

/** What went wrong talking to the server, as far as syncing cares. */
export class TransportError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message)
  }
}

/** Upload answers that will not change on a retry: the op that needs the photo is refused with them. */
const PHOTO_REFUSALS: Record<number, string> = { 400: PHOTO_REJECT.type, 409: PHOTO_REJECT.idTaken, 413: PHOTO_REJECT.tooLarge, 415: PHOTO_REJECT.type }

/**
 * Uploads the photos a batch's ops name, before the ops are pushed, so no op reaches the server
 * ahead of its photos. Returns a rejection for each op one of whose photos the server refused
 * for good; any other failure is thrown and everything stays queued. A photo missing on the
 * phone is left to the server to judge (it may have it already).
 */
async function uploadPhotosFor(transport: SyncTransport, ops: OutboxOp[]): Promise<OpResult[]> {
  const refused: OpResult[] = []
  for (const op of ops) {
    for (const id of photoIdsOf(op.payload)) {
      const photo = await getLocalPhoto(id)
      if (!photo || photo.uploaded)
        continue
      try {
        await transport.uploadPhoto(id, photo.mime, photo.bytes)
        await markPhotoUploaded(id)
      }
      catch (err) {
        const code = err instanceof TransportError ? PHOTO_REFUSALS[err.status] : undefined
        if (!code || !(err instanceof TransportError))
          throw err
        refused.push({ opId: op.opId, status: 'rejected', code: err.code ?? code, message: `照片未能上传：${err.message}` })
        break
      }
    }
  }
  return refused
}

export type SyncOutcome
  = | { kind: 'done', pushed: number, rejected: number, pulled: number }
  /** Session gone: every op stays; sync resumes after the member logs in again. */
    | { kind: 'auth' }
  /** Server unreachable or in trouble: try again later, with back-off. */
    | { kind: 'retry', status: number, message: string }
  /** The server speaks another protocol: the app must be updated. */
    | { kind: 'fatal', status: number, message: string }

export const PUSH_BATCH = 200

export const cursorKey = (memberId: string) => `cursor:${memberId}`

function strip(op: OutboxOp) {
  return { opId: op.opId, seq: op.seq, type: op.type, payload: op.payload, clientTime: op.clientTime }
}

/**
 * One full sync for one member: push every queued op (in seq order, in batches) before pulling
 * what changed. Stops at the first transport failure; nothing leaves the outbox without an answer.
 */
export async function syncOnce(transport: SyncTransport, memberId: string, options: { batch?: number, onProgress?: () => void } = {}): Promise<SyncOutcome> {
  let batch = options.batch ?? PUSH_BATCH
  let pushed = 0
  let rejected = 0
  let pulled = 0
  try {
    const device = await deviceId()
    for (;;) {
      const ops = await outboxBatch(memberId, batch)
      if (ops.length === 0)
        break
      const refused = await uploadPhotosFor(transport, ops)
      if (refused.length > 0) {
        // Filed in 同步失败 with the server's reason; the rest of the batch is read again without them.
        const r = await applyPushResults(ops.filter(op => refused.some(x => x.opId === op.opId)), refused)
        pushed += r.answered
        rejected += r.rejected
        options.onProgress?.()
        continue
      }
      let response: PushResponse
      try {
        response = await transport.push({ protocol: SYNC_PROTOCOL, deviceId: device, ops: ops.map(strip) })
      }
      catch (err) {
        // A body the server finds too large: send smaller batches rather than stall.
        if (err instanceof TransportError && err.status === 413 && batch > 1) {
          batch = Math.max(1, Math.floor(batch / 2))
          continue
        }
        throw err
      }
      const { answered, rejected: r } = await applyPushResults(ops, response.results)
      pushed += answered
      rejected += r
      options.onProgress?.()
      if (answered === 0)
        return { kind: 'retry', status: 200, message: 'no answers' }
    }
    await prunePhotos()
    const key = cursorKey(memberId)
    for (;;) {
      const since = (await getMeta<string>(key)) ?? ''
      const page = await transport.pull(since, PULL_LIMITS.default)
      pulled += await applyPullPage(memberId, key, page)
      if (!page.hasMore)
        break
    }
    await setMeta('lastSyncAt', new Date().toISOString())
    return { kind: 'done', pushed, rejected, pulled }
  }
  catch (err) {
    if (err instanceof TransportError) {
      if (err.status === 401)
        return { kind: 'auth' }
      if (err.status === 400 || err.status === 403)
        return { kind: 'fatal', status: err.status, message: err.message }
      return { kind: 'retry', status: err.status, message: err.message }
    }
    throw err
  }
}

/** Back-off with full jitter: 2 s, 4 s, 8 s … up to 5 minutes, each scaled by a random 0.5–1.5. */
export function backoffMs(failures: number, random = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, failures - 1), 300_000)
  return Math.round(base * (0.5 + random()))
}
