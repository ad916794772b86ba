import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))
const alias = { '#shared': src('shared'), '#app': src('app'), '#server': src('server') }

/* Three projects: fast unit tests, server tests through inject on a real database, and
   end-to-end tests that drive the built app in Chromium (one at a time: 2 cores). */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        plugins: [vue()],
        resolve: { alias },
        test: { name: 'unit', include: ['tests/shared/**/*.test.ts', 'tests/app/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        test: { name: 'server', include: ['tests/server/**/*.test.ts'], globalSetup: ['tests/server/pg-template.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // A screen updates after a lazy chunk, a sync or a service-worker answer: on a busy 2-core
          // machine that takes longer than expect.poll's one-second default.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
})
