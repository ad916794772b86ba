/**
 * `npm run bench:honours`: computing the commendation shortlist (issue 13) for a branch of 200
 * members in 10 groups with a year of points (about 100 ledger rows each), pledges with kept
 * items, monthly meetings with attendance, and a few vetoes and departed members. Times
 * computeShortlist (the function the route calls, no HTTP) p50/p95 over repeated calls, and the
 * server's memory: heap growth across one call and the process's peak RSS. SQLite always;
 * PostgreSQL too when TEST_PG_URL is set. Prints figures only.
 */
import type { Db } from '../src/server/db/database'
import type { Actor } from '../src/server/plugins/auth'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { computeShortlist, createRound } from '../src/server/commendations/service'
import { seedDefaultRules } from '../src/server/points/rules'
import { freshDb, insertAll, rng } from './bench-db'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const GROUPS = 10
const PER_MEMBER = Number(process.env.BENCH_PER_YEAR ?? 100)
const RUNS = Number(process.env.BENCH_RUNS ?? 50)
const YEAR = 2026

async function seed(db: Db): Promise<Actor> {
  const now = new Date().toISOString()
  const rand = rng(42)
  const branchId = randomUUID()
  await db.insertInto('branch').values({ id: branchId, name: '基准支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  await db.transaction().execute(trx => seedDefaultRules(trx, branchId, null))
  const groups = Array.from({ length: GROUPS }, (_, i) => ({ id: randomUUID(), branch_id: branchId, name: `第${i + 1}党小组`, created_at: now, removed_at: null }))
  await insertAll(db, 'party_group', groups)
  const surnames = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗'
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    id: randomUUID(),
    branch_id: branchId,
    group_id: groups[i % GROUPS]!.id,
    name: `${surnames[i % surnames.length]}${'伟芳娜敏静丽强磊军洋'[Math.floor(i / surnames.length) % 10]}${i}`,
    login: `m${i}`,
    phone: null,
    role: (i === 0 ? 'branch_admin' : 'member') as 'member',
    titles: '[]',
    password_hash: null,
    // A few have left the branch: the shortlist lists them apart.
    active: i % 50 === 49 ? 0 : 1,
    created_at: now,
    updated_at: now,
  }))
  await insertAll(db, 'member', members)
  const ledger: Record<string, unknown>[] = []
  for (const m of members) {
    for (let k = 0; k < PER_MEMBER; k++) {
      const month = 1 + Math.floor(rand() * 12)
      const date = `${YEAR}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`
      const amount = 1 + Math.floor(rand() * 3)
      ledger.push({ id: randomUUID(), branch_id: branchId, member_id: m.id, year: YEAR, month, date, category: 'excel', rule_id: null, entry_id: null, kind: 'grant', amount, requested: amount, clipped: 0, reason: '基准', reverses_id: null, actor_id: null, created_at: now })
    }
  }
  await insertAll(db, 'point_ledger', ledger)
  const vetoes = members.filter((_, i) => i % 40 === 7).map(m => ({ id: randomUUID(), branch_id: branchId, member_id: m.id, year: YEAR, decision: '党内警告', decided_on: `${YEAR}-05-01`, reason: '基准', created_by: null, created_at: now, revoked_at: null, revoked_by: null, revoke_reason: null }))
  await insertAll(db, 'point_veto', vetoes)
  const pledges: Record<string, unknown>[] = []
  const items: Record<string, unknown>[] = []
  for (const m of members) {
    const id = randomUUID()
    pledges.push({ id, branch_id: branchId, owner_kind: 'member', member_id: m.id, group_id: m.group_id, year: YEAR, stage: null, supervisor: 's', supervisor_contact: 'c', status: 'published', return_reason: null, created_by: m.id, submitted_at: now, reviewed_by: null, reviewed_at: null, published_by: null, published_at: now, created_at: now, updated_at: now })
    for (let k = 0; k < 4; k++)
      items.push({ id: randomUUID(), pledge_id: id, branch_id: branchId, sort: k, category: 'excel', duty: 'd', target: 't', due_date: `${YEAR}-12-31`, progress_status: 'done', percent: 100, progress_note: '', progress_at: now, result: rand() < 0.6 ? 'kept' : 'partial', result_comment: '', excused: 0, points_rule_key: null, points_amount: null, evaluated_by: null, evaluated_at: now })
  }
  await insertAll(db, 'pledge', pledges)
  await insertAll(db, 'pledge_item', items)
  const attendance: Record<string, unknown>[] = []
  const meetings: Record<string, unknown>[] = []
  for (let month = 1; month <= 12; month++) {
    const id = randomUUID()
    const at = `${YEAR}-${String(month).padStart(2, '0')}-10T01:00:00.000Z`
    meetings.push({ id, branch_id: branchId, group_id: null, type: 'branch_assembly', topic: '支部党员大会', starts_at: at, ends_at: at, place: '会议室', agenda: '', status: 'closed', created_by: members[0]!.id, created_at: now, updated_at: now, closed_at: at, closed_by: members[0]!.id })
    for (const m of members)
      attendance.push({ meeting_id: id, member_id: m.id, status: rand() < 0.9 ? 'verified' : 'absent', method: 'qr', token_window: null, scanned_at: null, flag: null, flag_reason: null, reason: null, decided_by: null, points: null, created_at: now, updated_at: now })
  }
  await insertAll(db, 'meeting', meetings)
  await insertAll(db, 'meeting_attendance', attendance)
  return { id: members[0]!.id, branchId, groupId: members[0]!.group_id, role: 'branch_admin', name: members[0]!.name }
}

async function run(kind: 'sqlite' | 'postgres') {
  const { handle, drop } = await freshDb(kind)
  try {
    const t0 = performance.now()
    const actor = await seed(handle.db)
    if (kind === 'postgres')
      await sql`analyze`.execute(handle.db)
    const round = await handle.db.transaction().execute(trx => createRound(trx, actor, { kind: 'july1', year: YEAR }))
    console.log(`\n${kind}: ${MEMBERS} members in ${GROUPS} groups, ${MEMBERS * PER_MEMBER} ledger rows, ${MEMBERS * 4} pledge items, ${MEMBERS * 12} attendances (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s); ${RUNS} runs`)
    for (let i = 0; i < 5; i++)
      await computeShortlist(handle.db, actor, round.id)
    const times: number[] = []
    let heapGrowth = 0
    for (let i = 0; i < RUNS; i++) {
      globalThis.gc?.()
      const before = process.memoryUsage().heapUsed
      const s = performance.now()
      const list = await computeShortlist(handle.db, actor, round.id)
      times.push(performance.now() - s)
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - before)
      if (list.titles[0]!.candidates.length === 0)
        throw new Error('empty shortlist')
    }
    times.sort((a, b) => a - b)
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1)
    console.log(`  shortlist (4 titles, members and groups)      p50 ${q(0.5).padStart(7)} ms   p95 ${q(0.95).padStart(7)} ms`)
    console.log(`  heap growth during one call (max)             ${(heapGrowth / 1048576).toFixed(1)} MiB${globalThis.gc ? '' : ' (no --expose-gc: includes garbage)'}`)
    console.log(`  process peak RSS                              ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
  }
  finally {
    await drop()
  }
}

await run('sqlite')
if (process.env.TEST_PG_URL)
  await run('postgres')
else
  console.log('\n(PostgreSQL skipped: set TEST_PG_URL)')
