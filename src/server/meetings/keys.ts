import type { Db } from '../db/database'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { codeFromMac, fromBase64Url, SIG_BYTES, signedText } from '#shared/meetings/token'

const SECRET_KEY = 'meeting_secret'
const cache = new WeakMap<Db, string>()

/**
 * The secret every meeting key derives from: XF_SECRET when set, else a random one made once and
 * kept in server_state, so every instance on the same database derives the same keys.
 */
export async function serverSecret(db: Db, configured: string | null): Promise<string> {
  if (configured)
    return configured
  const cached = cache.get(db)
  if (cached)
    return cached
  let row = await db.selectFrom('server_state').select('value').where('key', '=', SECRET_KEY).executeTakeFirst()
  if (!row) {
    await db.insertInto('server_state').values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') }).onConflict(oc => oc.column('key').doNothing()).execute()
    row = await db.selectFrom('server_state').select('value').where('key', '=', SECRET_KEY).executeTakeFirstOrThrow()
  }
  cache.set(db, row.value)
  return row.value
}

/** HMAC(server secret, meeting id): what the meeting's organizers sign windows with. */
export function meetingKey(secret: string, meetingId: string): Buffer {
  return createHmac('sha256', secret).update(`meeting-key:${meetingId}`).digest()
}

export function windowMac(key: Buffer, meetingId: string, window: number): Buffer {
  return createHmac('sha256', key).update(signedText(meetingId, window)).digest()
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
