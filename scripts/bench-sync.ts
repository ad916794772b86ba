/**
 * `npm run bench:sync`: how fast queued ops reach the database, and how much batching saves.
 * 5,000 ops (BENCH_SIZES to change) of each op type in BENCH_OPS pushed through HTTP in
 * batches of 500 the way the app does, each batch one transaction (issue 17: aims SQLite ≥ 10,000
 * ops/s, PostgreSQL ≥ 5,000), beside a replay sending ops one request each (the first
 * BENCH_REPLAY_OPS of them, 1,000 by default: one-per-op on PostgreSQL takes minutes) — ops/s
 * and their ratio printed. SQLite always; PostgreSQL in the same run when TEST_PG_URL or a
 * postgres DATABASE_URL is set ("skipped" otherwise). Then a local write (record + op in one
 * IndexedDB transaction, the app's own localWrite) timed in Chromium (BENCH_SKIP_BROWSER=1 skips).
 * Op types (BENCH_OPS, both by default): `profile.update` (a member's phone) and `entry.create`
 * (记积分, the op members send most); both handlers have a batch path (applyMany).
 * Each run first pushes a warm-up of the same kind (one batch, or 20 one-op requests; BENCH_WARMUP=0
 * skips it), left out of the figures: a fresh server compiles a route's schemas on its first
 * request and V8 has not yet optimised the push path, which a running server did long ago.
 * `server µs/op` is the time the server spent on the timed requests (Fastify's elapsed time, from
 * request to answer); the rest of the wall time is the bench's own HTTP client and the socket.
 * Prints figures only.
 */
import type { AddressInfo } from 'node:net'
import type { DbHandle } from '../src/server/db/database'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { buildApp } from '../src/server/app'
import { issueSetupToken } from '../src/server/auth/setup'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { LIMITS, SESSION } from '../src/shared/constants'
import { SYNC_PROTOCOL } from '../src/shared/sync/protocol'

const SIZES = (process.env.BENCH_SIZES ?? '5000').split(',').map(Number)
type OpKind = 'profile' | 'entry'
const OP_KINDS = (process.env.BENCH_OPS ?? 'profile,entry').split(',') as OpKind[]
const OP_TYPE: Record<OpKind, string> = { profile: 'profile.update', entry: 'entry.create' }
const REPLAY = Number(process.env.BENCH_REPLAY_OPS ?? 1000)
/** The PostgreSQL server to create throw-away databases on. */
const PG_URL = process.env.TEST_PG_URL || (/^postgres(?:ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined)
/** BENCH_CPU_PROF=DIR: a .cpuprofile of each batched push loop alone (start-up and migrations left out), for DevTools. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF
const WARM_UP = process.env.BENCH_WARMUP !== '0'
const AIM = { sqlite: 10_000, postgres: 5_000 }
const PORT = Number(process.env.BENCH_PORT ?? 8410)
/** Each run listens on its own port (8411, 8412 …): no pooled keep-alive socket outlives its server. */
let runs = 0
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

async function freshDb(kind: 'sqlite' | 'postgres'): Promise<{ handle: DbHandle, drop: () => Promise<void> }> {
  const name = `xf_bench_${randomBytes(5).toString('hex')}`
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(PG_URL!)
    url.pathname = `/${name}`
    const handle = openDatabase(url.toString())
    await migrateToLatest(handle.db)
    return {
      handle,
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_URL })
        await c.connect()
        // WITH (FORCE) may refuse to end a superuser's process (autovacuum on the new database): then plainly.
        try {
          await c.query(`drop database if exists ${name} with (force)`)
        }
        catch {
          await c.query(`drop database if exists ${name}`).catch(() => {})
        }
        await c.end()
      },
    }
  }
  const dir = join(tmpdir(), 'xianfeng-bench')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.db`)
  const handle = openDatabase(`sqlite:${file}`)
  await migrateToLatest(handle.db)
  const drop = async () => {
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${file}${suffix}`, { force: true })
  }
  return { handle, drop }
}

/**
 * The CPU time (ms) the PostgreSQL backends serving this bench's database have used, read from
 * /proc: with the database on this machine, the other half of an op's cost, which load does not
 * blur either. Undefined where /proc does not show them (a remote server).
 */
async function backendCpu(handle: DbHandle): Promise<Map<number, number> | undefined> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(handle.db)
  const used = new Map<number, number>()
  try {
    for (const { pid } of rows) {
      // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, after the command name in parentheses.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * 10)
    }
  }
  catch {
    return undefined
  }
  return used
}

function backendCpuSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after)
    return undefined
  let ms = 0
  for (const [pid, cpu] of after)
    ms += cpu - (before.get(pid) ?? 0)
  return ms
}

/**
 * cpu: this process's CPU time (server and client both run here), far steadier than wall time on
 * a busy machine; dbCpu: the PostgreSQL backends' (SQLite runs inside cpu).
 */
interface Run { wall: number, cpu: number, dbCpu?: number, server: number, queries: number, requests: number, applied: number }

async function run(kind: 'sqlite' | 'postgres', n: number, batched: boolean, opKind: OpKind): Promise<Run> {
  const { handle, drop } = await freshDb(kind)
  // Every statement the server sends (BEGIN and COMMIT aside): the figure the load on a busy machine cannot blur.
  // Counted as results come back, so statements sent as ready SQL text (sync/repository.ts) count too.
  const counter = { queries: 0 }
  const db = handle.db.withPlugin({
    transformQuery: args => args.node,
    transformResult: async (args) => {
      counter.queries++
      return args.result
    },
  })
  const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database: { db, kind: handle.kind } })
  const timed = { on: false, server: 0 }
  app.addHook('onResponse', async (_request, reply) => {
    if (timed.on)
      timed.server += reply.elapsedTime
  })
  await app.listen({ port: PORT + 1 + (runs++ % 40), host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  try {
    const token = await issueSetupToken(handle.db)
    const setup = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SESSION.csrfHeader]: '1' },
      body: JSON.stringify({ token, branchName: '基准支部', adminName: '基准', login: 'bench', password: 'bench-pass-1' }),
    })
    const cookie = setup.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    const deviceId = randomUUID()
    // 记积分: the default rules' 志愿服务, dated today in China time, as the phone sends it.
    const rules = opKind === 'entry' ? (await (await fetch(`${base}/api/points/rules`, { headers: { cookie } })).json() as { rules: { id: string, key: string }[] }).rules : []
    const ruleId = rules.find(r => r.key === 'volunteer')?.id
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const payload = (i: number) => opKind === 'entry' ? { id: randomUUID(), ruleId, date: today, note: `参加志愿服务（第${i + 1}次）` } : { phone: `138${String(i).padStart(8, '0')}` }
    const size = batched ? LIMITS.syncBatchOps : 1
    const warm = WARM_UP ? Math.min(n, batched ? size : 20) : 0
    const all = Array.from({ length: warm + n }, (_, i) => ({ opId: randomUUID(), seq: i + 1, type: OP_TYPE[opKind], payload: payload(i), clientTime: new Date().toISOString() }))
    const pushOps = async (ops: typeof all) => {
      const res = await fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SESSION.csrfHeader]: '1', cookie },
        body: JSON.stringify({ protocol: SYNC_PROTOCOL, deviceId, ops }),
      })
      const body = await res.json() as { results: { status: string }[] }
      return body.results.filter(r => r.status === 'applied').length
    }
    let applied = 0
    for (let i = 0; i < warm; i += size)
      applied += await pushOps(all.slice(i, Math.min(warm, i + size)))
    const ops = all.slice(warm)
    let requests = 0
    counter.queries = 0
    const profiler = PROFILE_DIR && batched ? new Session() : undefined
    if (profiler) {
      profiler.connect()
      await profiler.post('Profiler.enable')
      await profiler.post('Profiler.start')
    }
    const dbStart = kind === 'postgres' ? await backendCpu(handle) : undefined
    timed.on = true
    const started = performance.now()
    const cpuStart = process.cpuUsage()
    for (let i = 0; i < ops.length; i += size) {
      applied += await pushOps(ops.slice(i, i + size))
      requests++
    }
    const wall = performance.now() - started
    const used = process.cpuUsage(cpuStart)
    timed.on = false
    const cpu = (used.user + used.system) / 1000
    const dbCpu = kind === 'postgres' ? backendCpuSince(dbStart, await backendCpu(handle)) : undefined
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop')
      mkdirSync(PROFILE_DIR!, { recursive: true })
      writeFileSync(join(PROFILE_DIR!, `push-${kind}-${n}.cpuprofile`), JSON.stringify(profile))
      profiler.disconnect()
    }
    const queries = counter.queries
    const rows = Number((await handle.db.selectFrom('sync_op').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    if (rows !== warm + n || applied !== warm + n)
      throw new Error(`bench: expected ${warm + n} applied ops, got ${applied} answers and ${rows} rows`)
    return { wall, cpu, dbCpu, server: timed.server, queries, requests, applied }
  }
  finally {
    await app.close()
    await drop()
  }
}

