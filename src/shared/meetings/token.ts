import { CHECKIN } from './constants'

/**
 * The rotating check-in tokens (DESIGN §2, issue 15), signed with Ed25519 so that a phone holding
 * only the public key can tell a real code from a forged one with no network.
 *
 * Meeting code (the 签到 screen → the member's phone): the organizer's device holds the meeting's
 * signing key and signs each 10-second window; every member in the meeting's scope pulls the
 * public key with the meeting. QR text `xf2:<meetingId>:<window>:<signature, base64url>`; the
 * 6-digit code comes from the same signature (Ed25519 signatures are deterministic, so the server,
 * which keeps the signing key, finds it again).
 *
 * Personal code (the member's phone → the organizer's scanner, 出示我的签到码): the member's phone
 * signs `xfp:<memberId>:<window>` with the member's own key; organizers hold the public keys of
 * the members they organize.
 *
 * `xf1` tokens (HMAC, before issue 15) are still parsed, so a scan queued on a phone before the
 * upgrade is still checked by the server; phones can no longer verify them (no public key).
 * Works with WebCrypto in browsers and in Node ≥ 20.
 */
export const TOKEN_PREFIX = 'xf2'
export const LEGACY_PREFIX = 'xf1'
export const PERSONAL_PREFIX = 'xfp'
/** Legacy HMAC tokens carried the first 16 bytes of the MAC. */
export const SIG_BYTES = 16
export const ED25519_SIG_BYTES = 64
const B64_SIG = 86

export interface ParsedToken {
  version: 1 | 2
  meetingId: string
  window: number
  sig: string
}

export interface ParsedPersonal {
  memberId: string
  window: number
  sig: string
}

/** The 10-second window a moment falls in. */
export function windowAt(ms: number): number {
  return Math.floor(ms / CHECKIN.windowMs)
}

export function windowStartMs(window: number): number {
  return window * CHECKIN.windowMs
}

/** What is signed for one window of one meeting (v1: the legacy HMAC text). */
export function signedText(meetingId: string, window: number, version: 1 | 2 = 2): string {
  return `${version === 1 ? LEGACY_PREFIX : TOKEN_PREFIX}:${meetingId}:${window}`
}

export function personalText(memberId: string, window: number): string {
  return `${PERSONAL_PREFIX}:${memberId}:${window}`
}

export function parseToken(text: string): ParsedToken | null {
  const match = /^(xf[12]):([0-9a-f-]{36}):(\d{1,12}):([\w-]+)$/i.exec(text.trim())
  if (!match)
    return null
  const version = match[1]!.toLowerCase() === LEGACY_PREFIX ? 1 : 2
  if (match[4]!.length !== (version === 1 ? 22 : B64_SIG))
    return null
  return { version, meetingId: match[2]!.toLowerCase(), window: Number(match[3]), sig: match[4]! }
}

export function parsePersonal(text: string): ParsedPersonal | null {
  const match = /^xfp:([0-9a-f-]{36}):(\d{1,12}):([\w-]{86})$/i.exec(text.trim())
  return match ? { memberId: match[1]!.toLowerCase(), window: Number(match[2]), sig: match[3]! } : null
}

/** The 6-digit code: a 32-bit number from bytes 16–19 of the signature (or legacy HMAC), modulo 10^6 (as HOTP does). */
export function codeFromMac(mac: Uint8Array): string {
  const n = ((mac[16]! << 24) | (mac[17]! << 16) | (mac[18]! << 8) | mac[19]!) >>> 0
  return String(n % 10 ** CHECKIN.codeDigits).padStart(CHECKIN.codeDigits, '0')
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes)
    s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++)
    out[i] = s.charCodeAt(i)
  return out
}

/**
 * Imports a signing key as the server hands it out: `<d>.<x>`, the Ed25519 private seed and public
 * key in base64url (JWK's d and x) — the meeting's to its organizers, a member's own to their phone.
 */
export async function importSigningKey(key: string): Promise<CryptoKey> {
  const [d, x] = key.split('.')
  return crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d, x }, { name: 'Ed25519' }, false, ['sign'])
}

/** The meeting's signing key on the 签到 screen. */
export const importMeetingKey = importSigningKey

/** Imports a public key (base64url, 32 bytes) for verifying. */
export async function importVerifyKey(x: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64Url(x) as BufferSource, { name: 'Ed25519' }, false, ['verify'])
}

export interface ShownCode {
  window: number
  token: string
  code: string
}

async function ed25519Sign(key: CryptoKey, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('Ed25519', key, new TextEncoder().encode(text)))
}

