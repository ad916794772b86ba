import type { OpResult } from '#shared/sync/protocol'
import type { FastifyBaseLogger } from 'fastify'
import type { Insertable, Transaction } from 'kysely'
import type { TSchema } from 'typebox'
import type { Database, Db } from '../db/database'
import type { SyncOpTable } from '../db/sync.table'
import type { Actor } from '../plugins/auth'
import type { OpHandler } from './registry'
import { createHash } from 'node:crypto'
import { bilingual } from '#shared/errors/catalog'
import { canonicalJson, Op, REJECT, SERVER_ERROR_MESSAGE } from '#shared/sync/protocol'
import { PostgresAdapter, sql } from 'kysely'
import { Compile } from 'typebox/compile'
import { isUniqueViolation } from '../db/errors'
import { failure } from '../errors'
import { isDatabaseUnavailable } from '../plugins/errors'
import { nowIso } from '../util/clock'
import { ChangeBuffer, withChangeBuffer } from './changes'
import { mayRun, opHandler, OpRejection, opRejection } from './registry'

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

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload ?? null)).digest('base64url')
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

/** Rows per multi-row INSERT into sync_op (9 columns): far below both databases' parameter limits. */
const ROWS_PER_INSERT = 500

type SyncOpRow = Insertable<SyncOpTable>

/**
 * The savepoint each op runs in. PostgreSQL takes "release the last op's, open the next" as one
 * round trip (a query without parameters may hold two statements); SQLite runs in-process and
 * prepares one statement at a time.
 */
class Savepoints {
  private open = false
  constructor(private readonly trx: Transaction<Database>, private readonly postgres: boolean) {}

  async begin(): Promise<void> {
    if (!this.open) {
      await sql`savepoint xf_op`.execute(this.trx)
    }
    else if (this.postgres) {
      await sql`release savepoint xf_op; savepoint xf_op`.execute(this.trx)
    }
    else {
      await sql`release savepoint xf_op`.execute(this.trx)
      await sql`savepoint xf_op`.execute(this.trx)
    }
    this.open = true
  }

  /** Undoes the current op; the savepoint stays open for the next begin() to release. */
  async rollback(): Promise<void> {
    await sql`rollback to savepoint xf_op`.execute(this.trx)
  }
}

/** One push batch inside its one transaction: what it has answered and the sync_op rows it still holds. */
class Batch {
  readonly changes: ChangeBuffer
  readonly savepoints: Savepoints
  /** Answers given in this batch: the same op id again later in it is a duplicate like any other. */
  readonly answered = new Map<string, Stored>()
  private rows: SyncOpRow[] = []

  constructor(readonly trx: Transaction<Database>, readonly actor: Actor, readonly deviceId: string, readonly stored: Map<string, Stored>, postgres: boolean) {
    this.changes = new ChangeBuffer(trx)
    this.savepoints = new Savepoints(trx, postgres)
  }

  record(op: Op, hash: string, result: OpResult, receivedAt: string): OpResult {
    this.rows.push({
      op_id: op.opId,
      device_id: this.deviceId,
      seq: op.seq,
      member_id: this.actor.id,
      type: op.type,
      // Only a hash of the payload: a secret ballot's grades are never stored beside the voter.
      payload_hash: hash,
      status: result.status === 'rejected' ? 'rejected' : 'applied',
      result: JSON.stringify(result),
      received_at: receivedAt,
    })
    this.answered.set(op.opId, { memberId: this.actor.id, payloadHash: hash, result })
    return result
  }

  /**
   * A handler may count this member's recent rejections (check-in's rate limit reads sync_op), so
   * rejections the batch holds are written before the next op runs; applied ops wait for the end.
   */
  async beforeApply(): Promise<void> {
    if (this.rows.some(row => row.status === 'rejected'))
      await this.flushOps()
  }

