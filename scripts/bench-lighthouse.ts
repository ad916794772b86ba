import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * `npm run bench:lighthouse [-- --runs N --pages login,home,points-log,points,bare]`: Lighthouse
 * has its own install in tools/lighthouse/ (its package.json and lock, lighthouse pinned), so
 * `npm ci && npm test` never downloads it. Installed there on first use, then the bench runs
 * (tools/lighthouse/bench.ts). Builds the app first when dist/app is missing.
 */
const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const tool = join(root, 'tools/lighthouse')
function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0)
    process.exit(result.status ?? 1)
}

if (!existsSync(join(tool, 'node_modules/lighthouse/package.json'))) {
  console.log('Installing Lighthouse into tools/lighthouse (once)…')
  run('npm', ['--prefix', tool, 'ci', '--no-audit', '--no-fund'])
}
if (!existsSync(join(process.env.APP_DIR || join(root, 'dist/app'), 'index.html'))) {
  console.log('Building the app…')
  run('npx', ['vite', 'build'])
}
run(process.execPath, ['--import', 'tsx', join(tool, 'bench.ts'), ...process.argv.slice(2)])
