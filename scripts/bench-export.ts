/**
 * `npm run bench:export`: the branch's 党员平时积分记录表 as .xlsx (GET /api/points/sheet.xlsx,
 * scope=branch, period=year) for 100 and 200 members with five years of points each (BENCH_PER_YEAR
 * ledger rows a member a year, default 100), side by side. Each size is measured on the server as
 * `npm start` runs it (the compiled bundle, a process of its own, started as the e2e tests start it;
 * needs a build, `npm run build`), over HTTP:
 * the time of each year's export (median of the five), all five one after the other, and the
 * server's peak RSS from the kernel (what a deployment needs). Also the 年度记录 .xlsx
 * (GET /api/records/xlsx) of the last year. SQLite; the machine's load shows.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword } from '../src/server/auth/password'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { startServer } from '../tests/e2e/harness'
import { insertAll, rng } from './bench-db'

const SIZES = (process.env.BENCH_MEMBERS ?? '100,200').split(',').map(Number)
const PER_YEAR = Number(process.env.BENCH_PER_YEAR ?? 100)
const YEARS = [2022, 2023, 2024, 2025, 2026]
const GROUPS = 10
const PASSWORD = 'bench-pass-1'
const CHEAP = { N: 2 ** 10, r: 8, p: 1 }

interface Figures { members: number, rows: number, perYearMs: number, fiveYearsMs: number, recordsMs: number, bytes: number, readyRssMb: number, peakRssMb: number }

/** A branch of `count` members (the first its admin, able to log in) with PER_YEAR ledger rows a member in each of YEARS. */
async function seed(url: string, count: number) {
  const handle = openDatabase(url)
  await migrateToLatest(handle.db)
  const rand = rng(count)
  const now = new Date().toISOString()
  const branchId = randomUUID()
  await handle.db.insertInto('branch').values({ id: branchId, name: '基准支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  const groups = Array.from({ length: GROUPS }, (_, i) => ({ id: randomUUID(), branch_id: branchId, name: `第${i + 1}党小组`, created_at: now, removed_at: null }))
  await insertAll(handle.db, 'party_group', groups)
  const surnames = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗'
  const hash = await hashPassword(PASSWORD, CHEAP)
  const members = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    branch_id: branchId,
    group_id: groups[i % GROUPS]!.id,
    name: `${surnames[i % surnames.length]}${'伟芳娜敏静丽强磊军洋'[Math.floor(i / surnames.length) % 10]}${i}`,
    login: `m${i}`,
    phone: null,
    role: (i === 0 ? 'branch_admin' : 'member') as 'member',
    titles: '[]',
    password_hash: i === 0 ? hash : null,
    active: 1,
    created_at: now,
    updated_at: now,
  }))
  await insertAll(handle.db, 'member', members)
  const categories = ['study', 'excel', 'serve', 'discipline', 'uphold']
  for (const year of YEARS) {
    const ledger: Record<string, unknown>[] = []
    for (const m of members) {
      for (let k = 0; k < PER_YEAR; k++) {
        const month = 1 + Math.floor(rand() * 12)
        const date = `${year}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`
        const amount = 1 + Math.floor(rand() * 3)
        ledger.push({ id: randomUUID(), branch_id: branchId, member_id: m.id, year, month, date, category: categories[k % 5], rule_id: null, entry_id: null, kind: 'grant', amount, requested: amount, clipped: 0, reason: `参加志愿服务活动（第${k + 1}次）`, reverses_id: null, actor_id: members[0]!.id, created_at: now })
      }
    }
    await insertAll(handle.db, 'point_ledger', ledger)
  }
  await handle.db.destroy()
}

/** Peak and current resident memory of a process, from the kernel's own account (Linux). */
function memoryOf(pid: number): { peakMb: number, nowMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN)
  return { peakMb: kb('VmHWM') / 1024, nowMb: kb('VmRSS') / 1024 }
}

/**
 * The server as `npm start` runs it (plain node on the compiled bundle, a process of its own), over
 * HTTP on loopback: the admin logs in, each year's export is timed, and the server's peak RSS is
 * read from the kernel at the end — what a deployment needs, not a test harness's.
 */
async function measure(url: string, count: number): Promise<Figures> {
  const server = await startServer({ env: { DATABASE_URL: url, LOG_LEVEL: 'error' } })
  const base = server.url
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-xianfeng': '1' }, body: JSON.stringify({ login: 'm0', password: PASSWORD }) })
    const cookie = login.headers.get('set-cookie')?.split(';')[0]
    if (!login.ok || !cookie)
      throw new Error(`login failed: ${login.status} ${await login.text()}`)
    // The download is read as it arrives and only counted, as a phone's browser would save it.
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { cookie } })
      if (res.status !== 200 || !res.body)
        throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`)
      let bytes = 0
      const reader = res.body.getReader()
      for (let part = await reader.read(); !part.done; part = await reader.read())
        bytes += part.value.length
      return bytes
    }
    // exceljs loaded and the queries warm before anything is timed: a first export pays for that once.
    await get(`/api/points/sheet.xlsx?scope=member&period=year&year=${YEARS[0]}`)
    const readyRssMb = memoryOf(server.pid()!).nowMb
    const times: number[] = []
    let bytes = 0
    const all = performance.now()
    for (const year of YEARS) {
      const started = performance.now()
      bytes = await get(`/api/points/sheet.xlsx?scope=branch&period=year&year=${year}`)
      times.push(performance.now() - started)
    }
    const fiveYearsMs = performance.now() - all
    const recordsStarted = performance.now()
    await get(`/api/records/xlsx?scope=branch&year=${YEARS.at(-1)}`)
    const recordsMs = performance.now() - recordsStarted
    const { peakMb } = memoryOf(server.pid()!)
    times.sort((a, b) => a - b)
    return { members: count, rows: count * PER_YEAR, perYearMs: times[2]!, fiveYearsMs, recordsMs, bytes, readyRssMb, peakRssMb: peakMb }
  }
  finally {
    await server.dispose()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xianfeng-bench-export-'))
const results: Figures[] = []
try {
  for (const count of SIZES) {
    const url = `sqlite:${join(dir, `branch-${count}.db`)}`
    const t0 = performance.now()
    await seed(url, count)
    console.log(`${count} members: ${count * PER_YEAR * YEARS.length} ledger rows over ${YEARS.length} years seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    results.push(await measure(url, count))
  }
}
finally {
  rmSync(dir, { recursive: true, force: true })
}

const cell = (v: string) => v.padStart(14)
console.log(`\n记录表 .xlsx, whole branch, one year (${PER_YEAR} rows a member), SQLite, the compiled server (npm start) over HTTP`)
console.log(`${''.padEnd(34)}${results.map(r => cell(`${r.members} members`)).join('')}${results.length === 2 ? cell('ratio') : ''}`)
function line(label: string, pick: (r: Figures) => number, unit: string, digits = 0) {
  const ratio = results.length === 2 ? cell(`${(pick(results[1]!) / pick(results[0]!)).toFixed(2)}×`) : ''
  console.log(`${label.padEnd(34)}${results.map(r => cell(`${pick(r).toFixed(digits)} ${unit}`)).join('')}${ratio}`)
}
line('one year\'s export (median of 5)', r => r.perYearMs, 'ms')
line('all five years, one after another', r => r.fiveYearsMs, 'ms')
line('年度记录 .xlsx (one row a member)', r => r.recordsMs, 'ms')
line('file size (one year)', r => r.bytes / 1024, 'KB')
line('server RSS after a first export', r => r.readyRssMb, 'MB')
line('server peak RSS (VmHWM)', r => r.peakRssMb, 'MB')
