import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/*
 * `npm run bench:start`: how long a secretary waits after typing `npm start` (app and server built)
 * until /api/health and then / answer 200. Five runs, each on a fresh SQLite database so the
 * migrations are part of the time; prints every run and the median.
 */
const RUNS = Number(process.env.RUNS ?? 5)
const PORT = Number(process.env.BENCH_PORT ?? 8531)
const root = resolve(import.meta.dirname, '..')

if (!existsSync(join(root, 'dist/app/index.html')) || !existsSync(join(root, 'dist/server/server.mjs'))) {
  console.error('bench:start: build first (npm run build) so the build is not timed as start-up')
  process.exit(1)
}

interface Run { health: number, page: number }

async function firstOk(url: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200)
        return true
    }
    catch {
      // Not listening yet.
    }
    await new Promise(r => setTimeout(r, 5))
  }
  return false
}

async function once(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'xianfeng-bench-'))
  const started = performance.now()
  // `npm start` exactly as the README says, in its own process group so every child is ended.
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'warn' },
  })
  const exited = new Promise<void>(done => child.once('exit', () => done()))
  try {
    const deadline = Date.now() + 60_000
    const base = `http://127.0.0.1:${PORT}`
    if (!(await firstOk(`${base}/api/health`, deadline)))
      throw new Error(`no 200 from ${base}/api/health within 60 s (is port ${PORT} free? set BENCH_PORT)`)
    const health = performance.now() - started
    if (!(await firstOk(`${base}/`, deadline)))
      throw new Error(`no 200 from ${base}/ within 60 s`)
    return { health, page: performance.now() - started }
  }
  finally {
    process.kill(-child.pid!, 'SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const runs: Run[] = []
for (let i = 1; i <= RUNS; i++) {
  const run = await once()
  runs.push(run)
  console.log(`run ${i}: /api/health ${run.health.toFixed(0)} ms, / ${run.page.toFixed(0)} ms`)
}
console.log(`median of ${RUNS} (npm start → first 200, fresh SQLite): /api/health ${median(runs.map(r => r.health)).toFixed(0)} ms, / ${median(runs.map(r => r.page)).toFixed(0)} ms`)