async function localWriteP95(): Promise<{ p50: number, p95: number, n: number }> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium missing at ${CHROMIUM}`)
  const root = resolve(import.meta.dirname, '..')
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { '#shared': join(root, 'src/shared'), '#app': join(root, 'src/app') } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { write: false, minify: true, lib: { entry: join(root, 'src/app/db/index.ts'), formats: ['iife'], name: 'xfdb' } },
  })
  const chunk = (Array.isArray(out) ? out[0]! : out as { output: { type: string, code?: string }[] }).output.find(o => o.type === 'chunk') as { code: string }
  const server = createServer((req, res) => {
    if (req.url === '/db.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(chunk.code)
      return
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/db.js"></script>')
  })
  await new Promise<void>(r => server.listen(PORT, '127.0.0.1', r))
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
  try {
    const page = await browser.newPage()
    await page.goto(`http://localhost:${PORT}/`)
    const times = await page.evaluate(async () => {
      const db = (window as unknown as { xfdb: typeof import('../src/app/db') }).xfdb
      const memberId = crypto.randomUUID()
      const result: number[] = []
      for (let i = 0; i < 520; i++) {
        const t0 = performance.now()
        await db.localWrite({ memberId, type: 'points.entry.create', payload: { id: `e${i}`, points: 2, note: '参加志愿服务' }, record: { entity: 'points_entry', id: `e${i}`, data: { id: `e${i}`, points: 2, note: '参加志愿服务' } } })
        result.push(performance.now() - t0)
      }
      return result.slice(20) // the first writes open the database
    })
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
    return { p50: at(0.5), p95: at(0.95), n: times.length }
  }
  finally {
    await browser.close()
    server.close()
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })

async function main() {
  console.log(`sync bench — batch size ${LIMITS.syncBatchOps}, one DB transaction per batch; one-per-op replays the first ${fmt(REPLAY)} ops; ${WARM_UP ? 'after a warm-up push' : 'no warm-up (cold server)'}`)
  for (const opKind of OP_KINDS) {
    console.log(`\nop type ${OP_TYPE[opKind]}`)
    console.log('db        ops     mode        wall ms    ops/s   cpu µs/op   db cpu µs/op   server µs/op   queries/op   requests   batched vs one-per-op')
    for (const kind of ['sqlite', 'postgres'] as const) {
      if (kind === 'postgres' && !PG_URL) {
        console.log('postgres  skipped (set TEST_PG_URL or a postgres DATABASE_URL)')
        continue
      }
      for (const n of SIZES) {
        const batched = await run(kind, n, true, opKind)
        const replayed = Math.min(n, REPLAY)
        const single = await run(kind, replayed, false, opKind)
        const rate = (r: Run, ops: number) => ops / (r.wall / 1000)
        const speedup = rate(batched, n) / rate(single, replayed)
        const aim = rate(batched, n) >= AIM[kind] ? `aim ≥ ${fmt(AIM[kind])} met` : `aim ≥ ${fmt(AIM[kind])} NOT met`
        const cpu = (r: Run, ops: number) => `${fmt(r.cpu * 1000 / ops).padStart(11)} ${(r.dbCpu === undefined ? (kind === 'sqlite' ? 'in cpu' : 'n/a') : fmt(r.dbCpu * 1000 / ops)).padStart(14)} ${fmt(r.server * 1000 / ops).padStart(14)}`
        console.log(`${kind.padEnd(9)} ${String(n).padStart(6)}  batched    ${fmt(batched.wall).padStart(8)} ${fmt(rate(batched, n)).padStart(8)} ${cpu(batched, n)} ${fmt(batched.queries / n, 2).padStart(12)} ${String(batched.requests).padStart(10)}   ${fmt(speedup, 1)}× the ops/s, ${aim}`)
        console.log(`${kind.padEnd(9)} ${String(replayed).padStart(6)}  one-per-op ${fmt(single.wall).padStart(8)} ${fmt(rate(single, replayed)).padStart(8)} ${cpu(single, replayed)} ${fmt(single.queries / replayed, 2).padStart(12)} ${String(single.requests).padStart(10)}`)
      }
    }
  }
  if (process.env.BENCH_SKIP_BROWSER !== '1') {
    const w = await localWriteP95()
    console.log(`\nlocal write in Chromium (record + op, one IndexedDB transaction), ${w.n} writes: p50 ${w.p50.toFixed(2)} ms, p95 ${w.p95.toFixed(2)} ms`)
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err)
  process.exit(1)
})
