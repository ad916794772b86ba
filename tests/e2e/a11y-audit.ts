import type { Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/*
 * What the accessibility walk measures on one screen, and what it counts as a failure.
 *
 * MAIN CONTROL — a target a member taps. The walk measures every element that is, on screen
 * (rendered, not display:none/visibility:hidden, not inside aria-hidden or inert, not disabled):
 *   - a native control: button, a[href], input (not hidden), select, textarea, summary;
 *   - an element with an interactive role: button, link, tab, radio, checkbox, switch, menuitem,
 *     option, slider, combobox;
 *   - a Vant tab bar item or clickable cell (.van-tabbar-item, .van-cell--clickable);
 *   - any element with a Vue click handler (el._vei.onClick): a "cell with a click handler".
 * Its target box is the element's own border box, except:
 *   - an input, textarea or select inside a Vant field or a <label> is tapped through that row, so
 *     the row is measured (the bare <input> is one line of text);
 *   - an element without a role of its own (an icon, a span) inside another main control is part of
 *     that control's target and is not measured on its own;
 *   - a Vant overlay (the dimmed backdrop behind a popup) is not a control.
 * Not main controls (WCAG 2.2 2.5.8 exceptions): a link inline in a sentence (display:inline, with
 * other text in its parent), and a control whose size the browser alone sets and the app never
 * styles (none known today).
 * Minimum: 44 × 44 CSS px in the standard mode (WCAG 2.5.5, MIIT 适老化 §6.1.2), 60 × 60 in 长辈版.
 *
 * TEXT OVERFLOW at 200 % text (the root font size doubled, as the phone's text size setting does to
 * a rem-sized app): the page must not scroll sideways (any element reaching past the right edge is
 * reported), no block holding text may have text wider than itself (it spills over its neighbours),
 * and no element may clip its text (overflow hidden/clip, or an ellipsis, with content larger than
 * its box) or spill it out of a fixed bar such as the tab bar (it cannot be scrolled to). A
 * visually hidden element (for screen readers only) is meant to be clipped; a box that scrolls
 * (overflow auto/scroll, e.g. a wide table) keeps its text reachable.
 */

export type Mode = 'standard' | 'elder'
export const MIN_TARGET: Record<Mode, number> = { standard: 44, elder: 60 }
/** Root font size in 长辈版 (src/app/styles/elder.css): 18 px main text. */
export const ELDER_ROOT = 1.125

export interface SmallTarget { what: string, width: number, height: number }
export interface Overflow { what: string, why: string }
export interface AxeProblem { id: string, impact: string, help: string, nodes: string[] }

const require = createRequire(import.meta.url)
const AXE_PATH = require.resolve('axe-core/axe.min.js')
let axeScript: string | undefined
const axeSource = () => axeScript ??= readFileSync(AXE_PATH, 'utf8')

/** Serious and critical axe-core violations on the page as it stands. */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  // Evaluated through DevTools rather than added as a <script>: the app's CSP refuses inline scripts,
  // and the walk audits the app under its real headers.
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.evaluate(axeSource())
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string, impact: string | null, help: string, nodes: { target: unknown[] }[] }[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))
  })
  return violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
}

