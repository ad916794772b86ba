import type { Plugin } from 'vite'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

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

/** Every module the 讲评 guest page (guest.html) loads statically, known once the module graph is built. */
const guestModules = new Set<string>()
/** Every module index.html loads statically: the app's shell. */
const shellModules = new Set<string>()
/** The error catalog and useSubmit, with all they import: what nearly every screen's form needs. */
const formModules = new Set<string>()
const FORM_ROOTS = [/[\\/]src[\\/]app[\\/]api[\\/]errors\.ts$/, /[\\/]src[\\/]app[\\/]composables[\\/]useSubmit\.ts$/]

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
      reach(formModules, FORM_ROOTS)
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
            // loads goes in (moduleGraphs), or a guest would download the whole app.
            { name: 'shell', test: id => shellModules.has(id) && !guestModules.has(id), includeDependenciesRecursively: false },
            // What a screen's form needs besides its own code (the error catalog in both languages,
            // useSubmit) in one chunk, not seven: the login screen loads it with Vant, beside its own.
            { name: 'forms', test: id => formModules.has(id) && !guestModules.has(id), includeDependenciesRecursively: false },
            // The few shared rules the guest page needs (讲评 scores and wording) in one chunk of
            // their own, for the guest page and the app alike.
            { name: 'guest-shared', test: id => guestModules.has(id) && !/[\\/]guest\.html|[\\/]src[\\/]app[\\/]guest[\\/]/.test(id), includeDependenciesRecursively: false },
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
    precompress(),
  ],
})
