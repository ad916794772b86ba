import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { Id, IsoDateTime } from '../schemas/common'

/** Bumped when the push/pull shapes change incompatibly; the server answers 400 to other versions. */
export const SYNC_PROTOCOL = 1

export const Op = Type.Object({
  opId: Id,
  /** Per-device sequence, strictly increasing: the order the member made the writes in. */
  seq: Type.Integer({ minimum: 1 }),
  type: Type.String({ minLength: 1, maxLength: 64 }),
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

export const OpStatus = Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('rejected')])
export type OpStatus = Static<typeof OpStatus>

export const OpResult = Type.Object({
  opId: Id,
  status: OpStatus,
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  /** The record as the server stored it, so the phone can replace its pending copy. */
  entity: Type.Optional(Type.Unknown()),
})
export type OpResult = Static<typeof OpResult>

export const PushResponse = Type.Object({ results: Type.Array(OpResult) })
export type PushResponse = Static<typeof PushResponse>

/**
 * One op type, shared by the app (to validate before queueing) and the server (to validate on
 * arrival). The server adds the permission check and the apply function in its own registry.
 */
export interface OpDefinition<S extends TSchema = TSchema> {
  type: string
  payload: S
}

export function defineOp<S extends TSchema>(type: string, payload: S): OpDefinition<S> {
  return { type, payload }
}