/** The QR text and numeric code the 签到 screen shows for one window. */
export async function codeForWindow(key: CryptoKey, meetingId: string, window: number): Promise<ShownCode> {
  const sig = await ed25519Sign(key, signedText(meetingId, window))
  return { window, token: `${signedText(meetingId, window)}:${toBase64Url(sig)}`, code: codeFromMac(sig) }
}

/** The personal QR text a member's phone shows for one window (出示我的签到码). */
export async function personalCodeForWindow(key: CryptoKey, memberId: string, window: number): Promise<ShownCode> {
  const sig = await ed25519Sign(key, personalText(memberId, window))
  return { window, token: `${personalText(memberId, window)}:${toBase64Url(sig)}`, code: codeFromMac(sig) }
}

async function signatureOk(key: CryptoKey, text: string, sig: string): Promise<boolean> {
  let bytes: Uint8Array
  try {
    bytes = fromBase64Url(sig)
  }
  catch {
    return false
  }
  if (bytes.length !== ED25519_SIG_BYTES)
    return false
  return crypto.subtle.verify('Ed25519', key, bytes as BufferSource, new TextEncoder().encode(text))
}

/**
 * What a phone concludes about a scanned code with no network. `unverifiable`: a legacy (HMAC)
 * code, or a meeting whose public key this phone has not pulled yet — queued for the server to
 * judge, as before issue 15.
 */
export type TokenVerdict
  = | { ok: true, window: number }
    | { ok: false, reason: 'malformed' | 'forged' | 'wrongMeeting' | 'stale' | 'future' | 'unverifiable' }

/**
 * How far the phone's clock may be from the screen's before a code is called stale or from the
 * future: the server's freshness (CHECKIN.freshWindows) plus a phone clock's allowance either side.
 * The server checks again on sync, on its own clock.
 */
export const PHONE_STALE_WINDOWS = CHECKIN.freshWindows + Math.ceil(CHECKIN.clockSkewMs / CHECKIN.windowMs)
export const PHONE_FUTURE_WINDOWS = CHECKIN.futureWindows + Math.ceil(CHECKIN.clockSkewMs / CHECKIN.windowMs)

function timeVerdict(window: number, nowMs: number): TokenVerdict {
  const now = windowAt(nowMs)
  if (window - now > PHONE_FUTURE_WINDOWS)
    return { ok: false, reason: 'future' }
  if (now - window > PHONE_STALE_WINDOWS)
    return { ok: false, reason: 'stale' }
  return { ok: true, window }
}

/**
 * THE phone-side check of a meeting's QR text (the member's 扫码签到): the token names this
 * meeting, its Ed25519 signature matches the meeting's public key, and its window is current on
 * the phone's clock. `keyOf` gives the public key of a meeting this phone knows (null: unknown),
 * so a genuine code of another meeting is told apart from a forged one.
 */
export async function verifyMeetingToken(text: string, meetingId: string | null, keyOf: (meetingId: string) => Promise<CryptoKey | null>, nowMs: number): Promise<TokenVerdict & { meetingId?: string }> {
  const parsed = parseToken(text)
  if (!parsed)
    return { ok: false, reason: 'malformed' }
  const key = await keyOf(parsed.meetingId)
  if (parsed.version === 1 || !key) {
    if (meetingId && parsed.meetingId !== meetingId)
      return { ok: false, reason: 'wrongMeeting', meetingId: parsed.meetingId }
    return { ok: false, reason: 'unverifiable', meetingId: parsed.meetingId }
  }
  if (!await signatureOk(key, signedText(parsed.meetingId, parsed.window), parsed.sig))
    return { ok: false, reason: 'forged', meetingId: parsed.meetingId }
  if (meetingId && parsed.meetingId !== meetingId)
    return { ok: false, reason: 'wrongMeeting', meetingId: parsed.meetingId }
  return { ...timeVerdict(parsed.window, nowMs), meetingId: parsed.meetingId }
}

/**
 * THE organizer-side check of a member's personal code (反向扫码): signed by that member's key
 * (`keyOf` null: not a member this organizer may check in — another branch or group), and
 * current on the organizer's clock.
 */
export async function verifyPersonalToken(text: string, keyOf: (memberId: string) => Promise<CryptoKey | null>, nowMs: number): Promise<TokenVerdict & { memberId?: string } | { ok: false, reason: 'unknownMember', memberId: string }> {
  const parsed = parsePersonal(text)
  if (!parsed)
    return { ok: false, reason: 'malformed' }
  const key = await keyOf(parsed.memberId)
  if (!key)
    return { ok: false, reason: 'unknownMember', memberId: parsed.memberId }
  if (!await signatureOk(key, personalText(parsed.memberId, parsed.window), parsed.sig))
    return { ok: false, reason: 'forged', memberId: parsed.memberId }
  return { ...timeVerdict(parsed.window, nowMs), memberId: parsed.memberId }
}
