import type { BallotSecret } from './schema'
import { getDb, inTx } from '.'

/** 32 random bytes in base64url: 43 characters, inside the op's secret pattern and length. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * The member's ballot secret for one appraisal: read, or made and kept in the same transaction, so
 * two quick saves can never file the ballot under two secrets (the second would be refused as
 * 已投票).
 */
export async function ballotSecret(owner: string, appraisalId: string): Promise<string> {
  const tx = (await getDb()).transaction('ballotSecrets', 'readwrite')
  return inTx(tx, async () => {
    const found = await tx.store.get([owner, appraisalId])
    if (found)
      return found.secret
    const row: BallotSecret = { owner, appraisalId, secret: newSecret(), createdAt: new Date().toISOString() }
    await tx.store.put(row)
    return row.secret
  })
}

/** The member's ballot as last saved on this phone, or null (never voted here). */
export async function savedBallot(owner: string, appraisalId: string): Promise<{ grades: Record<string, string>, savedAt: string } | null> {
  const row = await (await getDb()).get('ballotSecrets', [owner, appraisalId])
  return row?.grades && row.savedAt ? { grades: row.grades, savedAt: row.savedAt } : null
}

/** Keeps the grades just queued beside the secret they are filed under. */
export async function keepBallot(owner: string, appraisalId: string, grades: Record<string, string>): Promise<void> {
  const tx = (await getDb()).transaction('ballotSecrets', 'readwrite')
  await inTx(tx, async () => {
    const row = await tx.store.get([owner, appraisalId])
    if (row)
      await tx.store.put({ ...row, grades: { ...grades }, savedAt: new Date().toISOString() })
  })
}
