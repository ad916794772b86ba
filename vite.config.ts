import type { Plugin, Rolldown } from 'vite'
import type { RouteFiles } from './scripts/route-table'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { routeTable } from './scripts/route-table'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

/**
 * Vant inlines its icon font in its CSS as 25 KB of base64 (and names a CDN copy we never load):
 * every screen paid for it, icons or not. Its @font-face goes; styles/theme.css declares the same
 * font as a file of its own (src/app/assets/vant-icon.woff2, checked against Vant's by
 * tests/app/vant-icon-font.test.ts), fetched only where an icon shows, with font-display: swap.
 */
export function dropVantIconFontFace(css: string): string {
  return css.replace(/@font-face\{[^}]*font-family:vant-icon[^}]*\}/, '')
}

function vantIconFont(): Plugin {
  return {
    name: 'xf-vant-icon-font',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/vant/es/icon/index.css'))
        return { code: dropVantIconFontFace(code), map: null }
    },
  }
}

/**
 * vue-i18n reads `Vue[key]` from `import * as Vue from 'vue'` (to find `currentInstance`, which
 * Vue 3.5 does not export), and a namespace read by a computed key keeps every export of Vue alive:
 * the shell carried all of Vue, used or not, and the bundler's runtime helper for namespaces,
 * fetched as a file of its own. The same call, written statically, lets the unused parts go.
 * tests/app/build-patches.test.ts checks the code this replaces is still in vue-i18n and that Vue
 * still has no such export.
 */
export const VUE_I18N_DYNAMIC_VUE = /if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*else \{\s*return Vue\.getCurrentInstance\(\);\s*\}/

export function staticVueInVueI18n(code: string): string {
  return code.replace(VUE_I18N_DYNAMIC_VUE, 'return Vue.getCurrentInstance();')
}

function vueI18nStaticVue(): Plugin {
  return {
    name: 'xf-vue-i18n-static-vue',
    apply: 'build',
    transform(code, id) {
      if (/[\\/]node_modules[\\/]vue-i18n[\\/]dist[\\/]/.test(id))
        return { code: staticVueInVueI18n(code), map: null }
    },
  }
}

/**
 * Vant's tab bar and nav bar measure their own height after mounting, four times (then 100, 200
 * and 300 ms later), for a placeholder that keeps room for a fixed bar — even where no placeholder
 * is shown, as in this app (LayoutMember keeps the room with CSS). Each measure forces a layout
 * while the screen is still rendering its data: on a slow phone that was the largest single cost
 * of opening a screen. Measured only once a placeholder is rendered.
 */
export function lazyVantPlaceholder(id: string, code: string): string | undefined {
  if (/[\\/]vant[\\/]es[\\/]composables[\\/]use-height\.mjs$/.test(id)) {
    return code
      .replace('const useHeight = (element, withSafeArea) => {', 'const useHeight = (element, withSafeArea, wanted = () => true) => {')
      .replace('const setHeight = () => {\n    height.value = useRect(element).height;', 'const setHeight = () => {\n    if (wanted()) height.value = useRect(element).height;')
  }
  if (/[\\/]vant[\\/]es[\\/]composables[\\/]use-placeholder\.mjs$/.test(id)) {
    return code
      .replace('const height = useHeight(contentRef, true);', 'let shown = false;\n  const height = useHeight(contentRef, true, () => shown);')
      .replace('return (renderContent) => _createVNode(', 'return (renderContent) => (shown = true) && _createVNode(')
  }
}

function vantLazyPlaceholder(): Plugin {
  return {
    name: 'xf-vant-lazy-placeholder',
    enforce: 'pre',
    transform(code, id) {
      const patched = lazyVantPlaceholder(id, code)
      if (patched !== undefined)
        return { code: patched, map: null }
    },
  }
}

const VANT_ES = fileURLToPath(new URL('./node_modules/vant/es/', import.meta.url))
/** A Vant component's style entry (`vant/es/field/style`): the CSS files it imports, its dependencies' first. */
const VANT_STYLE = /[\\/]node_modules[\\/]vant[\\/]es[\\/][\w-]+[\\/]style[\\/]index\.mjs$/
/** The one stylesheet that replaces them all (not a file on disk: vantStylesheet() writes it). */
const VANT_SHEET = 'virtual:xf-vant.css'
const VANT_SHEET_ID = join(VANT_ES, 'xf-vant.css')

/**
 * The CSS of the Vant components src/app imports styles for (`vant/es/<name>/style`), with what
 * each depends on, as one stylesheet in the order Vant's own full build (vant/lib/index.css) lists
 * them: a component after those it builds on (cell before field, popup before dialog), so two
 * rules of equal weight on one element resolve as Vant intends whichever screens load first.
 */
