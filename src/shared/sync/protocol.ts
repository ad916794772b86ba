/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { Id, INT4_MAX, IsoDateTime, Line } from '../schemas/common'

/** Bumped when the push/pull shapes change incompatibly; the server answers 400 to other versions. */
export const SYNC_PROTOCOL = 1

/** Pull pages: the default and the most a phone may ask for at once. */
export const PULL_LIMITS = { default: 500, max: 1000 } as const

export const Op = Type.Object({
  opId: Id,
  /** Per-device sequence, strictly increasing: the order the member made the writes in. */
  /** Stored in an int4 column on PostgreSQL: a larger one is malformed, not a failure to store it. */
  seq: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
  /** A name like points.entry.create: no spaces or control characters, which some databases refuse. */
  type: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
  payload: Type.Unknown(),
  clientTime: IsoDateTime,
})
export type Op = Static<typeof Op>

export const PushBody = Type.Object({
  protocol: Type.Integer(),
  deviceId: Id,
  ops: Type.Array(Op, { minItems: 1, maxItems: LIMITS.syncBatchOps }),
}, { additionalProperties: false })
export type PushBody = Static<typeof PushBody>

/**
 * What the route accepts before looking inside: each op is checked on its own so one malformed
 * op is rejected (and the queue moves on) instead of failing the whole batch, and a batch over
 * the limit gets 413 with the limit instead of a generic 400.
 */
export const PushEnvelope = Type.Object({
  protocol: Type.Integer(),
  deviceId: Id,
  ops: Type.Array(Type.Unknown(), { minItems: 1 }),
}, { additionalProperties: false })
export type PushEnvelope = Static<typeof PushEnvelope>

export const OpStatus = Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('rejected')])
export type OpStatus = Static<typeof OpStatus>

/** Why the server said no, for good: the op goes to the member's 同步失败 list with the message. */
export const REJECT = {
  malformed: 'OP_MALFORMED',
  unknownType: 'OP_UNKNOWN_TYPE',
  invalidPayload: 'OP_INVALID_PAYLOAD',
  idReused: 'OP_ID_REUSED',
  forbidden: 'OP_FORBIDDEN',
  notYours: 'OP_NOT_YOURS',
  /**
   * The server failed on this op (a bug, data the database refuses): not a judgement of the op.
   * The phone files it in 同步失败 like any rejection; the member may retry it later or discard it.
   */
  serverError: 'OP_SERVER_ERROR',
} as const

/** The words for REJECT.serverError, the same whether the server answered it or the phone found the op it fails on. */
export const SERVER_ERROR_MESSAGE = '服务器处理这条记录时出错，记录已保留在本机。请稍后点「重试」；如果一直失败，请告诉支部管理员 The server failed on this record; it is kept on your phone. Tap Retry later, and tell your branch admin if it keeps failing'

export const OpResult = Type.Object({
  /** A string, not a checked Id: a malformed op is answered with whatever id it carried. */
  opId: Type.String(),
  status: OpStatus,
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  /** With a code of the shared error catalog: what the app words it with (src/shared/errors). */
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  /** The record as the server stored it, so the phone can replace its pending copy. */
  entity: Type.Optional(Type.Unknown()),
})
export type OpResult = Static<typeof OpResult>

export const PushResponse = Type.Object({ results: Type.Array(OpResult) })
export type PushResponse = Static<typeof PushResponse>

export const PullQuery = Type.Object({
  /** The cursor from the last pull; absent or empty on a fresh device. */
  since: Type.Optional(Line(80)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PULL_LIMITS.max })),
})
export type PullQuery = Static<typeof PullQuery>

export const Change = Type.Object({
  seq: Type.Integer(),
  entity: Type.String(),
  entityId: Type.String(),
  op: Type.Union([Type.Literal('upsert'), Type.Literal('delete')]),
  data: Type.Unknown(),
})
export type Change = Static<typeof Change>

export const PullResponse = Type.Object({
  changes: Type.Array(Change),
  /** Opaque: "<database epoch>.<change seq>". Store it with the page, in the same IndexedDB transaction. */
  cursor: Type.String(),
  hasMore: Type.Boolean(),
  /** The cursor was too old or from another database: drop pulled records (keep pending ones) and start over. */
  reset: Type.Optional(Type.Boolean()),
})
export type PullResponse = Static<typeof PullResponse>

/**
 * One op type, shared by the app (to validate before queueing) and the server (to validate on
 * arrival). The server adds the permission check and the apply function in its own registry.
 */
export interface OpDefinition<S extends TSchema = TSchema, T extends string = string> {
  type: T
  payload: S
}

export function defineOp<const T extends string, S extends TSchema>(type: T, payload: S): OpDefinition<S, T> {
  return { type, payload }
}

/** JSON with object keys sorted, so the same payload always hashes the same on every side. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.keys(v).sort().map(k => [k, (v as Record<string, unknown>)[k]]))
    return v
  })
}
