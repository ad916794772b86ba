import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { lazyVantPlaceholder, staticVueInVueI18n, VUE_I18N_DYNAMIC_VUE } from '../../vite.config'

/*
 * What the build changes in libraries' code (vite.config.ts), checked against the versions we build
 * with: when a library's code changes, a patch that no longer applies fails here, not silently.
 * vue-i18n read Vue through a computed key, which kept all of Vue in the shell (issue 17: 96 → 84 KB
 * gzip without it). Vant's bars measured themselves for a placeholder the app never shows
 * (tests/e2e/first-paint.test.ts sees the layouts that cost).
 */
describe('vue-i18n without Vue\'s whole namespace', () => {
  const require = createRequire(import.meta.url)
  const runtime = readFileSync(require.resolve('vue-i18n/dist/vue-i18n.runtime.mjs'), 'utf8')

  it('should find the computed read of Vue that it replaces in the vue-i18n we build with', () => {
    // When vue-i18n changes this code, the replacement silently stops: the shell grows by 12 KB again.
    expect(VUE_I18N_DYNAMIC_VUE.test(runtime)).toBe(true)
    const fixed = staticVueInVueI18n(runtime)
    expect(fixed).not.toMatch(/Vue\[key\]/)
    expect(fixed).toContain('return Vue.getCurrentInstance();')
  })

  it('should change nothing vue-i18n does: Vue has no currentInstance export to find', async () => {
    const vue = await import('vue')
    expect('currentInstance' in vue).toBe(false)
    expect(typeof vue.getCurrentInstance).toBe('function')
  })
})

describe('the bars of Vant, measured only for a placeholder', () => {
  const require = createRequire(import.meta.url)
  const file = (name: string) => require.resolve(`vant/es/composables/${name}.mjs`)

  it('should patch the measuring and the placeholder of the Vant we build with, and nothing else', () => {
    const height = readFileSync(file('use-height'), 'utf8')
    const placeholder = readFileSync(file('use-placeholder'), 'utf8')
    const patchedHeight = lazyVantPlaceholder(file('use-height'), height)!
    const patchedPlaceholder = lazyVantPlaceholder(file('use-placeholder'), placeholder)!
    expect(patchedHeight).toContain('if (wanted()) height.value = useRect(element).height;')
    expect(patchedHeight).toContain('(element, withSafeArea, wanted = () => true)')
    expect(patchedPlaceholder).toContain('useHeight(contentRef, true, () => shown)')
    expect(patchedPlaceholder).toContain('(shown = true) && _createVNode(')
    expect(lazyVantPlaceholder(require.resolve('vant/es/tabbar/Tabbar.mjs'), 'x')).toBeUndefined()
  })
})
