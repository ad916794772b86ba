import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** A row's id: a random UUID, so phones and servers can make ids without asking each other. */
export function newId(): string {
  return randomUUID()
}

/** 256 random bits, URL-safe: session, invite, setup and board tokens. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored hashed: a leaked database does not let anyone log in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
