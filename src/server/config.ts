import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** Everything the server reads from the environment, checked once at start. */
export interface Config {
  port: number
  host: string
  databaseUrl: string
  /** Public origin used in invite and setup links, e.g. https://xf.example.org */
  publicUrl: string | null
  tlsCert: string | null
  tlsKey: string | null
  logLevel: string
  /** Directory with the built PWA (index.html, sw.js, assets). */
  appDir: string
  /** Key that signs meeting QR tokens; derived per meeting. Must be stable across instances. */
  secret: string | null
  trustProxy: boolean
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT)
  const databaseUrl = env.DATABASE_URL?.trim() || 'sqlite:./data/xianfeng.db'
  if (!/^(?:sqlite:|postgres(?:ql)?:\/\/)/.test(databaseUrl))
    throw new ConfigError('DATABASE_URL', `must start with sqlite: or postgres://, got "${databaseUrl}"`)

  const tlsCert = env.TLS_CERT?.trim() || null
  const tlsKey = env.TLS_KEY?.trim() || null
  if (Boolean(tlsCert) !== Boolean(tlsKey))
    throw new ConfigError(tlsCert ? 'TLS_KEY' : 'TLS_CERT', 'TLS_CERT and TLS_KEY must be given together')
  for (const [name, file] of [['TLS_CERT', tlsCert], ['TLS_KEY', tlsKey]] as const) {
    if (file && !existsSync(file))
      throw new ConfigError(name, `file not found: ${file}`)
  }

  const publicUrl = env.PUBLIC_URL?.trim() || null
  if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    throw new ConfigError('PUBLIC_URL', `must be an http(s) origin such as https://xf.example.org, got "${publicUrl}"`)

  // Quiet by default: at info Fastify logs two JSON lines per request, which buried the first
  // start's setup link (one page load makes about 77). LOG_LEVEL=info turns them on.
  const logLevel = env.LOG_LEVEL?.trim() || 'warn'
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)

  const secret = env.XF_SECRET?.trim() || null
  if (secret && secret.length < 32)
    throw new ConfigError('XF_SECRET', 'must be at least 32 characters')

  const trustProxy = parseBool('TRUST_PROXY', env.TRUST_PROXY)

  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    tlsCert,
    tlsKey,
    logLevel,
    appDir: resolve(env.APP_DIR?.trim() || 'dist/app'),
    secret,
    trustProxy,
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '')
    return 8080
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got "${value}"`)
  return port
}

function parseBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '')
    return false
  if (['1', 'true', 'yes'].includes(value.toLowerCase()))
    return true
  if (['0', 'false', 'no'].includes(value.toLowerCase()))
    return false
  throw new ConfigError(name, `must be true or false, got "${value}"`)
}
