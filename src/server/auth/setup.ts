import type { Db } from '../db/database'
import { SETUP_TOKEN_HOURS } from '#shared/constants'
import { addMs, HOUR, nowIso } from '../util/clock'
import { hashToken, newToken } from '../util/ids'
import { anyUpperAdmin } from '../upper/repository'
import { hasActiveBranchAdmin, insertSetupToken } from './repository'

/**
 * Whether a setup link can no longer be used. The first-start link (`branchId` null) creates a
 * branch: closed once any branch admin exists (and open again should every admin be deactivated)
 * or an upper organization runs this server — its admins make branches and their links instead.
 * A branch's link sets up that branch only: closed once that branch has an active admin.
 */
export async function setupClosed(db: Db, branchId: string | null): Promise<boolean> {
  if (branchId)
    return hasActiveBranchAdmin(db, branchId)
  return await hasActiveBranchAdmin(db) || await anyUpperAdmin(db)
}

/**
 * With no admin yet, issue a fresh one-time setup token (only its hash is stored) for the
 * operator to open. Returns null once an admin exists: nobody can use setup again.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await setupClosed(db, null))
    return null
  const token = newToken()
  await insertSetupToken(db, {
    token_hash: hashToken(token),
    branch_id: null,
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
