import type { Db } from '../db/database'
import { sql } from 'kysely'

export interface RateLimitResult { allowed: boolean, retryAfterSeconds: number }

/**
 * Fixed-window counter kept in the database, not in memory, so every server instance behind a
 * load balancer counts the same attempts.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs)
  const row = await db.insertInto('rate_limit')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict(oc => oc.column('key').doUpdateSet({
      count: sql<number>`case when rate_limit.window_start = ${windowStart} then rate_limit.count + 1 else 1 end`,
      window_start: windowStart,
    }))
    .returning(['count'])
    .executeTakeFirstOrThrow()
  const retryAfterSeconds = Math.ceil((windowStart + windowMs - now) / 1000)
  return { allowed: Number(row.count) <= limit, retryAfterSeconds }
}

export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', key).execute()
}
