import type { Transaction } from 'kysely'
import type { KeyObject } from 'node:crypto'
import type { Database, Db } from '../db/database'
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto'
import { codeFromMac, ED25519_SIG_BYTES, fromBase64Url, personalText, SIG_BYTES, signedText } from '#shared/meetings/token'

const SECRET_KEY = 'meeting_secret'

type Conn = Db | Transaction<Database>

/**
 * The secret every meeting key derives from: XF_SECRET when set, else a random one made once and
 * kept in server_state, so every instance on the same database derives the same keys. Read when
 * first needed, not when the app is built, so the server starts (and /api/health says 503) while
 * the database is down.
 */
export class MeetingSecret {
  private value: string | null

  constructor(configured: string | null) {
    this.value = configured || null
  }

  /**
   * Reads (or makes) the secret through `conn`: a check-in op passes its own transaction, since
   * on SQLite a second connection would wait for that transaction forever. A secret made inside a
   * transaction is not remembered, because that transaction may still roll back (a check-in
   * without a secret on record is always refused, so nothing signed with it survives).
   */
  async get(conn: Conn): Promise<string> {
    if (this.value)
      return this.value
    const read = () => conn.selectFrom('server_state').select('value').where('key', '=', SECRET_KEY).executeTakeFirst()
    let row = await read()
    if (row) {
      this.value = row.value
      return row.value
    }
    await conn.insertInto('server_state').values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') }).onConflict(oc => oc.column('key').doNothing()).execute()
    row = await read()
    if (!row)
      throw new Error('server_state: the meeting secret could not be stored')
    if (!conn.isTransaction)
      this.value = row.value
    return row.value
  }
}

/**
 * An Ed25519 key pair (issue 15): `signKey` is `<d>.<x>` (JWK's private seed and public key,
 * base64url), what the server hands to whoever signs — a meeting's organizers, a member's own
 * phone; `verifyKey` is `x`, the public key every phone that checks the codes receives.
 */
export function newKeyPair(): { signKey: string, verifyKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  return { signKey: `${jwk.d}.${jwk.x}`, verifyKey: jwk.x! }
}

function privateKeyOf(signKey: string): KeyObject {
  const [d, x] = signKey.split('.')
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d, x }, format: 'jwk' })
}

function publicKeyOf(verifyKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: verifyKey }, format: 'jwk' })
}

function ed25519Matches(verifyKey: string, text: string, sig: string): boolean {
  let given: Uint8Array
  try {
    given = fromBase64Url(sig)
  }
  catch {
    return false
  }
  return given.length === ED25519_SIG_BYTES && verify(null, Buffer.from(text), publicKeyOf(verifyKey), given)
}

/** Whether an `xf2` meeting token's signature is the meeting's. */
export function meetingSignatureMatches(verifyKey: string, meetingId: string, window: number, sig: string): boolean {
  return ed25519Matches(verifyKey, signedText(meetingId, window), sig)
}

/** Whether a member's personal code was signed with that member's key. */
export function personalSignatureMatches(verifyKey: string, memberId: string, window: number, sig: string): boolean {
  return ed25519Matches(verifyKey, personalText(memberId, window), sig)
}

/**
 * The windows among `candidates` whose 6-digit code is `code`: Ed25519 signatures are
 * deterministic, so the server (which keeps the meeting's signing key) signs each window again.
 */
export function windowsWithSignedCode(signKey: string, meetingId: string, candidates: number[], code: string): number[] {
  const key = privateKeyOf(signKey)
  const given = Buffer.from(code)
  return candidates.filter(w => timingSafeEqual(Buffer.from(codeFromMac(sign(null, Buffer.from(signedText(meetingId, w)), key))), given))
}

/** Legacy (before issue 15): HMAC(server secret, meeting id), which signed `xf1` windows. Still checked for scans queued before the upgrade. */
export function meetingKey(secret: string, meetingId: string): Buffer {
  return createHmac('sha256', secret).update(`meeting-key:${meetingId}`).digest()
}

export function windowMac(key: Buffer, meetingId: string, window: number): Buffer {
  return createHmac('sha256', key).update(signedText(meetingId, window, 1)).digest()
}

/** Compares the token's signature with the expected one in constant time. */
export function signatureMatches(key: Buffer, meetingId: string, window: number, sig: string): boolean {
  const expected = windowMac(key, meetingId, window).subarray(0, SIG_BYTES)
  let given: Uint8Array
  try {
    given = fromBase64Url(sig)
  }
  catch {
    return false
  }
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The windows among `candidates` whose 6-digit code is `code`, each compared in constant time. */
export function windowsWithCode(key: Buffer, meetingId: string, candidates: number[], code: string): number[] {
  const given = Buffer.from(code)
  return candidates.filter(w => timingSafeEqual(Buffer.from(codeFromMac(windowMac(key, meetingId, w))), given))
}
