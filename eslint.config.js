import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  // Formatting is ESLint's job here too (no Prettier); JSON locale files are sorted by key.
  ignores: ['dist', 'data', 'tmp', 'coverage', 'public/**/*.js'],
}, {
  files: ['src/app/locales/*.json'],
  rules: {
    'jsonc/sort-keys': 'error',
  },
}, {
  // TypeBox idiom: a schema and its Static<> type share one name, so imports stay short.
  files: ['src/shared/schemas/**/*.ts'],
  rules: {
    'ts/no-redeclare': 'off',
  },
}, {
  // Servers and scripts talk to their operator on stdout.
  files: ['src/server/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts'],
  rules: {
    'no-console': 'off',
    'node/prefer-global/process': 'off',
    'node/prefer-global/buffer': 'off',
  },
}, {
  // Stores call the sync modules, never the other way round: a store hands sync/write what it
  // needs (bindWriteHooks), so the outbox and engine stay testable without Pinia.
  files: ['src/app/sync/**'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ group: ['**/stores', '**/stores/*', '#app/stores/*', 'pinia'], message: 'sync/ must not import stores: let the store pass what sync/ needs.' }],
    }],
  },
}, {
  // One data path per feature (issue 11): a component or page reaches data only through its
  // feature's store or composable, never the API client, IndexedDB, the outbox or fetch itself,
  // so offline, sync and errors are handled in one place. (errorText only words an error.)
  files: ['src/app/**/*.vue'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: '(^|/)api(/(?!errors$)[^/]+)?$|-api$', message: 'Components reach the API through their feature\'s store or composable.' },
        { group: ['idb', '**/db', '**/db/*'], message: 'Components reach IndexedDB through their feature\'s store or composable.' },
        { group: ['**/sync/write', '**/sync/engine', '**/sync/transport', '**/sync/runner'], message: 'Components queue writes through their feature\'s store or composable.' },
      ],
    }],
    'no-restricted-globals': ['error', { name: 'fetch', message: 'Components reach the API through their feature\'s store or composable.' }, { name: 'indexedDB', message: 'Components reach IndexedDB through their feature\'s store or composable.' }],
  },
})
