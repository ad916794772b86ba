import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { dropVantIconFontFace } from '../../vite.config'

/*
 * The icon font ships as its own file (issue 17): src/app/assets/vant-icon.woff2 must be the font
 * this Vant version inlines, or a Vant upgrade would show wrong or missing icons.
 */
const vantIconCss = readFileSync(createRequire(import.meta.url).resolve('vant/es/icon/index.css'), 'utf8')

describe('vant icon font', () => {
  it('should be the very font the installed Vant inlines', () => {
    const inlined = vantIconCss.match(/url\(data:font\/woff2;charset=utf-8;base64,([^)]+)\)/)?.[1]
    expect(inlined, 'Vant no longer inlines its icon font: look at vite.config.ts vantIconFont()').toBeTruthy()
    const ours = readFileSync(new URL('../../src/app/assets/vant-icon.woff2', import.meta.url))
    expect(ours.equals(Buffer.from(inlined!, 'base64')), 'copy the new font: see vite.config.ts vantIconFont()').toBe(true)
  })

  it('should leave no inlined font and no CDN address in Vant\'s icon CSS, and every icon rule', () => {
    const css = dropVantIconFontFace(vantIconCss)
    expect(css).not.toContain('@font-face')
    expect(css).not.toContain('base64')
    expect(css).not.toContain('alicdn')
    expect(css).toContain('.van-icon-scan:before')
    expect(css.length).toBeLessThan(vantIconCss.length - 30_000)
  })
})
