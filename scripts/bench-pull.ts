/**
 * `npm run bench:pull`: what a member's pull costs in one branch against a deployment of 50
 * branches × 200 members (issue 14 Figures, issue 17 point 5), before and after the scope indexes
 * (2026_12_03_1810_change_log_scope). Two pulls: a new phone's first pull (every page of 500) and
 * a pull of the member's last 20 changes. "before" is the old query (a filter over the branch's
 * rows, index on branch and seq) on the old index; "after" is today's pull on today's indexes — the
 * same seeded rows, the indexes swapped between the two. SQLite always; PostgreSQL too when
 * TEST_PG_URL (or a postgres DATABASE_URL) is set. Prints medians of a few members' pulls.
 *
 * BENCH_BRANCHES (50), BENCH_MEMBERS (200 per branch), BENCH_PER_MEMBER (40 changes each) size it.
 */
import type { DbHandle } from '../src/server/db/database'
import type { ChangeScope } from '../src/server/db/sync.table'
import type { Actor } from '../src/server/plugins/auth'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { changesAfter, changesAfterByFilter, changesQuery, pullChanges, syncEpoch } from '../src/server/sync/pull'
import { freshDb } from './bench-db'

const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 50)
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const PER_MEMBER = Number(process.env.BENCH_PER_MEMBER ?? 40)
const GROUP_SIZE = 20
const MEETINGS_PER_GROUP = 12
const BRANCH_ROWS = 60
const SAMPLE = 8
const ROUNDS = 3

if (!process.env.TEST_PG_URL && /^postgres(?:ql)?:\/\//.test(process.env.DATABASE_URL ?? ''))
  process.env.TEST_PG_URL = process.env.DATABASE_URL

interface Branch { id: string, members: Actor[], groups: string[] }

function deployment(branches: number): Branch[] {
  return Array.from({ length: branches }, (_, b) => {
    const id = randomUUID()
    const groups = Array.from({ length: Math.ceil(MEMBERS / GROUP_SIZE) }, () => randomUUID())
    const members = Array.from({ length: MEMBERS }, (_, m): Actor => ({ id: randomUUID(), branchId: id, groupId: groups[Math.floor(m / GROUP_SIZE)]!, role: 'member', name: `b${b}m${m}` }))
    return { id, members, groups }
  })
}

interface Row { branch_id: string, member_id: string | null, group_id: string | null, scope: ChangeScope, entity: string }

/** A year of one deployment's changes, in the order branches would write them: interleaved at random. */
function changes(branches: Branch[]): Row[] {
  const rows: Row[] = []
  for (const b of branches) {
    for (const m of b.members) {
      for (let i = 0; i < PER_MEMBER; i++)
        rows.push({ branch_id: b.id, member_id: m.id, group_id: null, scope: 'member', entity: 'point_entry' })
    }
    b.groups.forEach((g, i) => {
      const leader = b.members[i * GROUP_SIZE]!.id
      for (let k = 0; k < MEETINGS_PER_GROUP; k++)
        rows.push({ branch_id: b.id, member_id: leader, group_id: g, scope: 'group', entity: 'meeting' })
    })
    for (let i = 0; i < BRANCH_ROWS; i++)
      rows.push({ branch_id: b.id, member_id: null, group_id: null, scope: 'branch', entity: 'meeting' })
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!]
  }
  return rows
}

const DATA = JSON.stringify({ ruleKey: 'study', points: 2, note: '参加支部组织的专题学习，撰写心得体会一篇', status: 'approved', occurredOn: '2026-05-12', photos: [], decidedBy: randomUUID(), decidedAt: '2026-05-13T02:00:00.000Z' })

async function seed(handle: DbHandle, rows: Row[]): Promise<void> {
  const now = new Date().toISOString()
  const CHUNK = 1000
  for (let i = 0; i < rows.length; i += CHUNK) {
    await handle.db.insertInto('change_log').values(rows.slice(i, i + CHUNK).map((r, k) => ({
      seq: i + k + 1,
      entity: r.entity,
      entity_id: randomUUID(),
      branch_id: r.branch_id,
      member_id: r.member_id,
      group_id: r.group_id,
      op: 'upsert' as const,
      data: DATA,
      created_at: now,
    }))).execute()
  }
  await handle.db.updateTable('sync_counter').set({ seq: rows.length }).where('id', '=', 1).execute()
}

/** "before": only the index the pull had until now; "after": the migration's indexes. */
async function useIndexes(handle: DbHandle, which: 'before' | 'after'): Promise<void> {
  const db = handle.db
  const NEW = [['change_log_scope_seq', ['branch_id', 'scope', 'seq']], ['change_log_member_seq', ['member_id', 'branch_id', 'seq']], ['change_log_group_seq', ['group_id', 'branch_id', 'seq']]] as const
  if (which === 'before') {
    for (const [name] of NEW)
      await db.schema.dropIndex(name).ifExists().execute()
    await db.schema.createIndex('change_log_branch_seq').ifNotExists().on('change_log').columns(['branch_id', 'seq']).execute()
  }
  else {
    await db.schema.dropIndex('change_log_branch_seq').ifExists().execute()
    // As the migrations leave them: the member and group indexes hold only rows with a member or a group (2026_12_03_2100).
    for (const [name, columns] of NEW) {
      const index = db.schema.createIndex(name).ifNotExists().on('change_log').columns([...columns])
      await (columns[0] === 'branch_id' ? index : index.where(columns[0], 'is not', null)).execute()
    }
  }
  await sql`analyze`.execute(db)
}

type Reader = typeof changesAfter

