import type { FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/**
 * Serves the built PWA from the same origin as the API. Hashed assets are cached forever;
 * index.html, the service worker and the manifest must revalidate or updates never reach phones.
 */
export default fp(async (app: FastifyInstance, opts: { root: string }) => {
  if (!existsSync(join(opts.root, 'index.html')))
    throw new Error(`The built app is missing at ${opts.root}; run npm run build`)

  await app.register(fastifyStatic, {
    root: opts.root,
    wildcard: false,
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

  // A 讲评 guest link (/g/<code>): the light guest page, not the member app; it reads the code from its path.
  app.get('/g/:code', async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('guest.html'))

  // Client-side routes (/login, /points…) all get the app shell; /api/ keeps its JSON 404.
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    if (path.startsWith('/api/'))
      return reply.callNotFound()
    const file = path.slice(1)
    if (file && !file.includes('..') && existsSync(join(opts.root, file)))
      return reply.sendFile(file)
    if (/\.[a-z0-9]+$/i.test(path))
      return reply.callNotFound()
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
}, { name: 'static-app' })
