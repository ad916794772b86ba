import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

/* Issue 16 point 5: a first start shows one ready line and then the one-time setup link, and no
   request logs scroll it away unless LOG_LEVEL asks for them. The server runs as a real process
   (scripts/start.mjs, what `npm start` runs: the compiled server, built first when stale) on a throwaway SQLite file and a stub app folder. */

const dir = mkdtempSync(join(tmpdir(), 'xf-first-run-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>先锋</title>')
let child: ChildProcess | null = null
afterEach(async () => {
  const running = child
  child = null
  if (running && running.exitCode === null) {
    const exited = new Promise(done => running.once('exit', done))
    running.kill('SIGTERM')
    await exited
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Starts the server with `env`; resolves with its output so far once the setup link is printed, and the origin in it. */
async function start(name: string, env: Record<string, string>) {
  const started = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', APP_DIR: dir, DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`, PUBLIC_URL: '', LOG_LEVEL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child = started
  let output = ''
  started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const deadline = Date.now() + 60_000
  while (!/\/setup#\S+/.test(output)) {
    if (started.exitCode !== null || Date.now() > deadline)
      throw new Error(`the server printed no setup link:\n${output}`)
    await new Promise(r => setTimeout(r, 50))
  }
  const origin = /(http:\/\/localhost:\d+)\/setup#/.exec(output)![1]!
  return { output: () => output, origin }
}

describe('the first start', { timeout: 90_000 }, () => {
  it('should print one ready line, then the setup link, and no line per request', async () => {
    const server = await start('quiet', {})
    for (const path of ['/', '/api/health', '/api/setup', '/login', '/api/nothing-here'])
      await fetch(`${server.origin}${path}`)
    // Give a late log line the time to arrive before deciding there is none.
    await new Promise(r => setTimeout(r, 300))
    const lines = server.output().split('\n').filter(line => line.trim())
    const ready = lines.findIndex(line => line.startsWith('先锋 ready at http://localhost:'))
    const link = lines.findIndex(line => /^\s+http:\/\/localhost:\d+\/setup#[\w-]+$/.test(line))
    expect(ready).toBeGreaterThanOrEqual(0)
    expect(link).toBeGreaterThan(ready)
    expect(lines[ready]).toContain('LOG_LEVEL=info')
    expect(lines[ready]).toContain('PUBLIC_URL')
    // Fastify's request logs are JSON lines ("incoming request", "request completed").
    expect(lines.filter(line => line.startsWith('{'))).toEqual([])
    expect(server.output()).toContain('npm run setup-link')
  })

  it('should log each request when LOG_LEVEL=info asks for it', async () => {
    const server = await start('loud', { LOG_LEVEL: 'info' })
    await fetch(`${server.origin}/api/health`)
    const deadline = Date.now() + 10_000
    while (!server.output().includes('request completed') && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 50))
    expect(server.output()).toContain('"url":"/api/health"')
  })
})
