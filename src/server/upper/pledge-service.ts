import type { EvaluateBody, EvaluateResponse, Pledge } from '#shared/pledges/schemas'
import type { Db } from '../db/database'
import type { UpperActor } from './repository'
import { todayIn } from '#shared/pledges/status'
import { failure, forbidden, notFound } from '../errors'
import { recordEvaluation } from '../pledges/evaluation'
import { loadPledges, pledgeOfBranch } from '../pledges/views'
import { branchOf } from './repository'

/*
 * 支部向上级党组织承诺 (issue 14 point 4): a branch drafts and publishes its own pledge and records
 * its 践诺 exactly as it always has (owner 'branch'); when the branch belongs to an upper
 * organization, that organization reads the pledge with its progress and gives the 评诺. It sees
 * only branch pledges — members' and groups' pledges stay the branch's business.
 */

async function ownBranch(db: Db, actor: UpperActor, branchId: string): Promise<void> {
  if (!await branchOf(db, actor.upperOrgId, branchId))
    throw notFound('branch')
}

/** The branch's pledges to the organization that were approved or published, newest year first. */
export async function branchPledges(db: Db, actor: UpperActor, branchId: string): Promise<Pledge[]> {
  await ownBranch(db, actor, branchId)
  return loadPledges(db, eb => eb.and([
    eb('pledge.branch_id', '=', branchId),
    eb('pledge.owner_kind', '=', 'branch'),
    eb('pledge.status', 'in', ['approved', 'published']),
  ]))
}

/** 评诺 of a branch's pledge by its upper organization: each item once, on a published pledge. */
export async function evaluateBranchPledge(db: Db, actor: UpperActor, branchId: string, pledgeId: string, body: EvaluateBody): Promise<EvaluateResponse> {
  await ownBranch(db, actor, branchId)
  return db.transaction().execute(async (trx) => {
    const pledge = await pledgeOfBranch(trx, branchId, pledgeId)
    if (pledge.ownerKind !== 'branch')
      throw forbidden('BRANCH_PLEDGE_ONLY')
    if (pledge.status !== 'published')
      throw failure(409, 'PLEDGE_NOT_PUBLISHED')
    return recordEvaluation(trx, { id: actor.id, branchId }, pledge, body, todayIn())
  })
}