  /** Multi-row inserts; an op id another request recorded meanwhile means this batch ran it twice. */
  async flushOps(): Promise<void> {
    // Sorted, so two batches holding the same ids take their keys in the same order and never deadlock on them.
    const rows = this.rows.sort((a, b) => a.op_id < b.op_id ? -1 : a.op_id > b.op_id ? 1 : 0)
    this.rows = []
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT)
      const inserted = await this.trx.insertInto('sync_op').values(chunk).onConflict(oc => oc.column('op_id').doNothing()).returning('op_id').execute()
      if (inserted.length !== chunk.length)
        throw new RaceLost()
    }
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
  if (opIds.length === 0)
    return found
  const rows = await trx.selectFrom('sync_op').select(['op_id', 'member_id', 'payload_hash', 'result']).where('op_id', 'in', opIds).execute()
  for (const row of rows)
    found.set(row.op_id, { memberId: row.member_id, payloadHash: row.payload_hash, result: JSON.parse(row.result) as OpResult })
  return found
}

function rejected(opId: string, rejection: OpRejection): OpResult {
  return { opId, status: 'rejected', code: rejection.code, message: rejection.message, ...(rejection.params ? { params: rejection.params } : {}) }
}

/**
 * Answers one op inside the batch. A rejection (before or inside its handler) is recorded; its
 * writes are rolled back to the op's savepoint with nothing else of the batch.
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
async function answer(batch: Batch, raw: unknown, log: OpLogger): Promise<OpResult> {
  if (!validator(Op).Check(raw)) {
    const opId = typeof (raw as { opId?: unknown })?.opId === 'string' ? (raw as { opId: string }).opId : ''
    return { opId, status: 'rejected', code: REJECT.malformed, message: bilingual(REJECT.malformed), params: {} }
  }
  const op = raw as Op
  const { actor, deviceId, trx } = batch
  const hash = payloadHash(op.payload)
  const seen = batch.answered.get(op.opId) ?? batch.stored.get(op.opId)
  if (seen)
    return replay(seen, actor, hash, op.opId)
  const receivedAt = nowIso()
  const checked = precheck(op, actor)
  if ('rejection' in checked)
    return batch.record(op, hash, rejected(op.opId, checked.rejection), receivedAt)

  await batch.beforeApply()
  for (let attempt = 1; ; attempt++) {
    await batch.savepoints.begin()
    batch.changes.begin()
    try {
      const entity = await checked.handler.apply({ actor, trx, opId: op.opId, deviceId, clientTime: op.clientTime, receivedAt }, op.payload as never)
      batch.changes.keep()
      return batch.record(op, hash, entity === undefined ? { opId: op.opId, status: 'applied' } : { opId: op.opId, status: 'applied', entity }, receivedAt)
    }
    catch (err) {
      if (isDatabaseUnavailable(err))
        throw err
      // Undo this op only. A database that cannot even do that is gone: 503, nothing acknowledged.
      await batch.savepoints.rollback().catch((down: unknown) => {
        log.error({ err, down, opId: op.opId }, 'sync op failed and the database does not answer')
        throw failure(503, 'DB_UNAVAILABLE')
      })
      batch.changes.drop()
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
 * A batch in one transaction (DESIGN §1, invariant 3 holds per op through its savepoint): its op
 * ids checked in one query, each op applied in order in its own savepoint, then the sync_op rows
 * and the change log written as multi-row inserts with the counter bumped once, and one commit.
 * A batch that lost a race for an op id to another request, or that PostgreSQL chose as a
 * deadlock's victim, rolls back whole and runs again: the ops the other committed then answer
 * `duplicate`.
 */
export async function pushBatch(db: Db, actor: Actor, deviceId: string, ops: unknown[], log: OpLogger): Promise<OpResult[]> {
  const opIds = [...new Set(ops.filter(raw => validator(Op).Check(raw)).map(raw => (raw as Op).opId))]
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
        const batch = new Batch(trx, actor, deviceId, await storedAnswers(trx, opIds), postgres)
        return withChangeBuffer(batch.changes, async () => {
          const results: OpResult[] = []
          for (const raw of ops)
            results.push(await answer(batch, raw, log))
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
