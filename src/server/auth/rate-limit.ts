import type { Db } from '../db/database'
import { HttpError, refusal } from '../errors'
import { hashToken } from '../util/ids'
import { addFailure, countRateLimitHit, deleteFailures, deleteFailuresBefore, deleteRateLimit, findFailures, rateLimitCount } from './repository'

export interface RateLimitResult { allowed: boolean, retryAfterSeconds: number }

/**
 * Fixed-window counter kept in the database, not in memory, so every server instance behind a
 * load balancer counts the same attempts.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs)
  const count = await countRateLimitHit(db, key, windowStart)
  const retryAfterSeconds = Math.ceil((windowStart + windowMs - now) / 1000)
  return { allowed: count <= limit, retryAfterSeconds }
}

export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await deleteRateLimit(db, key)
}

/** Like hitRateLimit, but only looks: for limits that count failures, checked before the attempt and hit after it fails. */
export async function peekRateLimit(db: Db, key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs)
  const count = await rateLimitCount(db, key, windowStart)
  return { allowed: count < limit, retryAfterSeconds: Math.ceil((windowStart + windowMs - now) / 1000) }
}

/** Failures that cost nothing; from the next one on, each doubles the wait, up to the cap. */
export const BACKOFF = { freeFailures: 5, firstDelayMs: 15_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 }

/** How long to wait after the `failures`-th failure in a row: 0 for the first few, then 15 s, 30 s, 1 min, … 15 min. */
export function backoffDelayMs(failures: number): number {
  if (failures < BACKOFF.freeFailures)
    return 0
  return Math.min(BACKOFF.firstDelayMs * 2 ** (failures - BACKOFF.freeFailures), BACKOFF.maxDelayMs)
}

/** Seconds until `key` may try again (0: now). A day without failures forgets them. */
export async function backoffWait(db: Db, key: string, now = Date.now()): Promise<number> {
  const row = await findFailures(db, key)
  if (!row || row.lastFailedAt < now - BACKOFF.forgetAfterMs)
    return 0
  const until = row.lastFailedAt + backoffDelayMs(row.failures)
  return until > now ? Math.ceil((until - now) / 1000) : 0
}

/** Counts one more failure for `key` (in the database, so every instance sees it). */
export async function recordFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  await addFailure(db, key, now, now - BACKOFF.forgetAfterMs)
}

/** Failure counts nobody has added to for longer than backoffWait remembers: they count as nothing already. */
export async function purgeForgottenFailures(db: Db, now = Date.now()): Promise<number> {
  return deleteFailuresBefore(db, now - BACKOFF.forgetAfterMs)
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await deleteFailures(db, key)
}

/** 429 with Retry-After and the wait in words, e.g. "……，请 30 秒后再试 …; try again in 30 seconds". */
export function tooManyFailures(seconds: number, reason: 'LOGIN_TOO_MANY_ADDRESS' | 'LOGIN_TOO_MANY_ACCOUNT' | 'PASSWORD_TOO_MANY' | 'LINK_TOO_MANY'): HttpError {
  return refusal(429, 'RATE_LIMITED', reason, { wait: seconds }, { 'retry-after': String(seconds) })
}

const TOKEN_WINDOW_MS = 15 * 60_000
const TOKEN_FAILURES = 20

/**
 * Runs the cheap check of a setup or invite token (exists, unused, unexpired) for `address`, which may
 * fail 20 times per 15 minutes: each refusal counts, a good link never does. Nothing here hashes a password.
 */
export async function checkLinkToken<T>(db: Db, address: string, check: () => Promise<T>): Promise<T> {
  const key = `token:ip:${hashToken(address)}`
  const { allowed, retryAfterSeconds } = await peekRateLimit(db, key, TOKEN_FAILURES, TOKEN_WINDOW_MS)
  if (!allowed)
    throw tooManyFailures(retryAfterSeconds, 'LINK_TOO_MANY')
  try {
    return await check()
  }
  catch (err) {
    if (err instanceof HttpError && err.statusCode < 500)
      await hitRateLimit(db, key, TOKEN_FAILURES, TOKEN_WINDOW_MS)
    throw err
  }
}