export function vantStylesheetCss(appDir: string, vantEs: string = VANT_ES): string {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : /\.(?:vue|ts)$/.test(name) ? [path] : []
  })
  const components = new Set<string>()
  for (const file of walk(appDir)) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/['"]vant\/es\/([\w-]+)\/style(?:\/index(?:\.mjs)?)?['"]/g))
      components.add(name!)
  }
  const files = new Set<string>()
  for (const name of components) {
    const entry = readFileSync(join(vantEs, name, 'style/index.mjs'), 'utf8')
    for (const [, css] of entry.matchAll(/import\s+["']([^"']+\.css)["']/g))
      files.add(join(vantEs, name, 'style', css!))
  }
  const full = readFileSync(join(vantEs, '../lib/index.css'), 'utf8')
  // Where a file's rules sit in Vant's full build; one merged there with another (radio-group's
  // with checkbox-group's) sits where its first class does.
  const rank = (file: string, css: string) => {
    const at = full.indexOf(css.trim())
    if (at >= 0)
      return at
    const component = file.slice(vantEs.length).split(/[\\/]/)[0]
    const first = full.indexOf(`.van-${component}`)
    return first >= 0 ? first : full.length
  }
  return [...files]
    .map((file) => {
      const css = readFileSync(file, 'utf8')
      return { css, at: rank(file, css) }
    })
    .sort((a, b) => a.at - b.at)
    .map(({ css }) => dropVantIconFontFace(css).trim())
    .join('\n')
}

/**
 * Vant's component styles as one stylesheet instead of one per component: every style entry
 * imports the same sheet (vantStylesheetCss), which goes with Vant's chunk. Loaded as a dependency
 * of every screen's chunk, it comes before the screens' own CSS (Vite links a chunk's dependencies'
 * CSS first) and after the shell's theme, so our rules still follow Vant's wherever they tie.
 */
function vantStylesheet(): Plugin {
  return {
    name: 'xf-vant-stylesheet',
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      if (source === VANT_SHEET)
        return VANT_SHEET_ID
    },
    load(id) {
      if (id === VANT_SHEET_ID)
        return vantStylesheetCss(src('app'))
      if (VANT_STYLE.test(id))
        return `import '${VANT_SHEET}'\n`
    },
  }
}

const GUEST_CODE = /[\\/]src[\\/]app[\\/]guest[\\/]/
const SHARED_CODE = /[\\/]src[\\/]shared[\\/]/
const GUEST_COPY = '?guest'

/**
 * The 讲评 guest page gets its own copy of the few shared rules it uses (src/shared, imported from
 * src/app/guest, under an id of their own): its chunk needs nothing of the app's, and the app's
 * screens no longer fetch a small chunk of rules shared with the guest page. The rules are plain
 * constants and functions, so two copies behave as one.
 */
function guestCopies(): Plugin {
  return {
    name: 'xf-guest-copies',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !(GUEST_CODE.test(importer) || importer.endsWith(GUEST_COPY)))
        return null
      const resolved = await this.resolve(source, importer.replace(GUEST_COPY, ''), { ...options, skipSelf: true })
      if (resolved && !resolved.external && SHARED_CODE.test(resolved.id) && !resolved.id.includes('?'))
        return { ...resolved, id: `${resolved.id}${GUEST_COPY}` }
      return resolved
    },
  }
}

/** Every module the 讲评 guest page (guest.html) loads statically, known once the module graph is built. */
const guestModules = new Set<string>()
/** Every module index.html loads statically: the app's shell. */
const shellModules = new Set<string>()
/**
 * The error catalog and useSubmit (what nearly every screen's form needs) and the login screen,
 * with all they import: the first screen a new phone shows, and most of every other's.
 */
const uiModules = new Set<string>()
const UI_ROOTS = [/[\\/]src[\\/]app[\\/]api[\\/]errors\.ts$/, /[\\/]src[\\/]app[\\/]composables[\\/]useSubmit\.ts$/, /[\\/]src[\\/]app[\\/]pages[\\/]LoginPage\.vue$/]
/** The member layout (tab bar, sync status bar) with all it imports: the sync store, the outbox, IndexedDB. */
const memberModules = new Set<string>()
const MEMBER_ROOTS = [/[\\/]src[\\/]app[\\/]components[\\/]layout[\\/]LayoutMember\.vue$/]
const WORKBOX_WINDOW = /[\\/]node_modules[\\/]workbox-window[\\/]/
const VANT_MODULE = /[\\/]node_modules[\\/](?:vant|@vant)[\\/]/
/**
 * Our own scripts (stores, API clients, shared rules) that import no component, directly or
 * through another script: they carry no CSS and reach no screen's chunk, so a chunk of them
 * cannot import a screen's chunk that imports it back.
 */
