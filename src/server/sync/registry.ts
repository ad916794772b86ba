import type { Static, TSchema } from 'typebox'
import type { Transaction } from 'kysely'
import type { OpDefinition } from '#shared/sync/protocol'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'

/** What an op handler gets: the session's member (never an id from the payload) and the open transaction. */
export interface OpContext {
  actor: Actor
  trx: Transaction<Database>
  opId: string
  deviceId: string
  /** The phone's clock when the member made the write: informative, never trusted for security. */
  clientTime: string
  /** The server's clock when the op arrived. */
  receivedAt: string
}

/** A permanent "no" for this op: it goes to the member's 同步失败 list with this code and message. */
export class OpRejection extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

export interface OpHandler<S extends TSchema = TSchema> {
  definition: OpDefinition<S>
  /**
   * Checks permission and business rules (throw OpRejection), then writes the effect and its
   * change-log rows with recordChange(), all inside ctx.trx. Returns the stored entity, if any.
   */
  apply: (ctx: OpContext, payload: Static<S>) => Promise<unknown>
}

const handlers = new Map<string, OpHandler<any>>()

/** Each feature registers its op types once at start; there is no other write path from the phone. */
export function registerOp<S extends TSchema>(handler: OpHandler<S>): void {
  if (handlers.has(handler.definition.type))
    throw new Error(`op type ${handler.definition.type} registered twice`)
  handlers.set(handler.definition.type, handler)
}

export function opHandler(type: string): OpHandler | undefined {
  return handlers.get(type)
}

export function registeredOpTypes(): string[] {
  return [...handlers.keys()]
}
