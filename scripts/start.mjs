/*
 * `npm start`: plain node on the compiled server (dist/server/server.mjs). Builds first only what is
 * missing or stale — the PWA (vite build) and the server bundle (esbuild, about half a second) — then
 * imports the bundle, which migrates and serves the PWA with the API on one port.
 *
 * Plain JavaScript: tsx transpiling the server at every start cost over a second (issue 17).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { buildServer, newestMtime, ROOT, SERVER_BUNDLE, serverBuildStale } from './build-server.mjs'

const defaultAppDir = join(ROOT, 'dist/app')
const appDir = resolve(process.env.APP_DIR || defaultAppDir)
const appIndex = join(appDir, 'index.html')

/** Our own build is rebuilt when its sources changed (a `git pull`); an APP_DIR elsewhere is someone else's to build. */
function appStale() {
  if (!existsSync(appIndex))
    return true
  if (appDir !== defaultAppDir)
    return false
  const sources = ['src/app', 'src/shared', 'public', 'index.html', 'guest.html', 'vite.config.ts', 'package.json', 'package-lock.json']
  return newestMtime(sources) > statSync(appIndex).mtimeMs
}

if (appStale()) {
  console.log(existsSync(appIndex) ? 'The app changed since its build; building it again…' : 'Building the app (first start only)…')
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit', cwd: ROOT })
  if (build.status !== 0) {
    console.error('The app build failed; see the output above.')
    process.exit(1)
  }
}

if (serverBuildStale()) {
  try {
    await buildServer()
  }
  catch (err) {
    console.error('The server build failed:', err instanceof Error ? err.message : err)
    process.exit(1)
  }
}

await import(pathToFileURL(SERVER_BUNDLE).href)
