import type { Role } from '#shared/roles'
import type { OpDefinition } from '#shared/sync/protocol'
import type { Transaction } from 'kysely'
import type { Static, TSchema } from 'typebox'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import { hasRole } from '#shared/roles'
import { REJECT } from '#shared/sync/protocol'

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

/**
 * A permanent "no" for this op: it goes to the member's 同步失败 list with this code and message
 * (bilingual, Chinese first). Everything the op wrote so far is rolled back; the rejection is
 * recorded so a retry of the same op gets the same answer.
 */
export class OpRejection extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

export interface OpHandler<S extends TSchema = TSchema> {
  definition: OpDefinition<S>
  /** Minimum role; members below it get OP_FORBIDDEN before apply runs. */
  role?: Role
  /**
   * Checks permission and business rules (throw OpRejection), then writes the effect and its
   * change-log rows with recordChange(), all inside ctx.trx. Returns the stored entity, if any.
   */
  apply: (ctx: OpContext, payload: Static<S>) => Promise<unknown>
}

const handlers = new Map<string, OpHandler<any>>()

/**
 * Each feature registers its op types once at start; there is no other write path from the phone.
 * Registering the same definition again (a second app built in the same process, as tests do)
 * replaces the handler; a different definition under a taken type name is a bug and throws.
 */
export function registerOp<S extends TSchema>(handler: OpHandler<S>): void {
  const existing = handlers.get(handler.definition.type)
  if (existing && existing.definition !== handler.definition)
    throw new Error(`op type ${handler.definition.type} registered twice`)
  handlers.set(handler.definition.type, handler)
}

/** Tests register throw-away handlers and remove them afterwards. */
export function unregisterOp(type: string): void {
  handlers.delete(type)
}

export function opHandler(type: string): OpHandler | undefined {
  return handlers.get(type)
}

export function registeredOpTypes(): string[] {
  return [...handlers.keys()]
}

/** The role gate of a handler, checked by the push loop before apply. */
export function mayRun(handler: OpHandler, actor: Actor): boolean {
  return !handler.role || hasRole(actor.role, handler.role)
}

/** For handlers whose payload names a member: only the session's own member, unless `allowed` says otherwise. */
export function requireSelf(ctx: OpContext, memberId: string, allowed = false): void {
  if (memberId !== ctx.actor.id && !allowed)
    throw new OpRejection(REJECT.notYours, '只能记录自己的数据 You can only record your own data')
}
