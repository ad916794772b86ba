import type { OpResult } from '#shared/sync/protocol'
import type { FastifyBaseLogger } from 'fastify'
import type { Transaction } from 'kysely'
import type { TSchema } from 'typebox'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { OpContext, OpHandler } from './registry'
import type { SyncOpRow } from './repository'
import { createHash } from 'node:crypto'
import { bilingual } from '#shared/errors/catalog'
import { Op, REJECT, SERVER_ERROR_MESSAGE } from '#shared/sync/protocol'
import { PostgresAdapter, sql } from 'kysely'
import { Compile } from 'typebox/compile'
import { isUniqueViolation } from '../db/errors'
import { failure } from '../errors'
import { isDatabaseUnavailable } from '../plugins/errors'
import { nowIsoThisMs } from '../util/clock'
import { ChangeBuffer, recordedText, withChangeBuffer } from './changes'
import { mayRun, opHandler, OpRejection, opRejection } from './registry'
import { findSyncOps, insertSyncOps, savepoint } from './repository'

/** Compiled once per schema: checking each op with the interpreter costs ~0.1 ms, compiled ~0.01 ms. */
const validators = new WeakMap<TSchema, ReturnType<typeof Compile>>()
function validator(schema: TSchema) {
  let v = validators.get(schema)
  if (!v) {
    v = Compile(schema)
    validators.set(schema, v)
  }
  return v
}

/** Where an op that fails on the server is reported: the request's logger. */
export type OpLogger = Pick<FastifyBaseLogger, 'error'>

/** Another request recorded an op id of the batch between our check and our insert: roll back and look again. */
class RaceLost extends Error {}

interface Stored {
  memberId: string
  payloadHash: string
  result: OpResult
}

/**
 * Whether JSON.stringify already writes `value` canonically: every object's keys in sorted order
 * (as canonicalJson sorts them), which is how the phone's payloads mostly come. Parsed JSON only:
 * no toJSON, no undefined.
 */
function keysSorted(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return true
  if (Array.isArray(value))
    return value.every(keysSorted)
  let previous: string | undefined
  for (const key in value) {
    if (previous !== undefined && !(previous < key))
      return false
    if (!keysSorted((value as Record<string, unknown>)[key]))
      return false
    previous = key
  }
  return true
}

/** Whether V8 lists `key` among an object's integer keys (an array index), which come first and in numeric order. */
function isArrayIndex(key: string): boolean {
  const n = Number(key)
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key
}

/**
 * canonicalJson's exact text, written directly: canonicalJson rebuilds every object through
 * Object.fromEntries in a replacer, which cost push more than hashing. Its key order: integer
 * keys ascending (an object built from sorted entries still lists them first, in numeric order),
 * then the others sorted. Parsed JSON only: no toJSON, no undefined.
 */
