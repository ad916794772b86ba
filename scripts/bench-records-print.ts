/**
 * `npx tsx scripts/bench-records-print.ts` (after `npx vite build`): the whole branch's
 * 年度积分与表现记录 in the app (issue 13 item 7) for a branch of 200 members with a year of points
 * (about 100 ledger rows each) and a few vetoes. Starts the built server (SQLite; PostgreSQL too, in a database of its own, when TEST_PG_URL is set),
 * opens /records?scope=branch as the branch admin in Chromium and times, over BENCH_RUNS loads:
 * the page until all 200 members are rendered, the page's JS heap, and printing it to PDF (with
 * the page count, which must be 200). The server side alone (JSON, .xlsx, its memory) is in
 * `npm run bench:appraisal`. Prints figures only.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { openDatabase } from '../src/server/db/database'
import { launchBrowser, seedBranch, startServer, useSession } from '../tests/e2e/harness'
import { pdfPageCount } from '../tests/e2e/pdf'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200)
const PER_MEMBER = Number(process.env.BENCH_PER_YEAR ?? 100)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const YEAR = new Date().getFullYear()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** An empty PostgreSQL database beside TEST_PG_URL's (the server migrates it at start), and its removal. */
async function pgDatabase(): Promise<{ url: string, drop: () => Promise<void> }> {
  const name = `xf_bench_${randomBytes(5).toString('hex')}`
  const run = async (q: string) => {
    const c = new pg.Client({ connectionString: process.env.TEST_PG_URL })
    await c.connect()
    await c.query(q).finally(() => c.end())
  }
  await run(`create database ${name}`)
  const url = new URL(process.env.TEST_PG_URL!)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => run(`drop database if exists ${name}`).catch((err: Error) => console.log(`  (could not drop ${name}: ${err.message})`)) }
}

async function bench(databaseUrl?: string) {
  const server = await startServer(databaseUrl ? { env: { DATABASE_URL: databaseUrl } } : {})
  try {
    const branch = await seedBranch(server, { members: [], groups: Array.from({ length: 10 }, (_, i) => `第${i + 1}党小组`) })
    const branchId = branch.adminMe.branchId
    const handle = openDatabase(server.databaseUrl)
    const now = new Date().toISOString()
    const surnames = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗'
    // The admin is the first member; the others straight into the database (invites would take minutes).
    const members = Array.from({ length: MEMBERS - 1 }, (_, i) => ({
      id: randomUUID(),
      branch_id: branchId,
      group_id: branch.groups[i % branch.groups.length]!.id,
      name: `${surnames[i % surnames.length]}${'伟芳娜敏静丽强磊军洋'[Math.floor(i / surnames.length) % 10]}${i}`,
      login: `m${i}`,
      phone: null,
      role: 'member' as const,
      titles: '[]',
      password_hash: null,
      active: 1,
      created_at: now,
      updated_at: now,
    }))
    for (let i = 0; i < members.length; i += 200)
      await handle.db.insertInto('member').values(members.slice(i, i + 200)).execute()
    const ids = [branch.adminMe.id, ...members.map(m => m.id)]
    let seed = 42
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const ledger = ids.flatMap(memberId => Array.from({ length: PER_MEMBER }, () => {
      const month = 1 + Math.floor(rand() * 12)
      const amount = 1 + Math.floor(rand() * 3)
      return { id: randomUUID(), branch_id: branchId, member_id: memberId, year: YEAR, month, date: `${YEAR}-${String(month).padStart(2, '0')}-10`, category: (['study', 'excel', 'serve', 'discipline', 'uphold'] as const)[Math.floor(rand() * 5)]!, rule_id: null, entry_id: null, kind: 'grant' as const, amount, requested: amount, clipped: 0, reason: '基准', reverses_id: null, actor_id: null, created_at: now }
    }))
    for (let i = 0; i < ledger.length; i += 400)
      await handle.db.insertInto('point_ledger').values(ledger.slice(i, i + 400)).execute()
    const vetoes = ids.filter((_, i) => i % 40 === 7).map(memberId => ({ id: randomUUID(), branch_id: branchId, member_id: memberId, year: YEAR, decision: '党内警告', decided_on: `${YEAR}-05-01`, reason: '基准', created_by: null, created_at: now, revoked_at: null, revoked_by: null, revoke_reason: null }))
    await handle.db.insertInto('point_veto').values(vetoes).execute()
    await handle.db.destroy()

    const browser = await launchBrowser()
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    await useSession(context, server, branch.admin)
    const page = await context.newPage()
    const shown: number[] = []
    const printed: number[] = []
    const heaps: number[] = []
    let pages = 0
    let bytes = 0
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now()
      await page.goto(`/records?year=${YEAR}&scope=branch`)
      await page.waitForFunction(n => document.querySelectorAll('[data-testid=record-member]').length === n, MEMBERS, { timeout: 120_000 })
      shown.push(performance.now() - t0)
      heaps.push(await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0))
      const t1 = performance.now()
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
      printed.push(performance.now() - t1)
      pages = pdfPageCount(pdf)
      bytes = pdf.length
    }
    await browser.close()
    console.log(`annual records of a branch of ${MEMBERS} (${PER_MEMBER} ledger rows each) in Chromium, ${RUNS} runs, ${server.databaseUrl.split(':')[0]}:`)
    console.log(`  open /records?scope=branch until all ${MEMBERS} pages are rendered: median ${median(shown).toFixed(0)} ms (${shown.map(x => x.toFixed(0)).join(', ')})`)
    console.log(`  page JS heap after rendering: median ${(median(heaps) / 1048576).toFixed(1)} MB`)
    console.log(`  print to PDF: median ${median(printed).toFixed(0)} ms (${printed.map(x => x.toFixed(0)).join(', ')}); ${pages} pages, ${(bytes / 1048576).toFixed(1)} MB`)
    if (pages !== MEMBERS)
      throw new Error(`expected ${MEMBERS} PDF pages, got ${pages}`)
  }
  finally {
    await server.dispose()
  }
}

await bench()
if (process.env.TEST_PG_URL) {
  const db = await pgDatabase()
  try {
    await bench(db.url)
  }
  finally {
    await db.drop()
  }
}
