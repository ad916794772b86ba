/**
 * `npm run bench:points`: the score screen's two reads at scale. One branch of 200 members over
 * 5 years (about 100 entries a member a year, most approved, with their ledger rows) plus one
 * member with 20,000 entries; then the score summary and a page of history (the first page and
 * one 100 pages deep), p50/p95 over repeated calls, for the heavy member and for random members.
 * SQLite always; PostgreSQL too when TEST_PG_URL is set. Calls the same service functions the
 * routes call (no HTTP). Prints figures only.
 */
import type { Db } from '../src/server/db/database'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { seedDefaultRules } from '../src/server/points/rules'
import { summary, timeline } from '../src/server/points/score'
import { DEFAULT_RULES } from '../src/shared/points/default-rules'
import { freshDb, rng } from './bench-db'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const YEARS = 5
const PER_MEMBER_YEAR = Number(process.env.BENCH_PER_YEAR ?? 100)
const HEAVY = Number(process.env.BENCH_HEAVY ?? 20_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 200)
const LAST_YEAR = 2026

async function seed(db: Db): Promise<{ branchId: string, heavy: string, members: string[] }> {
  const now = new Date().toISOString()
  const branchId = randomUUID()
  await db.insertInto('branch').values({ id: branchId, name: '基准支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  await db.transaction().execute(trx => seedDefaultRules(trx, branchId, null))
  const rules = await db.selectFrom('point_rule').innerJoin('point_rule_version as v', 'v.id', 'point_rule.current_version_id').select(['point_rule.id', 'point_rule.key', 'v.id as vid', 'v.category', 'v.name', 'v.points']).execute()
  const loggable = rules.filter(r => DEFAULT_RULES.find(d => d.key === r.key)?.selfLog)
  const members = Array.from({ length: MEMBERS }, () => randomUUID())
  await db.insertInto('member').values(members.map((id, i) => ({ id, branch_id: branchId, group_id: null, name: `党员${i}`, login: `m${i}-${id.slice(0, 6)}`, phone: null, role: 'member' as const, titles: '[]', password_hash: null, active: 1, created_at: now, updated_at: now }))).execute()
  const heavy = members[0]!
  const rand = rng(42)
  const entries: Record<string, unknown>[] = []
  const ledger: Record<string, unknown>[] = []
  const flush = async (force = false) => {
    if (entries.length >= 400 || (force && entries.length)) {
      await db.insertInto('point_entry').values(entries.splice(0) as never).execute()
    }
    if (ledger.length >= 400 || (force && ledger.length)) {
      await db.insertInto('point_ledger').values(ledger.splice(0) as never).execute()
    }
  }
  const add = async (memberId: string, year: number) => {
    const rule = loggable[Math.floor(rand() * loggable.length)]!
    const month = 1 + Math.floor(rand() * 12)
    const date = `${year}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`
    const roll = rand()
    const status = roll < 0.85 ? 'approved' : roll < 0.95 ? 'pending' : 'returned'
    const id = randomUUID()
    const at = `${date}T08:00:00.000Z`
    entries.push({ id, branch_id: branchId, member_id: memberId, rule_id: rule.id, rule_version_id: rule.vid, category: rule.category, rule_name: rule.name, variant: null, date, year, note: '基准数据', points: rule.points, granted: status === 'approved' ? rule.points : null, clipped: 0, status, stage: status === 'pending' ? 'group' : null, source: 'member', revision: 1, group_approved_by: null, group_approved_at: null, reviewed_by: null, reviewed_at: null, return_code: null, return_reason: null, created_by: memberId, created_at: at, updated_at: at })
    if (status === 'approved')
      ledger.push({ id: randomUUID(), branch_id: branchId, member_id: memberId, year, month, date, category: rule.category, rule_id: rule.id, entry_id: id, kind: 'grant', amount: rule.points, requested: rule.points, clipped: 0, reason: rule.name, reverses_id: null, actor_id: null, created_at: at })
    await flush()
  }
  for (let i = 0; i < HEAVY; i++)
    await add(heavy, LAST_YEAR - Math.floor(rand() * YEARS))
  for (const m of members.slice(1)) {
    for (let y = 0; y < YEARS; y++) {
      for (let k = 0; k < PER_MEMBER_YEAR; k++)
        await add(m, LAST_YEAR - y)
    }
  }
  await flush(true)
  return { branchId, heavy, members }
}

async function measure(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++)
    await fn()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2)
  console.log(`  ${label.padEnd(44)} p50 ${q(0.5).padStart(7)} ms   p95 ${q(0.95).padStart(7)} ms`)
}

async function run(kind: 'sqlite' | 'postgres') {
  const { handle, drop } = await freshDb(kind)
  try {
    const t0 = performance.now()
    const { branchId, heavy, members } = await seed(handle.db)
    if (kind === 'postgres')
      await sql`analyze`.execute(handle.db)
    const count = async (table: 'point_entry' | 'point_ledger') => Number((await handle.db.selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    console.log(`\n${kind}: ${MEMBERS} members × ${YEARS} years, ${await count('point_entry')} entries, ${await count('point_ledger')} ledger rows (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s); ${RUNS} runs each`)
    const rand = rng(7)
    const someone = () => members[1 + Math.floor(rand() * (members.length - 1))]!
    let deep: string | null = null
    let cursor: string | null = null
    for (let i = 0; i < 100; i++) {
      const page: { next: string | null } = await timeline(handle.db, heavy, { after: cursor ?? undefined, limit: 30 })
      cursor = page.next
      if (!cursor)
        break
      deep = cursor
    }
    await measure('summary, member with 20,000 entries', () => summary(handle.db, branchId, heavy, LAST_YEAR))
    await measure('summary, random member', () => summary(handle.db, branchId, someone(), LAST_YEAR))
    await measure('history first page (30), heavy member', () => timeline(handle.db, heavy, { limit: 30 }))
    await measure('history page 100 deep (30), heavy member', () => timeline(handle.db, heavy, { after: deep ?? undefined, limit: 30 }))
    await measure('history first page (30), random member', () => timeline(handle.db, someone(), { limit: 30 }))
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
