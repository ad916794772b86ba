import type { Change } from '#shared/sync/protocol'
import type { PointsBranch } from './points-helper'
import { randomUUID } from 'node:crypto'
import { BACKOFF, hitRateLimit, recordFailure } from '#server/auth/rate-limit'
import { housekeeping, pruneChangeLog, RETENTION } from '#server/services/retention'
import { recordChangeNow } from '#server/sync/changes'
import { FLOOR_KEY } from '#server/sync/pull'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Client } from './helper'
import { logEntry, pointsBranch, ruleId, today } from './points-helper'
import { op, push } from './sync-helper'

/* Housekeeping: what grows with use is pruned, on SQLite and PostgreSQL alike. */
let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const DAY = 86_400_000
const db = () => b.t.handle.db
async function count(table: 'session' | 'rate_limit' | 'sync_op' | 'change_log' | 'audit_log') {
  return Number((await db().selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
}
const floor = async () => (await db().selectFrom('server_state').select('value').where('key', '=', FLOOR_KEY).executeTakeFirst())?.value

/** A change-log row of a test record, dated `daysAgo`. */
async function change(id: string, op: 'upsert' | 'delete', daysAgo: number, memberId: string | null = null, data: unknown = { id }) {
  const seq = await db().transaction().execute(trx => recordChangeNow(trx, { entity: 'note', entityId: id, branchId: b.branchId, memberId, op, data }))
  await db().updateTable('change_log').set({ created_at: new Date(Date.now() - daysAgo * DAY).toISOString() }).where('seq', '=', seq).execute()
  return seq
}

async function pull(client: Client, since: string) {
  const res = await client.get(`/api/sync/pull?since=${encodeURIComponent(since)}&limit=500`)
  expect(res.statusCode).toBe(200)
  return res.json() as { changes: Change[], cursor: string, hasMore: boolean, reset?: boolean }
}
const notes = (page: { changes: Change[] }) => page.changes.filter(c => c.entity === 'note').map(c => `${c.entityId}:${c.op}:${(c.data as { v?: number }).v ?? ''}`)

describe('housekeeping', () => {
  it('should purge expired and revoked sessions, ended rate-limit windows and forgotten login failures, while a live session keeps working', async () => {
    const gone = new Client(b.t.app)
    expect((await gone.post('/api/auth/login', { login: 'amy', password: 'member-pass-1' })).statusCode).toBe(200)
    expect((await gone.post('/api/auth/logout')).statusCode).toBe(200)
    await db().updateTable('session').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('member_id', '=', b.ben.id).execute()
    const sessions = await count('session')
    await hitRateLimit(db(), 'old', 5, 15 * 60_000, Date.now() - RETENTION.rateLimitMs - 3_600_000)
    await hitRateLimit(db(), 'current', 5, 15 * 60_000)
    await recordFailure(db(), 'forgotten', Date.now() - BACKOFF.forgetAfterMs - 60_000)
    await recordFailure(db(), 'recent')

    const report = await housekeeping(db())
    expect(report).toMatchObject({ sessions: 2, rateLimits: 1, loginFailures: 1 })
    expect((await db().selectFrom('login_failure').select('key').execute()).map(r => r.key)).toEqual(['recent'])
    expect(await count('session')).toBe(sessions - 2)
    expect((await db().selectFrom('rate_limit').select('key').execute()).map(r => r.key)).toContain('current')
    expect((await db().selectFrom('rate_limit').select('key').execute()).map(r => r.key)).not.toContain('old')
    expect((await b.amy.client.get('/api/auth/me')).statusCode).toBe(200)
    expect((await b.ben.client.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('should forget sync answers past the retention, and an applied entry sent again after that is still counted once', async () => {
    const entry = op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '参加活动' })
    expect((await push(b.amy.client, [entry])).json().results[0]).toMatchObject({ status: 'applied' })
    expect((await push(b.amy.client, [entry])).json().results[0]).toMatchObject({ status: 'duplicate' })
    await db().updateTable('sync_op').set({ received_at: new Date(Date.now() - RETENTION.syncOpMs - DAY).toISOString() }).execute()
    expect((await logEntry(b.t, b.amy, 'volunteer')).status).toBe('applied')
    expect(await housekeeping(db())).toMatchObject({ syncOps: 1 })
    expect(await count('sync_op')).toBe(1)

    // The phone never got the answer and sends the very same op again, more than a year later.
    expect((await push(b.amy.client, [entry])).json().results[0]).toMatchObject({ status: 'rejected', code: 'ENTRY_ID_TAKEN' })
    expect(await db().selectFrom('point_entry').select('id').where('member_id', '=', b.amy.id).execute()).toHaveLength(2)
  })

  it('should drop old change rows a later row replaces and old deletions, record the floor, and keep recent rows and the audit log', async () => {
    const [kept, deleted, recent] = [randomUUID(), randomUUID(), randomUUID()]
    await change(kept, 'upsert', 200, null, { v: 1 })
    const keptLatest = await change(kept, 'upsert', 120, null, { v: 2 })
    await change(deleted, 'upsert', 150)
    const tombstone = await change(deleted, 'delete', 100)
    const young = [await change(recent, 'upsert', 10, null, { v: 1 }), await change(recent, 'upsert', 1, null, { v: 2 })]
    const audit = await count('audit_log')
    const before = await count('change_log')

    const report = await housekeeping(db())
    expect(report).toMatchObject({ changes: 3, floor: tombstone })
    expect(await count('change_log')).toBe(before - 3)
    const left = (await db().selectFrom('change_log').select('seq').where('entity', '=', 'note').orderBy('seq').execute()).map(r => r.seq)
    expect(left).toEqual([keptLatest, ...young])
    expect(await floor()).toBe(String(tombstone))
    expect(await count('audit_log')).toBe(audit)
    // Nothing more to do the next time.
    expect(await pruneChangeLog(db())).toEqual({ pruned: 0, floor: null })
  })

  it('should not raise the floor for rows replaced for the same phones, and never lower it when instances prune at once', async () => {
    const id = randomUUID()
    await change(id, 'upsert', 200)
    await change(id, 'upsert', 100)
    expect(await pruneChangeLog(db())).toEqual({ pruned: 1, floor: null })
    expect(await floor()).toBeUndefined()

    const tombstone = await change(randomUUID(), 'delete', 120)
    // A record that moved to another member's phones: the first's phone could miss that it went.
    const moved = randomUUID()
    const toAmy = await change(moved, 'upsert', 200, b.amy.id)
    await change(moved, 'upsert', 150, b.ben.id)
    const results = await Promise.all([pruneChangeLog(db()), pruneChangeLog(db()), pruneChangeLog(db())])
    expect(results.reduce((n, r) => n + r.pruned, 0)).toBe(2)
    expect(toAmy).toBeGreaterThan(tombstone)
    expect(await floor()).toBe(String(toAmy))
    await db().updateTable('server_state').set({ value: '999999' }).where('key', '=', FLOOR_KEY).execute()
    await change(randomUUID(), 'delete', 100)
    await pruneChangeLog(db())
    expect(await floor()).toBe('999999')
  })
})

describe('a phone behind the floor', () => {
  it('should be answered with a reset from the start that no longer holds the deleted record, while a phone synced since carries on', async () => {
    const [kept, deleted] = [randomUUID(), randomUUID()]
    await change(kept, 'upsert', 200, null, { v: 1 })
    await change(deleted, 'upsert', 200)
    const old = await pull(b.amy.client, '')
    expect(notes(old)).toEqual([`${kept}:upsert:1`, `${deleted}:upsert:`])
    await change(deleted, 'delete', 120)
    await change(kept, 'upsert', 110, null, { v: 2 })
    const recent = await pull(b.ben.client, '')
    await change(kept, 'upsert', 1, null, { v: 3 })

    expect(await housekeeping(db())).toMatchObject({ changes: 4 })
    const behind = await pull(b.amy.client, old.cursor)
    expect(behind.reset).toBe(true)
    expect(notes(behind)).toEqual([`${kept}:upsert:3`])
    const after = await pull(b.amy.client, behind.cursor)
    expect(after.reset).toBeUndefined()
    expect(after.changes).toEqual([])

    const synced = await pull(b.ben.client, recent.cursor)
    expect(synced.reset).toBeUndefined()
    expect(notes(synced)).toEqual([`${kept}:upsert:3`])
  })
})
