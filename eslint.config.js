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
})
