import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** 256 random bits, URL-safe: session, invite and setup tokens. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored hashed: a leaked database does not let anyone log in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export function newId(): string {
  return randomUUID()
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString()
}

export function addMs(ms: number, from: Date = new Date()): string {
  return new Date(from.getTime() + ms).toISOString()
}

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
