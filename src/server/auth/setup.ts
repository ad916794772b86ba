import type { Db } from '../db/database'
import { SETUP_TOKEN_HOURS } from '#shared/constants'
import { addMs, HOUR, nowIso } from '../util/clock'
import { hashToken, newToken } from '../util/ids'
import { hasActiveBranchAdmin, insertSetupToken } from './repository'

/** Setup is open until the first branch admin exists (and again should every admin be deactivated). */
export async function hasBranchAdmin(db: Db): Promise<boolean> {
  return hasActiveBranchAdmin(db)
}

/**
 * With no admin yet, issue a fresh one-time setup token (only its hash is stored) for the
 * operator to open. Returns null once an admin exists: nobody can use setup again.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await hasBranchAdmin(db))
    return null
  const token = newToken()
  await insertSetupToken(db, {
    token_hash: hashToken(token),
    created_at: nowIso(),
    expires_at: addMs(SETUP_TOKEN_HOURS * HOUR),
    used_at: null,
  })
  return token
}

export function setupUrl(origin: string, token: string): string {
  // The token travels in the fragment, which browsers never send to the server or put in logs.
  return `${origin}/setup#${token}`
}
