import type { OpResult, PullResponse, PushBody, PushResponse } from '#shared/sync/protocol'
import type { OutboxOp } from '../db'
import { PHOTO_REJECT } from '#shared/photos/constants'
import { PULL_LIMITS, REJECT, SERVER_ERROR_MESSAGE, SYNC_PROTOCOL } from '#shared/sync/protocol'
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

/**
 * A push that fails with a server error (500) may be one op's fault. The same request is sent
 * this many times before the engine goes looking for that op (a full batch, or one op alone);
 * while halving, one failure is enough to choose a half.
 */
export const SERVER_FAULT_STRIKES = 2

/**
 * Ops set aside as failing, with no push since proving the server takes other ops: past this
 * many, the server is failing for everything and the round stops with every op kept.
 */
export const MAX_SUSPECTS = 5

/**
 * A server error that may be the fault of one op in the batch. Not 503 (the database is down),
 * nor 502/504 (a proxy in front of a server that is not there): those keep every op and back off.
 */
function isServerFault(err: unknown): err is TransportError {
  return err instanceof TransportError && err.status >= 500 && err.status !== 502 && err.status !== 503 && err.status !== 504
}

export const cursorKey = (memberId: string) => `cursor:${memberId}`

function strip(op: OutboxOp) {
  return { opId: op.opId, seq: op.seq, type: op.type, payload: op.payload, clientTime: op.clientTime }
}

/**
 * One full sync for one member: push every queued op (in seq order, in batches) before pulling
 * what changed. Stops at the first transport failure; nothing leaves the outbox without an answer.
 *
 * A batch the server keeps failing with 500 never stalls the queue: the engine halves it until
 * one op alone fails (SERVER_FAULT_STRIKES times), sets that op aside and delivers the ops after
 * it. The set-aside op is filed in 同步失败 (OP_SERVER_ERROR) as soon as a later push succeeds —
 * proof that the server takes other ops, so the fault is that op's and not a server failing for
 * everyone. Without that proof (it was the last op, or more than MAX_SUSPECTS fail in a row) the
 * round ends as `retry` with every op still queued, and the runner backs off.
 *
 * Order: the ops after a failing op are delivered before it is resolved — exactly as after a
 * rejection the server answers itself (DESIGN §1 case 4). Holding them back would stall the
 * member's whole queue behind one op; an op that depends on the failed one (an edit of an entry
 * whose creation failed) is refused by the server's own rules and lands in 同步失败 beside it,
 * where retrying the first and then the second restores their order.
 */
export async function syncOnce(transport: SyncTransport, memberId: string, options: { batch?: number, onProgress?: () => void } = {}): Promise<SyncOutcome> {
  /** The most ops per push: the batch, halved for good by a 413. */
  let limit = options.batch ?? PUSH_BATCH
  /** While looking for a failing op: it is among the first `window` queued ops (suspects aside). */
  let window: number | undefined
  /** Server errors in a row for the request being sent. */
  let strikes = 0
  /** Ops that failed alone, set aside until a successful push proves the fault is theirs. */
  let suspects: OutboxOp[] = []
  let pushed = 0
  let rejected = 0
  let pulled = 0
  try {
    const device = await deviceId()
    for (;;) {
      const size = window === undefined ? limit : Math.max(1, Math.floor(window / 2))
      const aside = new Set(suspects.map(op => op.opId))
      const ops = (await outboxBatch(memberId, size + aside.size)).filter(op => !aside.has(op.opId)).slice(0, size)
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
        if (err instanceof TransportError && err.status === 413 && limit > 1) {
          limit = Math.max(1, Math.floor(limit / 2))
          window = undefined
          continue
        }
        if (!isServerFault(err))
          throw err
        strikes++
        if (strikes < (window === undefined || ops.length === 1 ? SERVER_FAULT_STRIKES : 1))
          continue
        strikes = 0
        if (ops.length > 1) {
          window = ops.length
          continue
        }
        // This op alone makes the server fail, again and again: set it aside, deliver the rest.
        suspects.push(ops[0]!)
        window = undefined
        if (suspects.length > MAX_SUSPECTS)
          throw err
        continue
      }
      strikes = 0
      if (window !== undefined)
        window = window > ops.length ? window - ops.length : undefined
      const { answered, rejected: r } = await applyPushResults(ops, response.results)
      pushed += answered
      rejected += r
      if (answered > 0 && suspects.length > 0) {
        const filed = await applyPushResults(suspects, suspects.map(op => ({ opId: op.opId, status: 'rejected' as const, code: REJECT.serverError, message: SERVER_ERROR_MESSAGE })))
        pushed += filed.answered
        rejected += filed.rejected
        suspects = []
      }
      options.onProgress?.()
      if (answered === 0)
        return { kind: 'retry', status: 200, message: 'no answers' }
    }
    if (suspects.length > 0)
      return { kind: 'retry', status: 500, message: 'server error; no push since proved the fault is one op\'s' }
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
