import type { OpResult } from '#shared/sync/protocol'
import type { Transaction } from 'kysely'
import type { TSchema } from 'typebox'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { OpHandler } from './registry'
import { createHash } from 'node:crypto'
import { canonicalJson, Op, REJECT } from '#shared/sync/protocol'
import { Compile } from 'typebox/compile'
import { nowIso } from '../services/tokens'
import { mayRun, opHandler, OpRejection } from './registry'

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
      message: '这条记录的编号已被另一条不同的记录使用 This op id was already used for a different op',
    }
  }
  // A rejection is answered the same way again; an applied op as `duplicate` with its stored entity.
  return stored.result.status === 'rejected' ? stored.result : { ...stored.result, opId, status: 'duplicate' }
}

/** Checks that need no transaction: a rejection from here is still recorded, so a retry answers the same. */
function precheck(op: Op, actor: Actor): { handler: OpHandler } | { rejection: OpRejection } {
  const handler = opHandler(op.type)
  if (!handler)
    return { rejection: new OpRejection(REJECT.unknownType, `服务器不认识这种记录（${op.type}），请更新应用 Unknown op type ${op.type}; update the app`) }
  const check = validator(handler.definition.payload)
  if (!check.Check(op.payload)) {
    const first = check.Errors(op.payload)[0]
    const where = first ? `${first.instancePath || '/'} ${first.message}` : ''
    return { rejection: new OpRejection(REJECT.invalidPayload, `记录内容不符合要求 The op's content is invalid: ${where}`) }
  }
  if (!mayRun(handler, actor))
    return { rejection: new OpRejection(REJECT.forbidden, '您没有权限进行此操作 You may not do this') }
  return { handler }
}

/**
 * Applies one op in its own transaction: its effects, its change-log rows and its sync_op row
 * commit together or not at all (DESIGN §1, invariant 3). Errors other than OpRejection
 * (database down, a bug) propagate: the caller answers the whole batch with 503/500 and acks
 * nothing, and the phone retries — ops already committed then answer `duplicate`.
 */
export async function processOp(db: Db, actor: Actor, deviceId: string, raw: unknown): Promise<OpResult> {
  if (!validator(Op).Check(raw)) {
    const opId = typeof (raw as { opId?: unknown })?.opId === 'string' ? (raw as { opId: string }).opId : ''
    return { opId, status: 'rejected', code: REJECT.malformed, message: '记录格式不正确 The op is malformed' }
  }
  const op = raw as Op
  const hash = payloadHash(op.payload)
  const receivedAt = nowIso()
  const checked = precheck(op, actor)

  for (let attempt = 0; ; attempt++) {
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
      if (err instanceof RaceLost && attempt < 3)
        continue
      throw err
    }
  }
}

async function recordRejection(db: Db, actor: Actor, deviceId: string, op: Op, hash: string, rejection: OpRejection, receivedAt: string): Promise<OpResult> {
  const result: OpResult = { opId: op.opId, status: 'rejected', code: rejection.code, message: rejection.message }
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
export async function pushBatch(db: Db, actor: Actor, deviceId: string, ops: unknown[]): Promise<OpResult[]> {
  const results: OpResult[] = []
  for (const op of ops)
    results.push(await processOp(db, actor, deviceId, op))
  return results
}