/** Main controls smaller than `min` × `min` CSS px (see the definition above). */
export async function smallTargets(page: Page, min: number): Promise<SmallTarget[]> {
  return page.evaluate((min) => {
    const INTERACTIVE = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=tab], [role=radio], [role=checkbox], [role=switch], [role=menuitem], [role=option], [role=slider], [role=combobox], .van-tabbar-item, .van-cell--clickable'
    const OWN_ROLE = `${INTERACTIVE}, [tabindex]:not([tabindex="-1"])`
    const hasClick = (el: Element) => Boolean((el as unknown as { _vei?: { onClick?: unknown } })._vei?.onClick)
    const shown = (el: Element) => {
      if (el.closest('[aria-hidden=true], [inert], .van-overlay'))
        return false
      const style = getComputedStyle(el)
      const rect = el.getBoundingClientRect()
      return style.visibility !== 'hidden' && rect.width > 0 && rect.height > 0 && el.getClientRects().length > 0
    }
    const disabled = (el: Element) => el.matches(':disabled, [aria-disabled=true], .van-button--disabled, .van-cell--disabled') || Boolean(el.closest('fieldset:disabled'))
    const inlineLink = (el: Element) => el.matches('a, [role=link]') && getComputedStyle(el).display === 'inline'
      && (el.parentElement?.textContent?.trim() ?? '') !== (el.textContent?.trim() ?? '')
    const describe = (el: Element) => {
      const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim().replace(/\s+/g, ' ').slice(0, 30)
      const classes = [...el.classList].slice(0, 2).join('.')
      return `<${el.tagName.toLowerCase()}${classes ? `.${classes}` : ''}> "${name}"`
    }
    const candidates = new Set<Element>(document.querySelectorAll(INTERACTIVE))
    for (const el of document.querySelectorAll('body *')) {
      if (hasClick(el))
        candidates.add(el)
    }
    const targets = new Map<Element, Element>()
    for (const el of candidates) {
      if (!shown(el) || disabled(el) || inlineLink(el))
        continue
      if (el.matches('input, textarea, select')) {
        const row = el.closest('.van-field, .van-cell, label')
        targets.set(row ?? el, el)
        continue
      }
      if (!el.matches(OWN_ROLE) && el.parentElement?.closest(OWN_ROLE))
        continue
      targets.set(el, el)
    }
    const small: { what: string, width: number, height: number }[] = []
    for (const [box, el] of targets) {
      const rect = box.getBoundingClientRect()
      // Half a pixel of rounding: 43.6 px on a 2× screen is drawn as 44 device-independent px.
      if (rect.width + 0.5 < min || rect.height + 0.5 < min)
        small.push({ what: describe(el), width: Math.round(rect.width), height: Math.round(rect.height) })
    }
    return small
  }, min)
}

/** Sets the root font size as a multiple of the phone's default (1 = 100 %); null restores the app's own. */
export async function setRootScale(page: Page, scale: number | null): Promise<void> {
  await page.evaluate((scale) => {
    document.documentElement.style.fontSize = scale === null ? '' : `${scale * 100}%`
  }, scale)
  // Let the layout settle: two frames.
  await page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))))
}

/** Text that overflows its box or the screen (see the definition above). */
export async function textOverflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const problems: { what: string, why: string }[] = []
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30)
      const classes = [...el.classList].slice(0, 2).join('.')
      return `<${el.tagName.toLowerCase()}${classes ? `.${classes}` : ''}> "${text}"`
    }
    const ownText = (el: Element) => [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
    const width = document.documentElement.clientWidth
    const fixedBarOf = (el: Element): Element | null => {
      for (let a: Element | null = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).position === 'fixed')
          return a
      }
      return null
    }
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.xf-visually-hidden, [aria-hidden=true], svg, canvas, script, style'))
        continue
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0)
        continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden')
        continue
      if (rect.right > width + 1 && (ownText(el) || el.children.length === 0)) {
        problems.push({ what: describe(el), why: `reaches ${Math.round(rect.right)} px on a ${width} px screen` })
        continue
      }
      // Text wider than its own box spills over its neighbours even where nothing clips it.
      if (ownText(el) && style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX)) {
        problems.push({ what: describe(el), why: `text ${el.scrollWidth} px wide in a ${el.clientWidth} px box` })
        continue
      }
      // A fixed bar (the tab bar) cannot be scrolled: text spilling out of it is cut by the screen's edge or lies over the page.
      const bar = ownText(el) ? fixedBarOf(el) : null
      if (bar) {
        const box = bar.getBoundingClientRect()
        if (rect.bottom > box.bottom + 1 || rect.top < box.top - 1) {
          problems.push({ what: describe(el), why: `spills out of its fixed bar (${Math.round(rect.top)}–${Math.round(rect.bottom)} px in ${Math.round(box.top)}–${Math.round(box.bottom)} px)` })
          continue
        }
      }
      const clipsX = ['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
      const clipsY = ['hidden', 'clip'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1
      if ((clipsX || clipsY) && (el.textContent ?? '').trim())
        problems.push({ what: describe(el), why: `clips its text (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})` })
    }
    return problems
  })
}
