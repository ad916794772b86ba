/**
 * `npm run bench:upper`: the upper organization's read-only view at scale (issue 14). 50 branches ×
 * 200 members (8 groups each) with a year of work written by multi-row inserts, not HTTP: 60 ledger
 * rows per member, a pledge of 3 items per member, 36 meetings per branch with attendance, and 8
 * closed 讲评 per branch. Then the overview and one branch's drill-down, each timed 30 times (p50,
 * p95) through the service the routes call. PostgreSQL when TEST_PG_URL (or a postgres DATABASE_URL)
 * is set; SQLite unless BENCH_SQLITE=0. BENCH_BRANCHES / BENCH_MEMBERS shrink it. Prints figures only.
 * BENCH_KEEP=1 keeps the database (its name is printed) for EXPLAIN ANALYZE by hand; drop it after.
 */
import type { Db } from '../src/server/db/database'
import type { UpperActor } from '../src/server/upper/repository'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { branchDetail, overview } from '../src/server/upper/service'
import { CATEGORIES } from '../src/shared/points/categories'
import { freshDb } from './bench-db'

const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 50)
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const GROUPS = 8
const LEDGER_PER_MEMBER = 60
const MEETINGS = 36
const REVIEWS = 8
const RUNS = 30
const YEAR = 2026
const PG_URL = process.env.TEST_PG_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined)

async function insertMany(db: Db, table: any, rows: any[], chunk = 500) {
  for (let i = 0; i < rows.length; i += chunk)
    await db.insertInto(table).values(rows.slice(i, i + chunk)).execute()
}

const day = (k: number) => `${YEAR}-${String((k % 12) + 1).padStart(2, '0')}-${String((k % 27) + 1).padStart(2, '0')}`

async function seedBranch(db: Db, upperOrgId: string, b: number): Promise<string> {
  const now = new Date().toISOString()
  const branchId = randomUUID()
  await db.insertInto('branch').values({ id: branchId, name: `基准支部${b}`, upper_org_id: upperOrgId, settings: '{}', created_at: now }).execute()
  const groups = Array.from({ length: GROUPS }, (_, g) => ({ id: randomUUID(), branch_id: branchId, name: `第${g + 1}党小组`, created_at: now, removed_at: null }))
  await insertMany(db, 'party_group', groups)
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: randomUUID(), branch_id: branchId, group_id: i === 0 ? null : groups[i % GROUPS]!.id, name: `党员${b}-${i}`, login: `b${b}m${i}`, phone: null, role: i === 0 ? 'branch_admin' : i < 1 + GROUPS ? 'group_leader' : 'member', titles: '[]', password_hash: null, active: 1, created_at: now, updated_at: now }))
  await insertMany(db, 'member', members, 200)
  await insertMany(db, 'point_ledger', members.flatMap((m, i) => Array.from({ length: LEDGER_PER_MEMBER }, (_, k) => ({
    id: randomUUID(),
    branch_id: branchId,
    member_id: m.id,
    year: YEAR,
    month: (k % 12) + 1,
    date: day(k),
    category: CATEGORIES[(i + k) % 5]!,
    rule_id: null,
    entry_id: null,
    kind: 'grant',
    amount: (k % 3) + 1,
    requested: (k % 3) + 1,
    clipped: 0,
    reason: '',
    reverses_id: null,
    actor_id: null,
    created_at: now,
  }))))
  const pledges = members.map(m => ({ id: randomUUID(), branch_id: branchId, owner_kind: 'member', member_id: m.id, group_id: m.group_id, year: YEAR, stage: null, supervisor: '书记', supervisor_contact: '支部', status: 'published', return_reason: null, created_by: m.id, submitted_at: now, reviewed_by: null, reviewed_at: now, published_by: null, published_at: now, created_at: now, updated_at: now }))
  await insertMany(db, 'pledge', pledges)
  await insertMany(db, 'pledge_item', pledges.flatMap((p, i) => [0, 1, 2].map(k => ({
    id: randomUUID(),
    pledge_id: p.id,
    branch_id: branchId,
    sort: k,
    category: CATEGORIES[k]!,
    duty: '岗位',
    target: '目标',
    due_date: day(i + k * 4),
    progress_status: (i + k) % 3 === 0 ? 'done' : 'in_progress',
    percent: 50,
    progress_note: '',
    progress_at: null,
    result: (i + k) % 4 === 0 ? 'kept' : null,
    result_comment: '',
    excused: 0,
    points_rule_key: null,
    points_amount: null,
    evaluated_by: null,
    evaluated_at: null,
  }))))
  const meetings = Array.from({ length: MEETINGS }, (_, k) => ({ id: randomUUID(), branch_id: branchId, group_id: k % 3 === 0 ? null : groups[k % GROUPS]!.id, type: k % 3 === 0 ? 'branch_assembly' : 'group_meeting', topic: '学习会', starts_at: `${day(k)}T01:00:00.000Z`, ends_at: `${day(k)}T03:00:00.000Z`, place: '会议室', agenda: '', status: 'closed', created_by: members[0]!.id, created_at: now, updated_at: now, closed_at: now, closed_by: members[0]!.id, sign_key: null, verify_key: null }))
  await insertMany(db, 'meeting', meetings)
  await insertMany(db, 'meeting_attendance', meetings.flatMap(mt => members.filter(m => mt.group_id === null || m.group_id === mt.group_id).map(m => ({ meeting_id: mt.id, member_id: m.id, status: 'verified', method: 'qr', token_window: null, scanned_at: mt.starts_at, flag: null, flag_reason: null, reason: null, decided_by: null, points: 1, created_at: now, updated_at: now }))))
  await insertMany(db, 'review_session', Array.from({ length: REVIEWS }, (_, k) => ({ id: randomUUID(), branch_id: branchId, group_id: groups[k % GROUPS]!.id, meeting_id: null, title: '讲评', period: `${YEAR}-H${(k % 2) + 1}`, period_from: `${YEAR}-${k % 2 ? '07' : '01'}-01`, period_to: `${YEAR}-${k % 2 ? '12-31' : '06-30'}`, status: 'closed', guest_cap: 0, guest_code: null, created_by: members[0]!.id, opened_at: now, rating_opened_at: now, closed_at: now, closed_by: members[0]!.id, created_at: now, updated_at: now })))
  return branchId
}

