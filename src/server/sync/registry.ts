import type { ErrorCode, ErrorParams } from '#shared/errors/catalog'
import type { Role } from '#shared/roles'
import type { OpDefinition } from '#shared/sync/protocol'
import type { Transaction } from 'kysely'
import type { Static, TSchema } from 'typebox'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import { bilingual } from '#shared/errors/catalog'
import { hasRole } from '#shared/roles'
import { OP_TYPES } from '#shared/sync/op-types'
import { REJECT } from '#shared/sync/protocol'
import { HttpError } from '../errors'

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
  constructor(readonly code: string, message: string, readonly params?: ErrorParams) {
    super(message)
  }
}

/** A rejection worded by the shared catalog: the phone shows it in the member's language. */
export function opRejection(code: ErrorCode, params: ErrorParams = {}): OpRejection {
  return new OpRejection(code, bilingual(code, params), params)
}

/** A rejection under a general code for a more precise reason of the catalog (see refusal in ../errors). */
export function opRefusal(code: ErrorCode, reason: ErrorCode, params: ErrorParams = {}): OpRejection {
  return new OpRejection(code, bilingual(reason, params), { ...params, reason })
}

/**
 * Runs the service function a REST route would for an op: its refusals (an HttpError below 500,
 * worded by the catalog) become the op's rejection with the same code, words and params, so a
 * conflict lands in 同步失败 with its reason; anything else is thrown on (push answers 503 or
 * OP_SERVER_ERROR).
 */
export async function refusalsAsRejections<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  }
  catch (err) {
    if (err instanceof HttpError && err.statusCode < 500)
      throw new OpRejection(err.code, err.message, err.params)
    throw err
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
  /**
   * Optional batch path for a hot op type (issue 17 point 2): applies consecutive ops of this type,
   * in their order, exactly as apply would one after the other — the same entities returned (one
   * per op, in order), the same change-log rows recorded, the same rows left — in a few statements
   * for all of them. Push hands it runs of ops that passed their checks, inside one savepoint;
   * anything it throws rolls the whole run back and push runs apply for each op on its own, so a
   * refused or failing op is still answered alone and the others apply.
   */
  applyMany?: (items: { ctx: OpContext, payload: Static<S> }[]) => Promise<unknown[]>
}

const handlers = new Map<string, OpHandler<any>>()

/**
 * The server's handlers, one for each op type of the shared list (OP_TYPES) and for no other:
 * called once by buildApp, so a type without a handler, or a handler for a type the app does
 * not know, stops the server at start instead of refusing members' records later.
 */
export function registerOpHandlers(list: OpHandler<any>[]): void {
  const given = list.map(h => h.definition.type)
  const unlisted = given.filter(type => !OP_TYPES.includes(type as never))
  if (unlisted.length > 0)
    throw new Error(`op handlers for types not in OP_TYPES (src/shared/sync/op-types.ts): ${unlisted.join(', ')}`)
  const missing = OP_TYPES.filter(type => !given.includes(type))
  if (missing.length > 0)
    throw new Error(`op types without a server handler: ${missing.join(', ')}`)
  for (const handler of list)
    registerOp(handler)
}

/**
 * Registers one handler; there is no other write path from the phone. Production code goes through
 * registerOpHandlers; tests register throw-away types here directly and remove them afterwards.
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
    throw opRejection(REJECT.notYours)
}
