import type { OpResult } from '#shared/sync/protocol'
import type { FastifyBaseLogger } from 'fastify'
import type { Transaction } from 'kysely'
import type { TSchema } from 'typebox'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { OpHandler } from './registry'
import { createHash } from 'node:crypto'
import { bilingual } from '#shared/errors/catalog'
import { canonicalJson, Op, REJECT, SERVER_ERROR_MESSAGE } from '#shared/sync/protocol'
import { sql } from 'kysely'
import { Compile } from 'typebox/compile'
import { isUniqueViolation } from '../db/errors'
import { failure } from '../errors'
import { isDatabaseUnavailable } from '../plugins/errors'
import { nowIso } from '../util/clock'
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

/** Another request recorded the same op id between our check and our insert: roll back and look again. */
class RaceLost extends Error {}

interface Stored {
  memberId: string
  payloadHash: string
  result: OpResult
}

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload ?? null)).digest('base64url')
}

async function storedAnswer(trx: Transaction<Database> | Db, opId: string): Promise<Stored | undefined> {
  const row = await trx.selectFrom('sync_op').select(['member_id', 'payload_hash', 'result']).where('op_id', '=', opId).executeTakeFirst()
  return row && { memberId: row.member_id, payloadHash: row.payload_hash, result: JSON.parse(row.result) as OpResult }
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

/** PostgreSQL broke a deadlock or a serialization conflict by failing one side: running the op again is the cure. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === '40P01' || code === '40001'
}

/** Runs of one op before a race or a transient failure is given up on. */
const ATTEMPTS = 4

/**
 * Applies one op in its own transaction: its effects, its change-log rows and its sync_op row
 * commit together or not at all (DESIGN §1, invariant 3).
 *
 * A database that is down or out of connections throws: the route answers the whole batch 503
 * and acks nothing; the phone keeps every op and retries, and ops committed before the failure
 * then answer `duplicate`. Any other unexpected error (a bug, text the database refuses) is
 * this op's alone: it is answered `rejected` with OP_SERVER_ERROR, logged with its op id, and
 * the batch goes on, so one bad op never stalls a phone's queue.
 *
 * That rejection is deliberately NOT recorded in sync_op. It is not a judgement of the op, only
 * "the server failed": nothing of the op was committed, so nothing can count twice, and the phone
 * files it in 同步失败 where the member sees it, retries or discards it (a retry there is a new op
 * id anyway). Not recording means the same op id reaching a fixed server again (a lost reply, a
 * second tab) is judged on its merits instead of being refused for ever by yesterday's bug, and
 * no second write is asked of a database that has just failed in a way we do not understand.
 */
export async function processOp(db: Db, actor: Actor, deviceId: string, raw: unknown, log: OpLogger): Promise<OpResult> {
  if (!validator(Op).Check(raw)) {
    const opId = typeof (raw as { opId?: unknown })?.opId === 'string' ? (raw as { opId: string }).opId : ''
    return { opId, status: 'rejected', code: REJECT.malformed, message: bilingual(REJECT.malformed), params: {} }
  }
  const op = raw as Op
  try {
    return await settle(db, actor, deviceId, op)
  }
  catch (err) {
    if (isDatabaseUnavailable(err))
      throw err
    // A connection failing in a way the classification does not know must not turn a whole
    // batch into rejections: ask the database whether it is there at all.
    await sql`select 1`.execute(db).catch((down: unknown) => {
      log.error({ err, down, opId: op.opId }, 'sync op failed and the database does not answer')
      throw failure(503, 'DB_UNAVAILABLE')
    })
    log.error({ err, opId: op.opId, opType: op.type, deviceId, memberId: actor.id }, 'sync op failed on the server; answered OP_SERVER_ERROR')
    return { opId: op.opId, status: 'rejected', code: REJECT.serverError, message: SERVER_ERROR_MESSAGE }
  }
}

async function settle(db: Db, actor: Actor, deviceId: string, op: Op): Promise<OpResult> {
  const hash = payloadHash(op.payload)
  const receivedAt = nowIso()
  const checked = precheck(op, actor)

  for (let attempt = 1; ; attempt++) {
    try {
      if ('rejection' in checked)
        return await recordRejection(db, actor, deviceId, op, hash, checked.rejection, receivedAt)
      return await db.transaction().execute(async (trx) => {
        const stored = await storedAnswer(trx, op.opId)
        if (stored)
          return replay(stored, actor, hash, op.opId)
        const entity = await checked.handler.apply({ actor, trx, opId: op.opId, deviceId, clientTime: op.clientTime, receivedAt }, op.payload as never)
        const result: OpResult = entity === undefined ? { opId: op.opId, status: 'applied' } : { opId: op.opId, status: 'applied', entity }
        const inserted = await trx.insertInto('sync_op').values({
          op_id: op.opId,
          device_id: deviceId,
          seq: op.seq,
          member_id: actor.id,
          type: op.type,
          payload_hash: hash,
          status: 'applied',
          result: JSON.stringify(result),
          received_at: receivedAt,
        }).onConflict(oc => oc.column('op_id').doNothing()).returning('op_id').executeTakeFirst()
        if (!inserted)
          throw new RaceLost()
        return result
      })
    }
    catch (err) {
      if (err instanceof OpRejection)
        return await recordRejection(db, actor, deviceId, op, hash, err, receivedAt)
      if (isUniqueViolation(err)) {
        // Two tabs pushed the same op at once (DESIGN §1 case 3): the other transaction inserted the
        // entity first, so ours hit its key before reaching the op id's guard. PostgreSQL raises
        // this only once the other has committed — with its sync_op row — so answer from that.
        // Another op holding the key (the same check-in scanned twice) runs again instead: the
        // handler then sees the row and answers by its own rules.
        const stored = await storedAnswer(db, op.opId)
        if (stored)
          return replay(stored, actor, hash, op.opId)
      }
      if ((err instanceof RaceLost || isUniqueViolation(err) || isTransient(err)) && attempt < ATTEMPTS)
        continue
      throw err
    }
  }
}

async function recordRejection(db: Db, actor: Actor, deviceId: string, op: Op, hash: string, rejection: OpRejection, receivedAt: string): Promise<OpResult> {
  const result: OpResult = { opId: op.opId, status: 'rejected', code: rejection.code, message: rejection.message, ...(rejection.params ? { params: rejection.params } : {}) }
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('sync_op').values({
      op_id: op.opId,
      device_id: deviceId,
      seq: op.seq,
      member_id: actor.id,
      type: op.type,
      payload_hash: hash,
      status: 'rejected',
      result: JSON.stringify(result),
      received_at: receivedAt,
    }).onConflict(oc => oc.column('op_id').doNothing()).returning('op_id').executeTakeFirst()
    if (inserted)
      return result
    const stored = await storedAnswer(trx, op.opId)
    return stored ? replay(stored, actor, hash, op.opId) : result
  })
}

/** Ops of one batch run one after another, in the order the phone made them. */
export async function pushBatch(db: Db, actor: Actor, deviceId: string, ops: unknown[], log: OpLogger): Promise<OpResult[]> {
  const results: OpResult[] = []
  for (const op of ops)
    results.push(await processOp(db, actor, deviceId, op, log))
  return results
}