async function timeRuns(label: string, work: () => Promise<unknown>) {
  await work()
  const ms: number[] = []
  // This process's CPU time per run (the JS, not the database's): a figure other people's load on the machine barely moves.
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const used = process.cpuUsage()
    await work()
    ms.push(performance.now() - start)
    const { user, system } = process.cpuUsage(used)
    cpu.push((user + system) / 1000)
  }
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!.toFixed(1)
  console.log(`  ${label.padEnd(36)} p50 ${p(ms, 0.5).padStart(7)} ms   p95 ${p(ms, 0.95).padStart(7)} ms   node CPU p50 ${p(cpu, 0.5).padStart(6)} ms   (${RUNS} runs)`)
}

async function run(kind: 'sqlite' | 'postgres') {
  const { handle, name, drop } = await freshDb(kind)
  try {
    const db = handle.db
    const upperOrgId = randomUUID()
    await db.insertInto('upper_org').values({ id: upperOrgId, name: '基准工委', created_at: new Date().toISOString() }).execute()
    const started = performance.now()
    const branchIds: string[] = []
    for (let b = 0; b < BRANCHES; b++)
      branchIds.push(await seedBranch(db, upperOrgId, b))
    console.log(`${kind}: ${BRANCHES} branches × ${MEMBERS} members, ${BRANCHES * MEMBERS * LEDGER_PER_MEMBER} ledger rows, ${BRANCHES * MEMBERS * 3} pledge items, ${BRANCHES * MEETINGS} meetings; seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
    if (kind === 'postgres')
      await sql`analyze`.execute(db)
    const actor: UpperActor = { id: randomUUID(), upperOrgId, name: '基准', login: 'bench', upperOrgName: '基准工委' }
    const first = await overview(db, actor, YEAR)
    if (first.branches.length !== BRANCHES || first.branches[0]!.members !== MEMBERS)
      throw new Error(`overview: expected ${BRANCHES} branches of ${MEMBERS}, got ${first.branches.length} / ${first.branches[0]?.members}`)
    await timeRuns('overview (all branches)', () => overview(db, actor, YEAR))
    await timeRuns('branch drill-down (8 groups)', () => branchDetail(db, actor, branchIds[Math.floor(BRANCHES / 2)]!, YEAR))
  }
  finally {
    if (process.env.BENCH_KEEP === '1') {
      await handle.db.destroy()
      console.log(`  kept ${name}`)
    }
    else {
      await drop()
    }
  }
}

// BENCH_SQLITE=0 skips SQLite (its seed alone takes minutes at full size).
if (process.env.BENCH_SQLITE !== '0')
  await run('sqlite')
if (PG_URL)
  await run('postgres')
else
  console.log('postgres: skipped (set TEST_PG_URL)')
