/* eslint-disable no-console, node/prefer-global/process -- a bench talks to its operator on stdout, like scripts/ */
import type { Flags, Result } from 'lighthouse'
import type { Server } from 'node:http'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { SESSION } from '../../src/shared/constants'
import { CHROMIUM, CHROMIUM_FLAGS, ROOT, seedBranch, startServer } from '../../tests/e2e/harness'

/*
 * `npm run bench:lighthouse [-- --runs N --pages login,home,points-log,points]`: Lighthouse's
 * mobile scores (simulated slow 4G, a mid-range phone) for the login page and three logged-in
 * screens, against the built app served by the real server on a fresh database; the median of N
 * runs (3 by default) with the worst layout shift of any run, since CLS must be 0 in every run.
 * Beside login, the same measures of a bare Vite + Vue + Vant page (a login form, built from this
 * project's own node_modules), so "as light as the stack allows" is a ratio, not an opinion.
 * Full reports go to tmp/lighthouse/. Lighthouse lives in tools/lighthouse/, outside the app's install.
 */
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const
const outDir = join(ROOT, 'tmp/lighthouse')
function arg(name: string) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const RUNS = Math.max(1, Number(arg('runs') ?? 3))
const WANTED = new Set((arg('pages') ?? 'login,home,points-log,points,bare').split(','))

/** The bare peer's file types (its server is below). */
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.ico': 'image/x-icon' }

interface Run { perf: number, a11y: number, bp: number, lcp: number, cls: number, requests: number, failing: string[] }

async function main(): Promise<void> {
  const server = await startServer()
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS })
  // A browser of its own for the pages a visitor opens with no session: Lighthouse clears storage
  // between runs but keeps cookies, so the session cookie the logged-in runs were given would
  // otherwise reach the login page too (a logged-in phone's login page, not a first visit).
  const visitor = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS })
  let bare: { url: string, close: () => void } | null = null
  try {
    const seeded = await seedBranch(server)
    const member = seeded.members[0]!
    // The session cookie rides along on every request the page makes, as on a logged-in phone
    // (Lighthouse clears the origin's storage before each run, so a login in the page would not last).
    const cookie = { cookie: `${SESSION.cookie}=${member.client.session}` }
    const pages = [
      { name: 'login', url: `${server.url}/login`, headers: {} as Record<string, string> },
      { name: 'home', url: `${server.url}/`, headers: cookie },
      { name: 'points-log', label: '记积分', url: `${server.url}/points/log`, headers: cookie },
      { name: 'points', label: '我的积分', url: `${server.url}/points`, headers: cookie },
    ].filter(p => WANTED.has(p.name))
    if (WANTED.has('bare')) {
      bare = await serveBare(await buildBare())
      pages.push({ name: 'bare', label: 'bare Vue+Vant', url: `${bare.url}/`, headers: {} })
    }
    mkdirSync(outDir, { recursive: true })
    const results = new Map<string, Run[]>()
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so a burst of load on the shared machine hits every page alike.
      for (const page of pages) {
        const port = Object.keys(page.headers).length ? chrome.port : visitor.port
        const flags: Flags = { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders: page.headers }
        const lhr = await audit(page.url, flags)
        if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(page.url).pathname)
          throw new Error(`${page.name} ended on ${lhr.finalDisplayedUrl}, not ${page.url} (logged out?)`)
        writeFileSync(join(outDir, `${page.name}-${i + 1}.json`), JSON.stringify(lhr, null, 1))
        const run = measure(lhr)
        results.set(page.name, [...results.get(page.name) ?? [], run])
        console.log(`run ${i + 1}/${RUNS} ${page.name.padEnd(10)} perf ${run.perf} a11y ${run.a11y} bp ${run.bp} LCP ${(run.lcp / 1000).toFixed(2)} s CLS ${run.cls.toFixed(3)} requests ${run.requests}`)
      }
    }

    console.log(`\nLighthouse mobile, median of ${RUNS} (CLS: worst run; reports in ${outDir}):`)
    console.log(`${'page'.padEnd(22)} perf  a11y  bp   LCP      CLS    requests`)
    const med = new Map<string, Run>()
    for (const page of pages) {
      const runs = results.get(page.name) ?? []
      const m: Run = {
        perf: median(runs.map(r => r.perf)),
        a11y: median(runs.map(r => r.a11y)),
        bp: median(runs.map(r => r.bp)),
        lcp: median(runs.map(r => r.lcp)),
        cls: Math.max(...runs.map(r => r.cls)),
        requests: median(runs.map(r => r.requests)),
        failing: [...new Set(runs.flatMap(r => r.failing))],
      }
      med.set(page.name, m)
      const name = `${page.name}${'label' in page ? ` ${page.label}` : ''}`
      console.log(`${name.padEnd(22 - [...name].filter(c => c.charCodeAt(0) > 0x2E80).length)} ${String(m.perf).padStart(4)}  ${String(m.a11y).padStart(4)}  ${String(m.bp).padStart(3)}  ${(m.lcp / 1000).toFixed(2).padStart(5)} s  ${m.cls.toFixed(3)}  ${String(m.requests).padStart(5)}`)
      for (const line of m.failing)
        console.log(`${' '.repeat(8)}${line}`)
    }
    const login = med.get('login')
    const peer = med.get('bare')
    if (login && peer) {
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
      console.log(`\nlogin vs bare Vue+Vant page (aim ≤ 1.2×): requests ${login.requests} vs ${peer.requests} (${ratio(login.requests, peer.requests)}), LCP ${(login.lcp / 1000).toFixed(2)} s vs ${(peer.lcp / 1000).toFixed(2)} s (${ratio(login.lcp, peer.lcp)})`)
    }
  }
  finally {
    bare?.close()
    await chrome.kill()
    await visitor.kill()
    await server.dispose()
  }
}

