import type { Flags, Result } from 'lighthouse'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { SESSION } from '../src/shared/constants'
import { CHROMIUM, CHROMIUM_FLAGS, ROOT, seedBranch, startServer } from '../tests/e2e/harness'

/*
 * `npm run bench:lighthouse`: Lighthouse's mobile scores (simulated slow 4G and a mid-range phone)
 * for the login page and a logged-in member's home, against the built app served by the real
 * server on a fresh database. Full reports go to tmp/lighthouse/.
 */
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const
const outDir = join(ROOT, 'tmp/lighthouse')

const server = await startServer()
const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS })
try {
  const seeded = await seedBranch(server)
  const member = seeded.members[0]!
  const pages = [
    { name: 'login', url: `${server.url}/login`, headers: {} as Record<string, string> },
    // The session cookie rides along on every request the page makes, as on a logged-in phone.
    { name: 'home', url: `${server.url}/`, headers: { cookie: `${SESSION.cookie}=${member.client.session}` } },
  ]
  mkdirSync(outDir, { recursive: true })
  const rows: string[] = []
  for (const page of pages) {
    const flags: Flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders: page.headers }
    const result = await lighthouse(page.url, flags)
    if (!result)
      throw new Error(`Lighthouse returned nothing for ${page.url}`)
    const lhr = result.lhr
    if (lhr.runtimeError)
      throw new Error(`Lighthouse could not load ${page.url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
    writeFileSync(join(outDir, `${page.name}.json`), JSON.stringify(lhr, null, 1))
    const scores = CATEGORIES.map(c => `${c} ${Math.round((lhr.categories[c]?.score ?? 0) * 100)}`)
    rows.push(`${page.name.padEnd(6)} ${scores.join(' · ')}  (final URL ${lhr.finalDisplayedUrl})`)
    for (const line of shortcomings(lhr))
      rows.push(`         ${line}`)
  }
  console.log(`\nLighthouse ${pages.length ? 'mobile' : ''} scores (reports in ${outDir}):`)
  for (const row of rows)
    console.log(row)
}
finally {
  await chrome.kill()
  await server.dispose()
}

/** The audits that cost points, so a low score says where to look. */
function shortcomings(lhr: Result): string[] {
  const lines: string[] = []
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id]
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 0.9)
        lines.push(`${id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`)
    }
  }
  return lines
}
