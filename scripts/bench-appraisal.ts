/**
 * `npm run bench:appraisal`: 民主评议 and the annual record at branch scale. A branch of 200
 * members with a year of ledger rows (~60 each), pledges and 3 vetoes; each member casts a full
 * ballot (199 grades) through the service the op calls; then the closing count (ballot → counted:
 * tally into appraisal_result, delete the ballots) and the whole branch's annual records (JSON and
 * .xlsx), each timed with the server process's heap and RSS growth. SQLite always; PostgreSQL too
 * when TEST_PG_URL (or a postgres DATABASE_URL) is set. Calls the service functions the ops and
 * routes call (no HTTP). Prints figures only.
 */
import type { Db } from '../src/server/db/database'
import type { Actor } from '../src/server/plugins/auth'
import { randomBytes, randomUUID } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { castBallot, openAppraisal, stepAppraisal } from '../src/server/appraisal/service'
import { writeYearRecords, yearRecords } from '../src/server/records/service'
import { streamXlsx } from '../src/server/xlsx'
import { CATEGORIES } from '../src/shared/points/categories'
import { freshDb } from './bench-db'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const LEDGER_PER_MEMBER = 60
const YEAR = 2026
const PG_URL = process.env.TEST_PG_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined)

async function seed(db: Db): Promise<Actor[]> {
  const now = new Date().toISOString()
  const branchId = randomUUID()
  await db.insertInto('branch').values({ id: branchId, name: '基准支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  const actors: Actor[] = Array.from({ length: MEMBERS }, (_, i) => ({ id: randomUUID(), branchId, groupId: null, role: i === 0 ? 'branch_admin' : 'member', name: `党员${i}` }))
  for (let i = 0; i < actors.length; i += 100) {
    await db.insertInto('member').values(actors.slice(i, i + 100).map((a, j) => ({ id: a.id, branch_id: branchId, group_id: null, name: a.name, login: `m${i + j}`, phone: null, role: a.role, titles: '[]', password_hash: null, active: 1, created_at: now, updated_at: now }))).execute()
  }
  const ledger = actors.flatMap((a, i) => Array.from({ length: LEDGER_PER_MEMBER }, (_, k) => {
    const month = (k % 12) + 1
    return { id: randomUUID(), branch_id: branchId, member_id: a.id, year: YEAR, month, date: `${YEAR}-${String(month).padStart(2, '0')}-15`, category: CATEGORIES[(i + k) % 5]!, rule_id: null, entry_id: null, kind: 'grant' as const, amount: (k % 3) + 1, requested: (k % 3) + 1, clipped: 0, reason: '', reverses_id: null, actor_id: null, created_at: now }
  }))
  for (let i = 0; i < ledger.length; i += 500)
    await db.insertInto('point_ledger').values(ledger.slice(i, i + 500)).execute()
  for (const a of actors.slice(1, 4))
    await db.insertInto('point_veto').values({ id: randomUUID(), branch_id: branchId, member_id: a.id, year: YEAR, decision: '党内警告', decided_on: `${YEAR}-05-01`, reason: '基准', created_by: actors[0]!.id, created_at: now, revoked_at: null, revoked_by: null, revoke_reason: null }).execute()
  return actors
}

function mem() {
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`
const delta = (n: number) => `${n >= 0 ? '+' : '−'}${mb(Math.abs(n))}`

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  globalThis.gc?.()
  const before = mem()
  const start = performance.now()
  const out = await work()
  const ms = performance.now() - start
  const after = mem()
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   heap ${delta(after.heap - before.heap)}   rss ${mb(after.rss)}`)
  return out
}

async function run(kind: 'sqlite' | 'postgres') {
  const { handle, drop } = await freshDb(kind)
  try {
    const db = handle.db
    const actors = await seed(db)
    const admin = actors[0]!
    const appraisalId = randomUUID()
    await db.transaction().execute(trx => openAppraisal(trx, admin, appraisalId, { year: YEAR, scope: 'branch', startsOn: `${YEAR}-12-01`, endsOn: `${YEAR}-12-31`, excellentNum: 1, excellentDen: 3 }))
    await db.transaction().execute(trx => stepAppraisal(trx, admin, appraisalId, 'ballot'))
    const vetoed = new Set(actors.slice(1, 4).map(a => a.id))
    console.log(`${kind}: ${MEMBERS} members, ${MEMBERS * LEDGER_PER_MEMBER} ledger rows`)
    await timed(`${MEMBERS} ballots cast (${MEMBERS - 1} grades each)`, async () => {
      for (const [i, voter] of actors.entries()) {
        let excellent = 0
        const grades = Object.fromEntries(actors.filter(a => a.id !== voter.id).map((a, k) => {
          const g = !vetoed.has(a.id) && excellent < 20 && (k + i) % 7 === 0 ? (excellent++, 'excellent' as const) : (k + i) % 11 === 0 ? 'basic' as const : 'qualified' as const
          return [a.id, g]
        }))
        await db.transaction().execute(trx => castBallot(trx, voter, appraisalId, randomBytes(24).toString('base64url'), grades))
      }
    })
    await timed('tally at closing (count + delete ballots)', () => db.transaction().execute(trx => stepAppraisal(trx, admin, appraisalId, 'counted')))
    const records = await timed('annual records, whole branch (JSON)', () => yearRecords(db, admin, { year: YEAR, scope: 'branch' }))
    if (records.members.length !== MEMBERS)
      throw new Error(`expected ${MEMBERS} records, got ${records.members.length}`)
    const xlsx = await timed('annual records, whole branch (.xlsx)', async () => {
      const all = await yearRecords(db, admin, { year: YEAR, scope: 'branch' })
      return buffer(await streamXlsx(async (book, out) => writeYearRecords(book, out, all)))
    })
    console.log(`  .xlsx size ${(xlsx.length / 1024).toFixed(0)} KB; JSON size ${(JSON.stringify(records).length / 1024).toFixed(0)} KB`)
  }
  finally {
    await drop()
  }
}

await run('sqlite')
if (PG_URL)
  await run('postgres')
else
  console.log('postgres: skipped (set TEST_PG_URL)')
