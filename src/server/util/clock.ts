/* Every stored time is an ISO 8601 instant in UTC (`2026-12-03T06:41:43.000Z`): it sorts as text
   the same on SQLite and PostgreSQL. Functions take the moment as a parameter where a caller or a
   test needs another one; otherwise it is now. */

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export function nowIso(now: Date = new Date()): string {
  return now.toISOString()
}

let lastMs = Number.NaN
let lastIso = ''
/**
 * nowIso(), formatted once per millisecond: a push batch stamps each of its 500 ops and their
 * change-log rows, mostly within the same millisecond.
 */
export function nowIsoThisMs(): string {
  const ms = Date.now()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}

/** The instant `ms` after `from`, e.g. an expiry: addMs(INVITE_DAYS * DAY). */
export function addMs(ms: number, from: Date = new Date()): string {
  return new Date(from.getTime() + ms).toISOString()
}