/** Every page of a first pull, as the phone reads them; the changes and the time it took. */
async function firstPull(handle: DbHandle, actor: Actor, read: Reader): Promise<{ ms: number, seqs: number[] }> {
  const seqs: number[] = []
  let since = ''
  const start = performance.now()
  for (;;) {
    const page = await pullChanges(handle.db, actor, since, 500, read)
    seqs.push(...page.changes.map(c => c.seq))
    since = page.cursor
    if (!page.hasMore)
      return { ms: performance.now() - start, seqs }
  }
}

async function lastPull(handle: DbHandle, actor: Actor, read: Reader, cursor: string): Promise<{ ms: number, count: number }> {
  const start = performance.now()
  const page = await pullChanges(handle.db, actor, cursor, 500, read)
  return { ms: performance.now() - start, count: page.changes.length }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface Figures { first: number, last20: number, changes: number }

async function measure(handle: DbHandle, members: Actor[], read: Reader): Promise<Figures> {
  const epoch = await syncEpoch(handle.db)
  const first: number[] = []
  const last: number[] = []
  let changes = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (const actor of members) {
      const pulled = await firstPull(handle, actor, read)
      first.push(pulled.ms)
      changes = pulled.seqs.length
      const cursor = `${epoch}.${pulled.seqs[pulled.seqs.length - 21] ?? 0}`
      const tail = await lastPull(handle, actor, read, cursor)
      if (tail.count !== 20)
        throw new Error(`last-20 pull returned ${tail.count} changes`)
      last.push(tail.ms)
    }
  }
  return { first: median(first), last20: median(last), changes }
}

/** How the database reads a member's last-20 pull in the big deployment: the indexes it uses, and on PostgreSQL the rows each arm read. */
async function plan(handle: DbHandle, kind: 'sqlite' | 'postgres', actor: Actor, from: number, head: number): Promise<string> {
  const { sql: text, parameters } = changesQuery(handle.db, actor, from, head, 500).compile()
  let i = 0
  const literal = (v: unknown) => typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, '\'\'')}'`
  const inlined = kind === 'sqlite' ? text.replace(/\?/g, () => literal(parameters[i++])) : text.replace(/\$(\d+)/g, (_, n: string) => literal(parameters[Number(n) - 1]))
  const rows = await sql.raw<Record<string, unknown>>(`${kind === 'sqlite' ? 'explain query plan' : 'explain (analyze, costs off, timing off, summary off)'} ${inlined}`).execute(handle.db)
  return rows.rows.map(r => `    ${String(r.detail ?? r['QUERY PLAN'])}`).join('\n')
}

const plans: string[] = []

async function run(kind: 'sqlite' | 'postgres', branches: number): Promise<{ before: Figures, after: Figures, rows: number }> {
  const { handle, drop } = await freshDb(kind)
  try {
    const all = deployment(branches)
    const rows = changes(all)
    await seed(handle, rows)
    // Members of a branch in the middle, some of them group leaders (they see their own meetings twice over).
    const branch = all[Math.floor(branches / 2)]!
    const members = Array.from({ length: SAMPLE }, (_, i) => branch.members[Math.floor(i * MEMBERS / SAMPLE)]!)
    await useIndexes(handle, 'before')
    await measure(handle, members.slice(0, 2), changesAfterByFilter) // warm-up
    const before = await measure(handle, members, changesAfterByFilter)
    await useIndexes(handle, 'after')
    await measure(handle, members.slice(0, 2), changesAfter)
    const after = await measure(handle, members, changesAfter)
    if (branches > 1) {
      const pulled = await firstPull(handle, members[1]!, changesAfter)
      plans.push(`${kind}: the plan of a member's last-20 pull in ${branches} branches\n${await plan(handle, kind, members[1]!, pulled.seqs[pulled.seqs.length - 21]!, rows.length)}`)
    }
    if (before.changes !== after.changes)
      throw new Error(`the two queries disagree: ${before.changes} vs ${after.changes} changes`)
    return { before, after, rows: rows.length }
  }
  finally {
    await drop()
  }
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`
const cell = (s: string, w = 16) => s.padStart(w)

const kinds: Array<'sqlite' | 'postgres'> = process.env.TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite']
if (!process.env.TEST_PG_URL)
  console.log('PostgreSQL skipped: set TEST_PG_URL (or DATABASE_URL=postgres://…) to measure it too.')
console.log(`A member's pull: 1 branch vs ${BRANCHES} branches × ${MEMBERS} members × ${PER_MEMBER} changes each (+ group meetings, branch rows); median of ${SAMPLE} members × ${ROUNDS} rounds.\n`)
console.log(['', 'pull', 'rows', 'changes', 'before', 'after', 'after/before'].map((s, i) => i < 2 ? s.padEnd(i ? 26 : 11) : cell(s, i === 6 ? 14 : 12)).join(''))
for (const kind of kinds) {
  for (const branches of [1, BRANCHES]) {
    const { before, after, rows } = await run(kind, branches)
    const label = `${branches} branch${branches > 1 ? 'es' : ''}`
    for (const [what, key] of [['first pull', 'first'], ['last 20 changes', 'last20']] as const) {
      console.log([
        kind.padEnd(11),
        `${what}, ${label}`.padEnd(26),
        cell(rows.toLocaleString('en'), 12),
        cell(String(key === 'first' ? after.changes : 20), 12),
        cell(ms(before[key]), 12),
        cell(ms(after[key]), 12),
        cell(`${(after[key] / before[key]).toFixed(2)}×`, 14),
      ].join(''))
    }
  }
}
console.log(`\n${plans.join('\n')}`)
