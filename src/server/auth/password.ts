import type { HttpError } from '../errors'
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { failure } from '../errors'

export interface ScryptParams { N: number, r: number, p: number }

/** DESIGN §3: N=2^17, r=8, p=1. 128·N·r bytes = 128 MiB, so maxmem must be raised above the 32 MiB default. */
export const PASSWORD_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
const KEY_LENGTH = 32

/**
 * Each hash holds 128·N·r bytes (128 MiB in production) for about a second, so a burst of requests
 * that hash (logins, setup, invite acceptance, password changes) must not run them all at once:
 * at most HASH_SLOTS run, HASH_QUEUE more wait their turn (a few seconds at most), and the rest are
 * told when to come back. Per process, as the memory is: 2 × 128 MiB at most, however many ask.
 */
export const HASH_SLOTS = 2
export const HASH_QUEUE = 4

let running = 0
const waiting: Array<() => void> = []
let averageMs = 1000
const stats = { hashes: 0, peakRunning: 0 }

/** How many hashes this process has run and the most that ever ran at once (tests, figures). */
export function passwordHashStats(): Readonly<typeof stats> {
  return { ...stats }
}

/**
 * 503, not 429: the queue is full because of everyone's requests, not because this client sent
 * too many, and the same request will succeed once the queue drains (Retry-After says when).
 */
function busy(): HttpError {
  const seconds = Math.max(1, Math.ceil(((HASH_QUEUE / HASH_SLOTS) + 1) * averageMs / 1000))
  return failure(503, 'BUSY', { wait: seconds }, { 'retry-after': String(seconds) })
}

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < HASH_SLOTS) {
    running++
  }
  else {
    if (waiting.length >= HASH_QUEUE)
      throw busy()
    // The finishing hash hands its slot straight to us, so `running` stays counted.
    await new Promise<void>(resolve => waiting.push(resolve))
  }
  stats.peakRunning = Math.max(stats.peakRunning, running)
  try {
    return await work()
  }
  finally {
    const next = waiting.shift()
    if (next)
      next()
    else
      running--
  }
}

function scrypt(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  return inSlot(() => new Promise((resolve, reject) => {
    const started = Date.now()
    stats.hashes++
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) => {
      averageMs = (averageMs * 3 + (Date.now() - started)) / 4
      return err ? reject(err) : resolve(key)
    })
  }))
}

/** Stored as `scrypt$N$r$p$salt$hash` so the cost can rise later without breaking old hashes. */
export async function hashPassword(password: string, params: ScryptParams = PASSWORD_PARAMS): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$')
  if (kind !== 'scrypt' || !salt || !hash)
    return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash of a random password: verifying against it costs as much as a real one, so a missing login can't be timed. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(params: ScryptParams): Promise<string> {
  // Forgotten when it failed (e.g. the queue was full), so the next login makes it again.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), params).catch((err) => {
    dummyHash = undefined
    throw err
  })
  return dummyHash
}