const plainScripts = new Set<string>()
/**
 * Our other modules below the screens (components, composables, their CSS) that need no library
 * beyond Vue and Vant: a screen that uses one of them does not download a QR or camera library
 * for another.
 */
const sharedParts = new Set<string>()
const OUR_APP = /[\\/]src[\\/]app[\\/]/
const OUR_PAGE = /[\\/]src[\\/]app[\\/]pages[\\/]/
const OUR_SCRIPT = /[\\/]src[\\/](?:app|shared)[\\/][^?]*\.ts$/

function moduleGraphs(): Plugin {
  return {
    name: 'xf-module-graphs',
    apply: 'build',
    buildEnd() {
      const reach = (into: Set<string>, roots: RegExp[]) => {
        into.clear()
        const todo = [...this.getModuleIds()].filter(id => roots.some(root => root.test(id)))
        while (todo.length) {
          const id = todo.pop()!
          if (!into.has(id)) {
            into.add(id)
            todo.push(...this.getModuleInfo(id)?.importedIds ?? [])
          }
        }
      }
      reach(shellModules, [/[\\/]index\.html$/])
      reach(guestModules, [/[\\/]guest\.html$/])
      reach(uiModules, UI_ROOTS)
      reach(memberModules, MEMBER_ROOTS)
      /** Whether a module is, or imports directly or not, one that passes the test (a cycle counts as not). */
      const reaches = (test: (id: string) => boolean) => {
        const known = new Map<string, boolean>()
        const check = (id: string): boolean => {
          if (!known.has(id)) {
            known.set(id, false)
            known.set(id, test(id) || (this.getModuleInfo(id)?.importedIds ?? []).some(check))
          }
          return known.get(id)!
        }
        return check
      }
      const styled = reaches(id => /\.(?:vue|css)(?:$|\?)/.test(id))
      const foreign = reaches(id => /[\\/]node_modules[\\/]/.test(id) && !VANT_MODULE.test(id) && !shellModules.has(id) && !uiModules.has(id) && !memberModules.has(id))
      plainScripts.clear()
      sharedParts.clear()
      for (const id of this.getModuleIds()) {
        if (OUR_SCRIPT.test(id) && !styled(id))
          plainScripts.add(id)
        else if (OUR_APP.test(id) && !OUR_PAGE.test(id) && !foreign(id))
          sharedParts.add(id)
      }
    },
  }
}

/**
 * The files each route needs besides the shell, in the order Vite's loader would add them (a
 * chunk's imports before the chunk, so stylesheets keep the order vantStylesheet() relies on).
 */
function routeFiles(bundle: Record<string, { type: string }>, routes: RouteFiles[], appDir: string) {
  const chunks = Object.values(bundle).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk') as Rolldown.OutputChunk[]
  const byFile = new Map(chunks.map(c => [c.fileName, c]))
  const entry = chunks.find(c => c.isEntry && c.facadeModuleId?.endsWith('index.html'))
  return routes.map((route) => {
    const js: string[] = []
    const css: string[] = []
    const seen = new Set<string>(entry ? [entry.fileName] : [])
    const visit = (chunk: Rolldown.OutputChunk) => {
      if (seen.has(chunk.fileName))
        return
      seen.add(chunk.fileName)
      for (const file of chunk.imports)
        visit(byFile.get(file)!)
      js.push(`/${chunk.fileName}`)
      for (const file of chunk.viteMetadata?.importedCss ?? [])
        css.push(`/${file}`)
    }
    for (const module of route.modules) {
      const id = join(appDir, module)
      const chunk = chunks.find(c => c.moduleIds.includes(id))
      if (chunk)
        visit(chunk)
    }
    return { path: route.path, public: route.public, js, css: [...new Set(css)] }
  })
}

/**
 * route-preloads.json: for each client route, the script and style files its screen needs. The
 * server names them in the index.html it sends for that address (plugins/route-preloads.ts), so a
 * phone fetches a screen's code beside the shell instead of after the shell has run.
 */
function routePreloads(): Plugin {
  return {
    name: 'xf-route-preloads',
    apply: 'build',
    generateBundle(_options, bundle) {
      if (!Object.values(bundle).some(c => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.endsWith('index.html')))
        return
      const routes = routeTable(readFileSync(src('app/router.ts'), 'utf8'))
      this.emitFile({ type: 'asset', fileName: 'route-preloads.json', source: `${JSON.stringify(routeFiles(bundle, routes, src('app')))}\n` })
    },
  }
}

