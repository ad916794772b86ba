/**
 * `npm run bench:review`: the 讲评 figures issue 12 asks for.
 * 1. The guest page's initial JS + CSS, gzip -9, as the built guest.html loads them (dist/app; run
 *    `npx vite build` first — the bench says so when the build is missing).
 * 2. A session of 30 members and 20 guests on SQLite (in memory): the 30 members' ballots (each
 *    rating the 29 others) written directly, as rev's ballot path will store them, and the 20 guest
 *    ballots (each rating all 30, with a comment) through HTTP (inject, one address each) — ballots
 *    accepted per second for each.
 * 3. The results' computation for the closed session: the read plus reviewResults, p50/p95.
 * Prints figures only.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildApp } from '../src/server/app'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { closedRatingRows } from '../src/server/reviews/results-repository'
import { SESSION } from '../src/shared/constants'
import { MEMBER_DIMENSIONS } from '../src/shared/reviews/constants'
import { GUEST_LINK } from '../src/shared/reviews/guest'
import { reviewResults } from '../src/shared/reviews/rules'

const MEMBERS = 30
const GUESTS = 20
const RUNS = 50
const DIST = join(import.meta.dirname, '..', 'dist', 'app')

function guestBundle(): { files: { file: string, gzip: number }[], total: number } | null {
  const html = join(DIST, 'guest.html')
  if (!existsSync(html))
    return null
  const text = readFileSync(html, 'utf8')
  const assets = [...text.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(m => m[1]!)
  const files = [...new Set(assets)].map(file => ({ file, gzip: gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length }))
  return { files, total: files.reduce((s, f) => s + f.gzip, 0) + gzipSync(text, { level: 9 }).length }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}

async function main() {
  const bundle = guestBundle()
  if (bundle) {
    console.log('Guest page initial load (guest.html + JS + CSS, gzip -9):')
    for (const f of bundle.files)
      console.log(`  ${f.file.padEnd(44)} ${(f.gzip / 1024).toFixed(2)} KB`)
    console.log(`  total ${(bundle.total / 1024).toFixed(2)} KB (aim ≤ 60 KB)`)
  }
  else {
    console.log('Guest page: no build in dist/app — run `npx vite build` first for the size figure.')
  }

  const handle = openDatabase('sqlite::memory:')
  await migrateToLatest(handle.db)
  const db = handle.db
  const now = new Date().toISOString()
  const branchId = randomUUID()
  const groupId = randomUUID()
  await db.insertInto('branch').values({ id: branchId, name: '基准支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  await db.insertInto('party_group').values({ id: groupId, branch_id: branchId, name: '基准党小组', created_at: now, removed_at: null }).execute()
  const members = Array.from({ length: MEMBERS }, () => randomUUID())
  await db.insertInto('member').values(members.map((id, i) => ({ id, branch_id: branchId, group_id: groupId, name: `党员${i + 1}`, login: `bench${i}`, phone: null, role: i === 0 ? 'group_leader' as const : 'member' as const, titles: '[]', password_hash: null, active: 1, created_at: now, updated_at: now }))).execute()
  const sessionId = randomUUID()
  const code = randomBytes(GUEST_LINK.codeBytes).toString('base64url')
  await db.insertInto('review_session').values({ id: sessionId, branch_id: branchId, group_id: groupId, meeting_id: null, title: '基准讲评', period: '2026-H1', period_from: '2026-01-01', period_to: '2026-06-30', status: 'rating', guest_cap: GUESTS, guest_code: code, created_by: members[0]!, opened_at: now, rating_opened_at: now, closed_at: null, closed_by: null, created_at: now, updated_at: now }).execute()
  const score = (i: number) => Object.fromEntries(MEMBER_DIMENSIONS.map((d, k) => [d, ((i + k) % 4) + 1])) as Record<(typeof MEMBER_DIMENSIONS)[number], number>

  // Members' ballots, one transaction each (ballot + 29 ratings), as a member's ballot is stored.
  let started = performance.now()
  for (const [i, rater] of members.entries()) {
    await db.transaction().execute(async (trx) => {
      const ballotId = randomUUID()
      await trx.insertInto('review_ballot').values({ id: ballotId, session_id: sessionId, branch_id: branchId, rater_kind: 'member', rater_member_id: rater, guest_id: null, created_at: now, updated_at: now }).execute()
      await trx.insertInto('review_rating').values(members.filter(m => m !== rater).map((ratee, j) => ({ ballot_id: ballotId, session_id: sessionId, branch_id: branchId, ratee_id: ratee, rater_kind: 'member' as const, ...score(i + j), comment: j % 5 === 0 ? '表现积极' : '', comment_status: 'approved' as const }))).execute()
    })
  }
  const memberMs = performance.now() - started

  // Guests' ballots through HTTP, every rule checked as in production.
  const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database: handle })
  await app.ready()
  started = performance.now()
  let accepted = 0
  for (let g = 0; g < GUESTS; g++) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/guest/${code}/ballot`,
      remoteAddress: `10.1.0.${g + 1}`,
      headers: { [SESSION.csrfHeader]: '1' },
      payload: { deviceId: randomBytes(16).toString('hex'), name: `群众${g + 1}`, relation: 'masses_rep', ratings: members.map((rateeId, j) => ({ rateeId, scores: score(g + j), comment: '服务热情' })) },
    })
    if (res.statusCode !== 200)
      throw new Error(`bench: guest ballot refused: ${res.statusCode} ${res.body}`)
    accepted++
  }
  const guestMs = performance.now() - started

  await db.updateTable('review_session').set({ status: 'closed', closed_at: now }).where('id', '=', sessionId).execute()
  await db.updateTable('review_rating').set({ comment_status: 'approved' }).where('session_id', '=', sessionId).execute()
  const times: number[] = []
  const compute: number[] = []
  let rated = 0
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    const rows = await closedRatingRows(db, branchId, '2026-01-01', '2026-06-30')
    const t1 = performance.now()
    rated = reviewResults(rows).size
    const t2 = performance.now()
    times.push(t2 - t0)
    compute.push(t2 - t1)
  }
  // Closing the app closes its database too.
  await app.close()

  const ratings = MEMBERS * (MEMBERS - 1) + GUESTS * MEMBERS
  console.log(`\nSession of ${MEMBERS} members and ${GUESTS} guests (SQLite, ${ratings} ratings):`)
  console.log(`  member ballots (direct, 29 ratings each): ${MEMBERS} in ${memberMs.toFixed(0)} ms = ${(MEMBERS / memberMs * 1000).toFixed(0)} ballots/s`)
  console.log(`  guest ballots (HTTP, 30 ratings each):    ${accepted} in ${guestMs.toFixed(0)} ms = ${(accepted / guestMs * 1000).toFixed(0)} ballots/s`)
  console.log(`  results for ${rated} members, read + reviewResults: p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms`)
  console.log(`  reviewResults alone: p50 ${percentile(compute, 0.5).toFixed(3)} ms, p95 ${percentile(compute, 0.95).toFixed(3)} ms`)
}

await main()
