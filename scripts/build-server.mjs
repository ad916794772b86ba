/*
 * The server's build (`npm run build` runs it after the PWA's; `npm start` runs it when the bundle is
 * missing or stale): src/server bundled by esbuild into one ES module, dist/server/server.mjs, so a
 * start is plain node instead of tsx transpiling ~300 files every time (issue 17 point 3).
 *
 * Plain JavaScript on purpose: it must run before anything is compiled, with node alone.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SERVER_BUNDLE = join(ROOT, 'dist/server/server.mjs')

/** What the bundle is made from: a newer file here means the bundle is stale. */
const SERVER_SOURCES = ['src/server', 'src/shared']
const SERVER_CONFIGS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build-server.mjs']

/** The newest modification time (ms) under the given files and folders; 0 when none exists. */
export function newestMtime(paths) {
  let newest = 0
  const visit = (path) => {
    let stat
    try {
      stat = statSync(path)
    }
    catch {
      return
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path))
        visit(join(path, name))
    }
    else if (stat.mtimeMs > newest) {
      newest = stat.mtimeMs
    }
  }
  for (const path of paths)
    visit(resolve(ROOT, path))
  return newest
}

/** Packages left in node_modules: native code, files read at run time beside their code, or big and loaded late. */
const BUNDLE_EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'sharp', 'exceljs', '@fastify/swagger-ui', '@fastify/static', 'pino', 'thread-stream']

/** True when the bundle is missing or any source or config is newer (a few ms: stats only, no reads). */
export function serverBuildStale() {
  if (!existsSync(SERVER_BUNDLE))
    return true
  return newestMtime([...SERVER_SOURCES, ...SERVER_CONFIGS]) > statSync(SERVER_BUNDLE).mtimeMs
}

/**
 * Bundles src/server/main.ts. Every package stays in node_modules (external): native ones such as
 * better-sqlite3 must, and loading the others from there costs little once our own code is one file.
 * Written beside the target and renamed, so a server starting meanwhile never reads half a file.
 */
export async function buildServer() {
  const { build } = await import('esbuild')
  mkdirSync(dirname(SERVER_BUNDLE), { recursive: true })
  const temp = `${SERVER_BUNDLE}.${process.pid}.tmp`
  await build({
    entryPoints: [join(ROOT, 'src/server/main.ts')],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Our code and the pure-JS packages in one file: loading hundreds of small files was most of a
    // start. Native packages, and those that read files beside their own code, stay in node_modules.
    external: BUNDLE_EXTERNAL,
    // Bundled CommonJS packages call require() for node's own modules.
    banner: { js: 'import { createRequire as __xfCreateRequire } from \'node:module\'\nconst require = __xfCreateRequire(import.meta.url)' },
    tsconfig: join(ROOT, 'tsconfig.json'),
    // Not minified and no source map: stack traces point into readable code with the same names.
    logLevel: 'warning',
    legalComments: 'none',
  })
  renameSync(temp, SERVER_BUNDLE)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now()
  await buildServer()
  console.log(`dist/server/server.mjs built in ${(performance.now() - started).toFixed(0)} ms`)
}