/**
 * Writes .br and .gz beside every text asset once, at build time, for the server to send as they
 * are (@fastify/static preCompressed): a phone on a weak signal downloads a third of the bytes and
 * the server spends no CPU compressing per request. The service worker precaches the plain files.
 */
function precompress(): Plugin {
  let outDir = ''
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
  return {
    name: 'xf-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir).filter(f => /\.(?:js|mjs|css|html|svg|webmanifest|json|wasm)$/.test(f))) {
          const bytes = readFileSync(file)
          if (bytes.length < 1024)
            continue
          writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }))
          writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }))
        }
      },
    },
  }
}

export default defineConfig({
  resolve: {
    alias: {
      '#shared': src('shared'),
      '#app': src('app'),
      '#server': src('server'),
    },
  },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2020',
    // Every browser the app supports knows <link rel="modulepreload">: no polyfill file to fetch.
    modulePreload: { polyfill: false },
    rollupOptions: {
      // The 讲评 guest page is an entry of its own: no framework, a few KB for a stranger's old phone (src/app/guest).
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)), guest: fileURLToPath(new URL('./guest.html', import.meta.url)) },
      output: {
        codeSplitting: {
          groups: [
            // The shell (Vue, the router, i18n, Pinia, the session store, the API client) as one
            // file, not six: the phone asks for it with index.html. Nothing the 讲评 guest page
            // loads goes in (moduleGraphs), or a guest would download the whole app. (Rolldown keeps
            // its runtime helpers in a chunk of their own, which no group can take; the shell no
            // longer needs them (vueI18nStaticVue), the screens' chunks do, and the server names it
            // with them in index.html.)
            { name: 'shell', test: id => shellModules.has(id) && !guestModules.has(id), includeDependenciesRecursively: false },
            // Every screen's Vant components (their JS and the one Vant stylesheet, vantStylesheet()),
            // what a screen's form needs besides its own code (the error catalog in both languages,
            // useSubmit), the login screen and workbox-window (the service worker's registration,
            // asked for as each app opens), in one lazy chunk: the login screen is the shell and
            // this (one script, one stylesheet) instead of about twenty files; every other screen
            // finds it cached. Never in the shell itself, so the shell stays small.
            { name: 'ui', test: id => (VANT_MODULE.test(id) || WORKBOX_WINDOW.test(id) || uiModules.has(id)) && !shellModules.has(id) && !guestModules.has(id), includeDependenciesRecursively: false },
            // The member layout and what it needs (sync, outbox, IndexedDB) in one chunk: every
            // member's screen opens inside it, so it comes with the first one and stays cached.
            { name: 'member', test: id => memberModules.has(id) && !shellModules.has(id) && !uiModules.has(id) && !guestModules.has(id), includeDependenciesRecursively: false },
            // The stores, API clients and rules two or more screens share, in one chunk rather than
            // one small chunk per combination of screens (home alone pulled nine). Scripts only, so
            // no component's CSS moves: every stylesheet keeps its place after Vant's.
            { name: 'common', test: id => plainScripts.has(id) && !shellModules.has(id) && !uiModules.has(id) && !memberModules.has(id) && !guestModules.has(id), minShareCount: 2, includeDependenciesRecursively: false },
            // The components (with their CSS) and composables two or more screens share, in one
            // chunk: a screen is its own chunk and this, not one more file per part it uses. Their
            // CSS is a dependency of every screen's, so it still comes after Vant's and before the
            // screen's own. (It imports the chunk above, never the other way round.)
            { name: 'parts', test: id => sharedParts.has(id) && !shellModules.has(id) && !uiModules.has(id) && !memberModules.has(id) && !guestModules.has(id), minShareCount: 2, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  plugins: [
    vantIconFont(),
    vantLazyPlaceholder(),
    vueI18nStaticVue(),
    vantStylesheet(),
    guestCopies(),
    moduleGraphs(),
    // Every component here and in Vant uses setup(): dropping the Options API saves several KB of the first load.
    vue({ features: { optionsAPI: false } }),
    // Messages are compiled to functions at build time, so the app ships vue-i18n's runtime without its message compiler.
    VueI18nPlugin({
      include: [src('app/locales/**')],
      runtimeOnly: true,
      dropMessageCompiler: true,
      compositionOnly: true,
      fullInstall: false,
      strictMessage: false,
    }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      // We register through workbox-window ourselves so the update prompt decides when to reload.
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm,woff2}'],
        // Guests never install the app: the guest page is not an app shell (its few KB of assets may be precached with the rest).
        globIgnores: ['guest.html'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      manifest: {
        id: '/',
        name: '先锋 · 创先争优',
        short_name: '先锋',
        description: '党支部创先争优：记积分、签到、公开承诺与践诺',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#b71c1c',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
    routePreloads(),
    precompress(),
  ],
})