export function canonicalText(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return JSON.stringify(value)
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++)
      out += (i > 0 ? ',' : '') + canonicalText(value[i])
    return `${out}]`
  }
  const object = value as Record<string, unknown>
  const keys = Object.keys(object)
  let indices = 0
  while (indices < keys.length && isArrayIndex(keys[indices]!))
    indices++
  const ordered = indices === 0 ? keys.sort() : [...keys.slice(0, indices), ...keys.slice(indices).sort()]
  let out = '{'
  for (let i = 0; i < ordered.length; i++) {
    const key = ordered[i]!
    out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${canonicalText(object[key])}`
  }
  return `${out}}`
}

/** sha256 of the canonical payload (canonicalJson); plain JSON.stringify where that is already canonical (a few µs less per op). */
export function payloadHash(payload: unknown): string {
  const value = payload ?? null
  return createHash('sha256').update(keysSorted(value) ? JSON.stringify(value) : canonicalText(value)).digest('base64url')
}

/** The answer to an op id the server has seen: the same answer as `duplicate`, or a refusal if the id now carries something else. */
function replay(stored: Stored, actor: Actor, hash: string, opId: string): OpResult {
  if (stored.memberId !== actor.id || stored.payloadHash !== hash) {
    return {
      opId,
      status: 'rejected',
      code: REJECT.idReused,
      message: bilingual(REJECT.idReused),
      params: {},
    }
  }
  // A rejection is answered the same way again; an applied op as `duplicate` with its stored entity.
  return stored.result.status === 'rejected' ? stored.result : { ...stored.result, opId, status: 'duplicate' }
}

/** Checks that need no transaction: a rejection from here is still recorded, so a retry answers the same. */
function precheck(op: Op, actor: Actor): { handler: OpHandler } | { rejection: OpRejection } {
  const handler = opHandler(op.type)
  if (!handler)
    return { rejection: opRejection(REJECT.unknownType, { type: op.type }) }
  const check = validator(handler.definition.payload)
  if (!check.Check(op.payload)) {
    const first = check.Errors(op.payload)[0]
    const where = first ? `${first.instancePath || '/'} ${first.message}` : ''
    return { rejection: opRejection(REJECT.invalidPayload, { detail: where }) }
  }
  if (!mayRun(handler, actor))
    return { rejection: opRejection(REJECT.forbidden) }
  return { handler }
}

/** PostgreSQL broke a deadlock or a serialization conflict by failing one side: running the batch again is the cure. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === '40P01' || code === '40001'
}

/** Runs of a batch (or of one op meeting a taken key) before a race or a transient failure is given up on. */
const ATTEMPTS = 4

/**
 * The savepoint each op (or run of ops, see OpHandler.applyMany) runs in. PostgreSQL takes
 * "release the last op's, open the next" as one round trip (a query without parameters may hold
 * two statements); SQLite runs in-process and prepares one statement at a time.
 */
class Savepoints {
  private open = false
  constructor(private readonly trx: Transaction<Database>, private readonly postgres: boolean) {}

  async begin(): Promise<void> {
    if (!this.open) {
      await savepoint(this.trx, 'open')
    }
    else if (this.postgres) {
      await savepoint(this.trx, 'next')
    }
    else {
      await savepoint(this.trx, 'release')
      await savepoint(this.trx, 'open')
    }
    this.open = true
  }

  /** Undoes the current op; the savepoint stays open for the next begin() to release. */
  async rollback(): Promise<void> {
    await savepoint(this.trx, 'rollback')
  }
}

/**
 * JSON.stringify(result), reusing the text of an applied op's entity when the handler recorded
 * that entity as change data (changes.ts recordedText): a 记积分 entry is some 700 bytes.
 * appliedResult's keys in its order: opId, status, entity.
 */
function resultText(result: OpResult): string {
  if (result.status === 'applied' && Object.keys(result).length === 3) {
    const entity = recordedText(result.entity)
    if (entity !== undefined)
      return `{"opId":${JSON.stringify(result.opId)},"status":"applied","entity":${entity}}`
  }
  return JSON.stringify(result)
}

/** The text each recorded answer was stored as (sync_op.result), by answer: the route sends it as is. */
const answerTexts = new WeakMap<OpResult, string>()

/**
 * The push route's answer `{ results }` as JSON text: each recorded answer as it was stored, the
 * others (duplicates, malformed ops, server errors) written out here. Fastify would otherwise
 * write every applied op's entity out once more through the response schema.
 */
export function answersJson(results: readonly OpResult[]): string {
  let out = '{"results":['
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!
    out += (i > 0 ? ',' : '') + (answerTexts.get(result) ?? JSON.stringify(result))
  }
  return `${out}]}`
}

/** One push batch inside its one transaction: what it has answered and the sync_op rows it still holds. */
class Batch {
  readonly changes: ChangeBuffer
  readonly savepoints: Savepoints
  /** Answers given in this batch: the same op id again later in it is a duplicate like any other. */
  readonly answered = new Map<string, Stored>()
  private rows: SyncOpRow[] = []
  /** Whether `rows` holds a rejection (see beforeApply). */
  private holdsRejection = false

  /** The batch's ops that match the Op schema (checked once, before the transaction). */
  constructor(readonly trx: Transaction<Database>, readonly actor: Actor, readonly deviceId: string, readonly wellFormed: Set<unknown>, readonly stored: Map<string, Stored>, postgres: boolean) {
    this.changes = new ChangeBuffer(trx)
    this.savepoints = new Savepoints(trx, postgres)
  }

  record(op: Op, hash: string, result: OpResult, receivedAt: string): OpResult {
    const status = result.status === 'rejected' ? 'rejected' : 'applied'
    const text = resultText(result)
    answerTexts.set(result, text)
    this.rows.push({
      op_id: op.opId,
      device_id: this.deviceId,
      seq: op.seq,
      member_id: this.actor.id,
      type: op.type,
      // Only a hash of the payload: a secret ballot's grades are never stored beside the voter.
      payload_hash: hash,
      status,
      result: text,
      received_at: receivedAt,
    })
    this.holdsRejection ||= status === 'rejected'
    this.answered.set(op.opId, { memberId: this.actor.id, payloadHash: hash, result })
    return result
  }

  /**
   * A handler may count this member's recent rejections (check-in's rate limit reads sync_op), so
   * rejections the batch holds are written before the next op runs; applied ops wait for the end.
   */
  async beforeApply(): Promise<void> {
    if (this.holdsRejection)
      await this.flushOps()
  }

  /** Multi-row inserts; an op id another request recorded meanwhile means this batch ran it twice. */
  async flushOps(): Promise<void> {
    // Sorted, so two batches holding the same ids take their keys in the same order and never deadlock on them.
    const rows = this.rows.sort((a, b) => a.op_id < b.op_id ? -1 : a.op_id > b.op_id ? 1 : 0)
    this.rows = []
    this.holdsRejection = false
    if (await insertSyncOps(this.trx, rows) !== rows.length)
      throw new RaceLost()
  }

  /** Before commit: the ops' rows, then the counter bumped once and the change log. */
  async finish(): Promise<void> {
    await this.flushOps()
    await this.changes.flush()
  }
}

/** The stored answers for a batch's op ids, in one query. */
async function storedAnswers(trx: Transaction<Database>, opIds: string[]): Promise<Map<string, Stored>> {
  const found = new Map<string, Stored>()
  for (const row of await findSyncOps(trx, opIds))
    found.set(row.op_id, { memberId: row.member_id, payloadHash: row.payload_hash, result: JSON.parse(row.result) as OpResult })
  return found
}

function rejected(opId: string, rejection: OpRejection): OpResult {
  return { opId, status: 'rejected', code: rejection.code, message: rejection.message, ...(rejection.params ? { params: rejection.params } : {}) }
}

function appliedResult(opId: string, entity: unknown): OpResult {
  return entity === undefined ? { opId, status: 'applied' } : { opId, status: 'applied', entity }
}

/** A well-formed op not answered before. */
interface Fresh {
  op: Op
  hash: string
  receivedAt: string
}

/** An op that passed every check needing no transaction, waiting to run. */
interface Ready extends Fresh {
  handler: OpHandler
}

/**
 * What an op is before anything of it runs: malformed or already answered (its answer), refused
 * by a check that needs no transaction (to be recorded), or ready to run.
 */
type Screened = { result: OpResult } | { refused: Fresh, rejection: OpRejection } | { ready: Ready }

function screen(batch: Batch, raw: unknown): Screened {
  if (!batch.wellFormed.has(raw)) {
    const opId = typeof (raw as { opId?: unknown })?.opId === 'string' ? (raw as { opId: string }).opId : ''
    return { result: { opId, status: 'rejected', code: REJECT.malformed, message: bilingual(REJECT.malformed), params: {} } }
  }
  const op = raw as Op
  const hash = payloadHash(op.payload)
  const seen = batch.answered.get(op.opId) ?? batch.stored.get(op.opId)
  if (seen)
    return { result: replay(seen, batch.actor, hash, op.opId) }
  const receivedAt = nowIsoThisMs()
  const checked = precheck(op, batch.actor)
  if ('rejection' in checked)
    return { refused: { op, hash, receivedAt }, rejection: checked.rejection }
  return { ready: { op, hash, handler: checked.handler, receivedAt } }
}

function contextOf(batch: Batch, { op, receivedAt }: Ready): OpContext {
  return { actor: batch.actor, trx: batch.trx, opId: op.opId, deviceId: batch.deviceId, clientTime: op.clientTime, receivedAt }
}

/** Undoes the current op or run; a database that cannot even do that is gone: 503, nothing acknowledged. */
async function undo(batch: Batch, err: unknown, log: OpLogger, opId: string): Promise<void> {
  await batch.savepoints.rollback().catch((down: unknown) => {
    log.error({ err, down, opId }, 'sync op failed and the database does not answer')
    throw failure(503, 'DB_UNAVAILABLE')
  })
  batch.changes.drop()
}

/**
 * Runs one op that passed its checks in its own savepoint. A rejection from its handler is
 * recorded; its writes are rolled back to the op's savepoint with nothing else of the batch.
 *
 * A database that is down or out of connections throws: the route answers the whole batch 503
 * and acks nothing (the batch's one transaction rolls back, so nothing of it is committed); the
 * phone keeps every op and retries. Any other unexpected error (a bug, text the database
 * refuses) is this op's alone: it is answered `rejected` with OP_SERVER_ERROR, logged with its op
 * id, and the batch goes on, so one bad op never stalls a phone's queue.
 *
 * That rejection is deliberately NOT recorded in sync_op. It is not a judgement of the op, only
 * "the server failed": nothing of the op was committed, so nothing can count twice, and the phone
 * files it in 同步失败 where the member sees it, retries or discards it (a retry there is a new op
 * id anyway). Not recording means the same op id reaching a fixed server again (a lost reply, a
 * second tab) is judged on its merits instead of being refused for ever by yesterday's bug.
 */
async function applyOne(batch: Batch, ready: Ready, log: OpLogger): Promise<OpResult> {
  const { op, hash, handler, receivedAt } = ready
  const { actor, deviceId, trx } = batch
  await batch.beforeApply()
  for (let attempt = 1; ; attempt++) {
    await batch.savepoints.begin()
    batch.changes.begin()
    try {
      const entity = await handler.apply(contextOf(batch, ready), op.payload as never)
      batch.changes.keep()
      return batch.record(op, hash, appliedResult(op.opId, entity), receivedAt)
    }
    catch (err) {
      if (isDatabaseUnavailable(err))
        throw err
      await undo(batch, err, log, op.opId)
      if (err instanceof OpRejection)
        return batch.record(op, hash, rejected(op.opId, err), receivedAt)
      if (isTransient(err))
        throw err
      if (isUniqueViolation(err)) {
        // Two tabs pushed the same op at once (DESIGN §1 case 3): the other transaction inserted the
        // entity first, so ours hit its key before reaching the op id's guard. PostgreSQL raises
        // this only once the other has committed — with its sync_op row — so answer from that.
        // Another op holding the key (the same check-in scanned twice) runs again instead: the
        // handler then sees the row and answers by its own rules.
        const [stored] = (await storedAnswers(trx, [op.opId])).values()
        if (stored)
          return replay(stored, actor, hash, op.opId)
        if (attempt < ATTEMPTS)
          continue
      }
      log.error({ err, opId: op.opId, opType: op.type, deviceId, memberId: actor.id }, 'sync op failed on the server; answered OP_SERVER_ERROR')
      return { opId: op.opId, status: 'rejected', code: REJECT.serverError, message: SERVER_ERROR_MESSAGE }
    }
  }
}

/**
 * Runs consecutive ready ops of one type through the handler's applyMany in one savepoint (issue
 * 17 point 2: at 5,000 ops/s on PostgreSQL an op cannot afford its own round trips). When the
 * run fails in any way but the database being gone, it is rolled back whole and each op runs
 * alone through applyOne: the refused or failing one is answered so, the others apply.
 */
async function applyRun(batch: Batch, run: Ready[], log: OpLogger): Promise<OpResult[]> {
  const applyMany = run[0]!.handler.applyMany!
  await batch.beforeApply()
  await batch.savepoints.begin()
  batch.changes.begin()
  try {
    const entities = await applyMany(run.map(ready => ({ ctx: contextOf(batch, ready), payload: ready.op.payload as never })))
    if (entities.length !== run.length)
      throw new Error(`${run[0]!.op.type}: applyMany answered ${entities.length} entities for ${run.length} ops`)
    batch.changes.keep()
    return run.map(({ op, hash, receivedAt }, k) => batch.record(op, hash, appliedResult(op.opId, entities[k]), receivedAt))
  }
  catch (err) {
    if (isDatabaseUnavailable(err))
      throw err
    await undo(batch, err, log, run[0]!.op.opId)
    if (isTransient(err))
      throw err
  }
  const results: OpResult[] = []
  for (const ready of run)
    results.push(await applyOne(batch, ready, log))
  return results
}

/** Push options; tests turn the batch paths off to compare them with the per-op path. */
export interface PushOptions {
  /** Hand runs of ops to their handler's applyMany (default true). */
  batchPaths?: boolean
}

/**
 * Answers a batch's ops in order inside its transaction. Ready ops whose handler has applyMany
 * gather into a run of their type, which runs when an op of anything else comes (or the batch
 * ends), so everything happens in the order the member made it; the same op id again inside the
 * run waits until the run has its answers.
 */
async function answerAll(batch: Batch, ops: unknown[], log: OpLogger, batchPaths: boolean): Promise<OpResult[]> {
  const results: OpResult[] = Array.from({ length: ops.length })
  let run: { index: number, ready: Ready }[] = []
  const runIds = new Set<string>()
  const runNow = async () => {
    if (run.length === 0)
      return
    const taken = run
    run = []
    runIds.clear()
    const answers = taken.length === 1 ? [await applyOne(batch, taken[0]!.ready, log)] : await applyRun(batch, taken.map(r => r.ready), log)
    taken.forEach(({ index }, k) => results[index] = answers[k]!)
  }
  for (let index = 0; index < ops.length; index++) {
    const raw = ops[index]
    const opId = (raw as { opId?: unknown } | null)?.opId
    if (typeof opId === 'string' && runIds.has(opId))
      await runNow()
    const screened = screen(batch, raw)
    if ('ready' in screened && batchPaths && screened.ready.handler.applyMany) {
      // An op of another type ends the run before it and starts its own.
      if (run[0] && run[0].ready.handler !== screened.ready.handler)
        await runNow()
      run.push({ index, ready: screened.ready })
      runIds.add(screened.ready.op.opId)
      continue
    }
    await runNow()
    if ('result' in screened)
      results[index] = screened.result
    else if ('refused' in screened)
      results[index] = batch.record(screened.refused.op, screened.refused.hash, rejected(screened.refused.op.opId, screened.rejection), screened.refused.receivedAt)
    else
      results[index] = await applyOne(batch, screened.ready, log)
  }
  await runNow()
  return results
}

/**
 * A batch in one transaction (DESIGN §1, invariant 3 holds per op through its savepoint): its op
 * ids checked in one query, each op applied in order in its own savepoint, then the sync_op rows
 * and the change log written as multi-row inserts with the counter bumped once, and one commit.
 * A batch that lost a race for an op id to another request, or that PostgreSQL chose as a
 * deadlock's victim, rolls back whole and runs again: the ops the other committed then answer
 * `duplicate`.
 */
export async function pushBatch(db: Db, actor: Actor, deviceId: string, ops: unknown[], log: OpLogger, options: PushOptions = {}): Promise<OpResult[]> {
  // Each op is checked against the Op schema once, here.
  const wellFormed = new Set(ops.filter(raw => validator(Op).Check(raw)))
  const opIds = [...new Set([...wellFormed].map(raw => (raw as Op).opId))]
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        // One batch of a member at a time on PostgreSQL (SQLite has one writer anyway): two tabs
        // pushing the same queue in another order would otherwise deadlock on each other's keys,
        // costing a second of deadlock detection and a rerun; waiting, the second finds every op
        // recorded and answers duplicate. Class 17 keeps these locks apart from any others.
        if (postgres)
          await sql`select pg_advisory_xact_lock(17, hashtext(${actor.id}))`.execute(trx)
        const batch = new Batch(trx, actor, deviceId, wellFormed, await storedAnswers(trx, opIds), postgres)
        return withChangeBuffer(batch.changes, async () => {
          const results = await answerAll(batch, ops, log, options.batchPaths ?? true)
          await batch.finish()
          return results
        })
      })
    }
    catch (err) {
      if (!(err instanceof RaceLost || isTransient(err) || isUniqueViolation(err)))
        throw err
      if (attempt >= ATTEMPTS) {
        log.error({ err, deviceId, memberId: actor.id }, 'sync batch kept losing races; answered 503')
        throw failure(503, 'DB_UNAVAILABLE')
      }
    }
  }
}
