import type { Db } from '../db/database'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { attachBranch, findUpperOrgByName, insertUpperAdmin, insertUpperOrg, orphanBranches } from './repository'

/**
 * The first upper admin is made from the command line (scripts/upper-admin.ts), never through the
 * API: nobody on the network can make themselves one. The organization is found by name or made.
 */
export async function createUpperAdmin(db: Db, input: { orgName: string, name: string, login: string, passwordHash: string, attach: boolean }): Promise<{ upperOrgId: string, attached: number }> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso()
    let upperOrgId = (await findUpperOrgByName(trx, input.orgName))?.id
    if (!upperOrgId) {
      upperOrgId = newId()
      await insertUpperOrg(trx, { id: upperOrgId, name: input.orgName, created_at: now })
    }
    await insertUpperAdmin(trx, { id: newId(), upper_org_id: upperOrgId, name: input.name, login: input.login, password_hash: input.passwordHash, created_at: now })
    let attached = 0
    if (input.attach) {
      for (const b of await orphanBranches(trx)) {
        await attachBranch(trx, b.id, upperOrgId)
        attached++
      }
    }
    return { upperOrgId, attached }
  })
}
