import type { FastifyInstance } from 'fastify'
import type { Config } from '../config'
import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/** Whether phones reach us over HTTPS: our own TLS, or a proxy in front that PUBLIC_URL names. */
export function servesHttps(config: Pick<Config, 'tlsCert' | 'publicUrl'>): boolean {
  return Boolean(config.tlsCert) || Boolean(config.publicUrl?.startsWith('https://'))
}

/**
 * The Content-Security-Policy of every answer: only our own origin, and each exception for what
 * the built app really does (checked in tests/e2e/csp.test.ts, which fails on any violation).
 */
export function cspDirectives(https: boolean): Record<string, string[]> {
  return {
    'default-src': ['\'self\''],
    // The QR decoder's zxing-wasm compiles its .wasm (served from /assets) with WebAssembly.instantiate.
    'script-src': ['\'self\'', '\'wasm-unsafe-eval\''],
    // No inline event handlers anywhere.
    'script-src-attr': ['\'none\''],
    // Built CSS files only; Vue and Vant set style properties through the CSSOM, which CSP allows.
    'style-src': ['\'self\''],
    // Photos kept on the phone (previews, thumbnails from IndexedDB) are object URLs; invite and board QR codes are data: PNGs.
    'img-src': ['\'self\'', 'data:', 'blob:'],
    // Vant's icon font is a file of our own (vite.config.ts takes the data: copy out of Vant's CSS).
    'font-src': ['\'self\''],
    // The API, the service worker's precache and the .wasm fetch: all same origin.
    'connect-src': ['\'self\''],
    'worker-src': ['\'self\''],
    'manifest-src': ['\'self\''],
    'object-src': ['\'none\''],
    'frame-src': ['\'none\''],
    'frame-ancestors': ['\'none\''],
    'base-uri': ['\'self\''],
    'form-action': ['\'self\''],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  }
}

/**
 * Security headers on every answer, pages, assets and API alike (helmet's onRequest hook sets them
 * before any route, the static files and the 404 and error answers included).
 */
export default fp(async (app: FastifyInstance, opts: { config: Pick<Config, 'tlsCert' | 'publicUrl'> }) => {
  const https = servesHttps(opts.config)
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(https) },
    // Invite, setup and board tokens live in the URL fragment, which no Referer carries; paths may
    // still name a board, so other origins get our origin only. Unlike no-referrer, this keeps the
    // Origin header of the app's own POSTs, which a CSRF check may rely on.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    // Only over HTTPS: on plain HTTP (a LAN address) a browser ignores it, and a PUBLIC_URL on
    // http:// would be a promise we cannot keep.
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    // The page may open no cross-origin windows that share its process; our assets are ours alone.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
}, { name: 'security-headers' })
