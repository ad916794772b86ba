import type { FastifyInstance } from 'fastify'
import compress from '@fastify/compress'
import fp from 'fastify-plugin'

/** Answers smaller than this go out as they are: compressing a few hundred bytes saves nothing on the wire. */
export const COMPRESS_THRESHOLD = 1024

/**
 * API answers compressed as the phone accepts (brotli first, then gzip) when they are at least
 * 1 KB: a new phone's first pull in a big branch is hundreds of KB of JSON over mobile data
 * (issue 17). Only text types (JSON, HTML, CSS…) are touched — never an .xlsx, a photo or an
 * event stream — and a streamed answer is compressed as it streams. The built app's files are not
 * compressed here: the build wrote .br/.gz copies once (plugins/static-app.ts sends them).
 */
export default fp(async (app: FastifyInstance) => {
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD,
    // Request bodies stay as they are today: a compressed upload is refused by the JSON parser, not inflated.
    globalDecompression: false,
  })
}, { name: 'compression' })
