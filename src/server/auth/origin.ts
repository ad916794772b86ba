import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../config'
import { isIP } from 'node:net'
import { failure } from '../errors'

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]'])

/** `::ffff:10.0.0.5` → `10.0.0.5`, `[::1]` → `::1`, lower case: one spelling per address. */
function plainAddress(address: string): string {
  const a = address.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a
}

function isLoopback(hostname: string): boolean {
  const a = plainAddress(hostname)
  return a === 'localhost' || a.endsWith('.localhost') || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'))
}

/**
 * Names this server knows as its own without PUBLIC_URL: loopback, the configured HOST (unless it is
 * a wildcard), the address it listens on, and the local address this very connection arrived at
 * (a phone on the LAN opening http://192.168.1.5:8080). Never a name a client or proxy merely claims.
 */
function isOwnHost(app: FastifyInstance, request: FastifyRequest, hostname: string): boolean {
  if (isLoopback(hostname))
    return true
  const candidate = plainAddress(hostname)
  const listening = app.server.address()
  const own = [
    app.config.host,
    typeof listening === 'object' && listening ? listening.address : '',
    request.socket?.localAddress ?? '',
  ]
  return own.some(address => !WILDCARDS.has(address) && plainAddress(address) === candidate)
}

export function publicUrlNeeded() {
  return failure(400, 'PUBLIC_URL_NEEDED')
}

/**
 * The origin of links the server hands out (invites): PUBLIC_URL, or else the request's own origin
 * only when its Host (X-Forwarded-Host under TRUST_PROXY) names this server. Anything else could
 * be a forged Host that would send a member's one-time token to someone else's site.
 */
export function linkOrigin(app: FastifyInstance, request: FastifyRequest): string {
  if (app.config.publicUrl)
    return app.config.publicUrl
  // Only a bare host[:port]: nothing that parses as a path, user or fragment slips into the link.
  const host = request.host.toLowerCase()
  const hostname = /^(\[[\d:a-f.]+\]|[\da-z.-]+)(?::\d{1,5})?$/.exec(host)?.[1]
  if (!hostname || !isOwnHost(app, request, hostname))
    throw publicUrlNeeded()
  return `${request.protocol}://${host}`
}

/** The origin printed in the start-up and `npm run setup-link` setup link: PUBLIC_URL, else localhost or the HOST it listens on. */
export function localOrigin(config: Config, port: number): string {
  if (config.publicUrl)
    return config.publicUrl
  // localhost for loopback too: a browser treats http://localhost as a secure context.
  const host = WILDCARDS.has(config.host) || isLoopback(config.host) ? 'localhost' : isIP(config.host) === 6 ? `[${config.host}]` : config.host
  return `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`
}
