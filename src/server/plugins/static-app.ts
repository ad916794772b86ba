import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ShellPage } from './route-preloads'
import { existsSync, readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import { SESSION } from '#shared/constants'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import { allowStyle, parseRoutePreloads, ShellPages } from './route-preloads'

/**
 * Serves the built PWA from the same origin as the API. Hashed assets are cached forever;
 * index.html, the service worker and the manifest must revalidate or updates never reach phones.
 *
 * One wildcard route answers every file: a route per file (hundreds, with their .br/.gz) cost start-up
 * time (issue 17), and a rebuild's new file names are served without a restart.
 */
export default fp(async (app: FastifyInstance, opts: { root: string }) => {
  if (!existsSync(join(opts.root, 'index.html')))
    throw new Error(`The built app is missing at ${opts.root}; run npm run build`)

  await app.register(fastifyStatic, {
    root: opts.root,
    // Only reply.sendFile: the routes are ours, below.
    serve: false,
    index: false,
    // The build writes .br and .gz beside each text asset (vite.config.ts); sent when the browser accepts them.
    preCompressed: true,
    // Otherwise send's own "public, max-age=0" overwrites what setHeaders says below.
    cacheControl: false,
    setHeaders(res, path) {
      if (path.includes(`${join(opts.root, 'assets')}`))
        res.setHeader('cache-control', 'public, max-age=31536000, immutable')
      else
        res.setHeader('cache-control', 'no-cache')
    },
  })

  /** A file of the build as text; undefined when it is missing (a rebuild may be under way). */
  function readText(file: string): string | undefined {
    try {
      return readFileSync(join(opts.root, file), 'utf8')
    }
    catch {
      return undefined
    }
  }

  /** The shell pages of the build on disk: read again when a rebuild rewrote index.html. */
  let shell: { built: number, pages: ShellPages } | undefined
  async function shellPages(): Promise<ShellPages | undefined> {
    const built = await stat(join(opts.root, 'index.html')).then(s => s.mtimeMs, () => 0)
    if (shell?.built !== built) {
      const index = built ? readText('index.html') : undefined
      // In the middle of a rebuild there may be no index.html: the plain file route answers.
      if (index === undefined)
        return undefined
      shell = { built, pages: new ShellPages(index, parseRoutePreloads(readText('route-preloads.json')), readText) }
    }
    return shell.pages
  }
  const sessionCookie = new RegExp(`(?:^|;\\s*)${SESSION.cookie}=[^;\\s]`)

  /** The shell for a client route, with that route's files named, as the phone accepts it. */
  function sendShell(reply: FastifyReply, page: ShellPage, accept: string) {
    const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : undefined
    reply
      .header('cache-control', 'no-cache')
      .header('content-type', 'text/html; charset=utf-8')
      // The page differs by the session cookie (members' screens name their files, others the login page's).
      .header('vary', 'accept-encoding, cookie')
    if (encoding)
      reply.header('content-encoding', encoding)
    // helmet set the policy before this route ran; the page's own inline theme is allowed by its hash.
    const policy = reply.getHeader('content-security-policy')
    if (page.styleHash && typeof policy === 'string')
      reply.header('content-security-policy', allowStyle(policy, page.styleHash))
    return reply.send(encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.html)
  }

  /** True when `file` (relative, from the URL) is a file inside the build, never outside it. */
  async function isFile(file: string): Promise<boolean> {
    const path = normalize(join(opts.root, file))
    if (!path.startsWith(opts.root + sep))
      return false
    return stat(path).then(s => s.isFile(), () => false)
  }

  // Files under 1 KB were not precompressed by the build and are not worth compressing per request.
  const config = { compress: false as const }

  // A 讲评 guest link (/g/<code>): the light guest page, not the member app; it reads the code from its path.
  app.get('/g/:code', { config }, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('guest.html'))

  // Every file of the build, and client-side routes (/login, /points…) get the app shell; /api/ keeps its JSON 404.
  app.get('/*', { config }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    if (path.startsWith('/api/'))
      return reply.callNotFound()
    // send decodes the path itself: look for the decoded name, hand it the one from the URL.
    const file = path.slice(1)
    let decoded: string
    try {
      decoded = decodeURIComponent(file)
    }
    catch {
      return reply.callNotFound()
    }
    if (file && !decoded.includes('..') && await isFile(decoded))
      return reply.sendFile(file)
    if (/\.[a-z0-9]+$/i.test(path))
      return reply.callNotFound()
    const page = (await shellPages())?.page(path, sessionCookie.test(request.headers.cookie ?? ''))
    if (page)
      return sendShell(reply, page, String(request.headers['accept-encoding'] ?? ''))
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
}, { name: 'static-app' })
