import type { Static, TSchema } from 'typebox'
import type { Db } from '../../db/database'
import type { MeetingSecret } from '../../meetings/keys'
import type { Actor } from '../../plugins/auth'
import type { OpHandler } from '../../sync/registry'
import { localDate } from '#shared/points/periods'
import { HOUR } from '../../util/clock'
import { newId } from '../../util/ids'

/**
 * What every seeding step of the demo gets: the branch, its people as the sessions the server
 * would give them, and the clock the year is spread over. A step writes ONLY through the
 * services and op handlers the app uses, so the demo can never show what the rules forbid.
 */
export interface DemoContext {
  db: Db
  branchId: string
  admin: Actor
  /** One per group, in group order. */
  leaders: Actor[]
  /** Plain members of each group, in group order. */
  members: Actor[][]
  /** The demo's "now": every date of the year lies before it. */
  now: Date
  secret: MeetingSecret
}

/** A seeding step: one feature's share of the living year. */
export type DemoStep = (c: DemoContext) => Promise<void>

/** Midnight, 1 January of now's year, in the branch's time zone (China has no daylight saving). */
function yearStartMs(now: Date): number {
  return Date.parse(`${localDate(now).slice(0, 4)}-01-01T00:00:00+08:00`)
}

/**
 * The instant a fraction (0…1) of the way through the year so far, `marginMs` short of now: the
 * demo's work spreads over the months already lived, whatever day it is run.
 */
export function instantAt(c: Pick<DemoContext, 'now'>, fraction: number, marginMs = 3 * HOUR): Date {
  const start = yearStartMs(c.now)
  const end = Math.max(start, c.now.getTime() - marginMs)
  return new Date(start + Math.floor(fraction * (end - start)))
}

/** The calendar date (YYYY-MM-DD, branch time) of instantAt: an entry dated so is never "in the future" of its op. */
export function dateAt(c: Pick<DemoContext, 'now'>, fraction: number): string {
  return localDate(instantAt(c, fraction))
}

/** The one "phone" every demo op comes from. */
const DEMO_DEVICE = '00000000-0000-4000-8000-00000000de70'

/**
 * Runs an op handler as the phone's push would (its own transaction, the member's session), with
 * the server's clock set to `at`: a scan at the meeting, a 请假 the day before, a 践诺 in spring.
 */
export async function asOp<S extends TSchema>(c: DemoContext, actor: Actor, handler: OpHandler<S>, payload: Static<S>, at: Date = c.now): Promise<unknown> {
  const when = at.toISOString()
  return c.db.transaction().execute(trx => handler.apply({ actor, trx, opId: newId(), deviceId: DEMO_DEVICE, clientTime: when, receivedAt: when }, payload))
}
