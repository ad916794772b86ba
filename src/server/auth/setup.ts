import type { Db } from '../db/database'
import { SETUP_TOKEN_HOURS } from '#shared/constants'
import { addMs, HOUR, nowIso } from '../util/clock'
import { hashToken, newToken } from '../util/ids'

export async function hasBranchAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('member').select('id').where('role', '=', 'branch_admin').where('active', '=', 1).limit(1).executeTakeFirst()
  return Boolean(row)
}

/**
 * With no admin yet, issue a fresh one-time setup token (only its hash is stored) for the
 * operator to open. Returns null once an admin exists: nobody can use setup again.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await hasBranchAdmin(db))
    return null
  const token = newToken()
  await db.insertInto('setup_token').values({
    token_hash: hashToken(token),
    created_at: nowIso(),
    expires_at: addMs(SETUP_TOKEN_HOURS * HOUR),
    used_at: null,
  }).execute()
  return token
}

export function setupUrl(origin: string, token: string): string {
  // The token travels in the fragment, which browsers never send to the server or put in logs.
  return `${origin}/setup#${token}`
}
