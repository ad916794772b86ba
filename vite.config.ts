import type { Plugin } from 'vite'
import { fileURLToPath, URL } from 'node:url'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

/** Vant's icon CSS names a CDN copy of its font after the inlined one; we never load from a CDN, so drop it. */
function noIconFontCdn(): Plugin {
  return {
    name: 'xf-no-icon-font-cdn',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/vant/es/icon/index.css'))
        return { code: code.replace(/,url\(\/\/at\.alicdn\.com[^)]*\) format\("woff"\)/, ''), map: null }
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
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  plugins: [
    noIconFontCdn(),
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
  ],
})
