import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dropVantIconFontFace, vantStylesheetCss } from '../../vite.config'

/*
 * Vant's component styles ship as one stylesheet in Vant's own order (issue 17): one request
 * instead of one per component, and a component's rules after those of the components it builds on
 * whichever screen loads first (a field after the cell it is, a dialog after its popup). In another
 * order, rules of equal weight on one element resolve otherwise and text clipped at 200 %.
 */
const appDir = fileURLToPath(new URL('../../src/app', import.meta.url))
const vantEs = join(dirname(createRequire(import.meta.url).resolve('vant/package.json')), 'es')
const css = vantStylesheetCss(appDir)
/** Where a component's own block starts in the sheet. */
function at(selector: string) {
  const i = css.indexOf(`${selector}{`)
  expect(i, `${selector} is in the sheet`).toBeGreaterThanOrEqual(0)
  return i
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.(?:vue|ts)$/.test(name) ? [path] : []
  })
}

describe('the one Vant stylesheet', () => {
  it('should hold the rules of every component whose style a screen imports', () => {
    const imported = new Set(sources(appDir).flatMap(f => [...readFileSync(f, 'utf8').matchAll(/'vant\/es\/([\w-]+)\/style'/g)].map(m => m[1]!)))
    expect(imported.size).toBeGreaterThan(10)
    for (const name of imported) {
      const own = join(vantEs, name, 'index.css')
      // Some (form, date-picker) have no rules of their own, only their parts'.
      if (existsSync(own))
        expect(css.includes(dropVantIconFontFace(readFileSync(own, 'utf8')).trim()), name).toBe(true)
    }
  })

  it('should put Vant\'s variables first and each component after those it builds on', () => {
    expect(css.indexOf('--van-black')).toBeLessThan(at('.van-cell'))
    expect(at('.van-cell')).toBeLessThan(at('.van-field'))
    expect(at('.van-badge')).toBeLessThan(at('.van-tabbar-item'))
    expect(at('.van-popup')).toBeLessThan(at('.van-dialog'))
  })

  it('should carry each component once and no inlined icon font', () => {
    expect(css.split('.van-field{').length).toBe(2)
    expect(css.split('.van-cell{').length).toBe(2)
    expect(css).not.toContain('@font-face')
    expect(css).not.toContain('base64')
  })
})