void main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})

/** One Lighthouse run; a trace lost on the busy machine (NO_NAVSTART and the like) is run again, twice at most. */
async function audit(url: string, flags: Flags): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, flags)
    if (!result)
      throw new Error(`Lighthouse returned nothing for ${url}`)
    const error = result.lhr.runtimeError
    if (!error)
      return result.lhr
    if (attempt === 3)
      throw new Error(`Lighthouse could not load ${url}: ${error.code} ${error.message}`)
    console.log(`  (${url}: ${error.code}, running again)`)
  }
}

function measure(lhr: Result): Run {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100)
  const requests = lhr.audits['network-requests']?.details
  return {
    perf: score('performance'),
    a11y: score('accessibility'),
    bp: score('best-practices'),
    lcp: lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN,
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN,
    requests: requests && 'items' in requests ? requests.items.length : Number.NaN,
    failing: shortcomings(lhr),
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2)
}

/** The audits that cost points, so a low score says where to look. */
function shortcomings(lhr: Result): string[] {
  const lines: string[] = []
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id]
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 0.9)
        lines.push(`${id}: ${audit.title}`)
    }
  }
  return lines
}

/**
 * The peer: a bare Vue + Vant PWA — one screen with a title, two Vant fields and a Vant button,
 * imported per component as the app does, with a web manifest, icons and a service worker
 * (vite-plugin-pwa's defaults) — built by the same Vite, Vue plugin and PWA plugin into a temp dir.
 */
async function buildBare(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xianfeng-bare-'))
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'public/icons'), { recursive: true })
  for (const icon of ['favicon.ico', 'icons/icon-192.png', 'icons/icon-512.png'])
    copyFileSync(join(ROOT, 'public', icon), join(dir, 'public', icon))
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html lang="zh-CN"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#b71c1c"><meta name="description" content="登录">
<link rel="icon" href="/favicon.ico" sizes="any"><title>登录</title></head>
<body><div id="app"></div><script type="module" src="/main.ts"></script></body></html>`)
  writeFileSync(join(dir, 'main.ts'), `import { createApp } from 'vue'
import App from './App.vue'
createApp(App).mount('#app')`)
  writeFileSync(join(dir, 'App.vue'), `<script setup lang="ts">
import { ref } from 'vue'
import { Button as VanButton, Field as VanField, Form as VanForm } from 'vant'
import 'vant/es/button/style'
import 'vant/es/field/style'
import 'vant/es/form/style'
const login = ref('')
const password = ref('')
</script>
<template>
  <main style="padding: 1rem">
    <h1>先锋 · 登录</h1>
    <VanForm>
      <VanField v-model="login" label="登录名" name="login" autocomplete="username" />
      <VanField v-model="password" type="password" label="密码" name="password" autocomplete="current-password" />
      <VanButton type="danger" block native-type="submit">登录</VanButton>
    </VanForm>
  </main>
</template>`)
  const { build } = await import('vite')
  const vue = (await import('@vitejs/plugin-vue')).default
  const { VitePWA } = await import('vite-plugin-pwa')
  const pwa = VitePWA({
    registerType: 'autoUpdate',
    manifest: {
      name: '登录',
      short_name: '登录',
      start_url: '/',
      display: 'standalone',
      theme_color: '#b71c1c',
      icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }, { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' }],
    },
  })
  await build({ root: dir, configFile: false, logLevel: 'warn', plugins: [vue(), pwa], build: { outDir: join(dir, 'dist') } })
  return join(dir, 'dist')
}

/** Static files with brotli, as the app's server sends its precompressed ones. */
async function serveBare(root: string): Promise<{ url: string, close: () => void }> {
  const http: Server = createServer((req, res) => {
    const path = normalize(join(root, new URL(req.url ?? '/', 'http://x').pathname))
    const file = path.startsWith(root) && existsSync(path) && statSync(path).isFile() ? path : join(root, 'index.html')
    const body = readFileSync(file)
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    const text = !/^(?:font|image)\//.test(type)
    res.writeHead(200, { 'content-type': type, 'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache', ...(text ? { 'content-encoding': 'br' } : {}) })
    res.end(text ? brotliCompressSync(body) : body)
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://localhost:${port}`, close: () => {
    http.close()
    rmSync(join(root, '..'), { recursive: true, force: true })
  } }
}
