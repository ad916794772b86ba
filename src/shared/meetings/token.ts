import { CHECKIN } from './constants'

/**
 * The rotating check-in token (DESIGN §2). The organizer's device holds the meeting's key (an HMAC
 * of the server secret and the meeting id) and signs the current 10-second window with it, so the
 * screen keeps producing fresh codes with no network. The QR text is
 * `xf1:<meetingId>:<window>:<first 16 bytes of the signature, base64url>`; the 6-digit code comes
 * from later bytes of the same HMAC. Works with WebCrypto in browsers and in Node ≥ 20.
 */
export const TOKEN_PREFIX = 'xf1'
export const SIG_BYTES = 16

export interface ParsedToken {
  meetingId: string
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

/** What is signed for one window of one meeting. */
export function signedText(meetingId: string, window: number): string {
  return `${TOKEN_PREFIX}:${meetingId}:${window}`
}

export function parseToken(text: string): ParsedToken | null {
  const match = /^xf1:([0-9a-f-]{36}):(\d{1,12}):([\w-]{22})$/i.exec(text.trim())
  if (!match)
    return null
  return { meetingId: match[1]!.toLowerCase(), window: Number(match[2]), sig: match[3]! }
}

export function formatToken(meetingId: string, window: number, mac: Uint8Array): string {
  return `${signedText(meetingId, window)}:${toBase64Url(mac.subarray(0, SIG_BYTES))}`
}

/** The 6-digit code: a 32-bit number from bytes 16–19 of the HMAC, modulo 10^6 (as HOTP does). */
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

/** Imports the meeting key (base64url, as the server hands it to organizers) for signing. */
export async function importMeetingKey(keyB64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64Url(keyB64) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

export interface ShownCode {
  window: number
  token: string
  code: string
}

/** The QR text and numeric code the 签到 screen shows for one window. */
export async function codeForWindow(key: CryptoKey, meetingId: string, window: number): Promise<ShownCode> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signedText(meetingId, window))))
  return { window, token: formatToken(meetingId, window, mac), code: codeFromMac(mac) }
}
