import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'

export interface ScryptParams { N: number, r: number, p: number }

/** DESIGN §3: N=2^17, r=8, p=1. 128·N·r bytes = 128 MiB, so maxmem must be raised above the 32 MiB default. */
export const PASSWORD_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
const KEY_LENGTH = 32

function scrypt(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) => err ? reject(err) : resolve(key))
  })
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
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), params)
  return dummyHash
}
