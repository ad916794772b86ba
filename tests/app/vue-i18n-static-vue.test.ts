import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { staticVueInVueI18n, VUE_I18N_DYNAMIC_VUE } from '../../vite.config'

/*
 * vue-i18n read Vue through a computed key, which kept all of Vue in the shell (issue 17: 96 → 84 KB
 * gzip without it). The build writes that read statically (vite.config.ts, vueI18nStaticVue).
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
