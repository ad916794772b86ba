import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { codeFromMac, fromBase64Url, SIG_BYTES, signedText } from '#shared/meetings/token'

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
