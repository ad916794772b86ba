import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { reportStartError, startServer } from '../src/server/server'

/** `npm start`: build the PWA when it is missing, then migrate and serve it with the API on one port. */
const appDir = resolve(process.env.APP_DIR || 'dist/app')
if (!existsSync(join(appDir, 'index.html'))) {
  console.log('Building the app (first start only)…')
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('The app build failed; see the output above.')
    process.exit(1)
  }
}
startServer().catch(reportStartError)
