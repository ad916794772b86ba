import type { Pledge, PledgeCreateBody, PledgeItemBody, PledgeUpdateBody } from '#shared/pledges/schemas'
import type { ReviewMove } from '#shared/pledges/status'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { Actor } from '../plugins/auth'
import { PLEDGE_ENTITY } from '#shared/pledges/ops'
import { dueDateProblem, isAuthor, isEditable, mayDraft, mayMove, mayReview, PLEDGE_MOVES } from '#shared/pledges/status'
import { writeAudit } from '../audit/writer'
import { failure, forbidden, refusal } from '../errors'
import { requireGroup } from '../org/service'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { pledgeOfBranch } from './views'

type Trx = Transaction<Database>

/** The phone of the pledge's owner (or of whoever wrote a group/branch pledge) pulls it. */
export async function recordPledge(trx: Trx, branchId: string, pledge: Pledge): Promise<void> {
  await recordChange(trx, {
    entity: PLEDGE_ENTITY.pledge,
    entityId: pledge.id,
    branchId,
    memberId: pledge.memberId ?? pledge.createdBy,
    op: 'upsert',
    data: pledge,
  })
}

/**
 * Who may write (draft, edit, submit) a pledge for an owner: every member their own; a group
 * leader their own group's; a branch admin the branch's and any group's.
 */
async function checkMayDraft(trx: Trx, actor: Actor, body: PledgeCreateBody): Promise<{ memberId: string | null, groupId: string | null }> {
  if (body.ownerKind === 'member')
    return { memberId: actor.id, groupId: actor.groupId }
  if (body.ownerKind === 'branch') {
    if (!mayDraft(actor, 'branch', null))
      throw forbidden('PLEDGE_BRANCH_ADMIN_ONLY')
    return { memberId: null, groupId: null }
  }
  if (!body.groupId)
    throw failure(400, 'GROUP_REQUIRED')
  const group = await requireGroup(trx, actor, body.groupId)
  if (!mayDraft(actor, 'group', group.id))
    throw forbidden('PLEDGE_GROUP_WRITERS_ONLY')
  return { memberId: null, groupId: group.id }
}

function checkDates(items: PledgeItemBody[], year: number): void {
  for (const item of items) {
    const problem = dueDateProblem(item.dueDate, year)
    if (problem === 'invalid')
      throw failure(400, 'INVALID_DATE', { date: item.dueDate })
    if (problem === 'out_of_period')
      throw failure(400, 'DUE_DATE_OUT_OF_PERIOD', { date: item.dueDate, year })
  }
}

async function writeItems(trx: Trx, pledgeId: string, branchId: string, items: PledgeItemBody[]): Promise<void> {
  await trx.deleteFrom('pledge_item').where('pledge_id', '=', pledgeId).execute()
  await trx.insertInto('pledge_item').values(items.map((item, sort) => ({
    id: newId(),
    pledge_id: pledgeId,
    branch_id: branchId,
    sort,
    category: item.category,
    duty: item.duty.trim(),
    target: item.target.trim(),
    due_date: item.dueDate,
    progress_status: 'not_started' as const,
    percent: 0,
    progress_note: '',
    progress_at: null,
    result: null,
    result_comment: '',
    excused: 0,
    points_rule_key: null,
    points_amount: null,
    evaluated_by: null,
    evaluated_at: null,
  }))).execute()
}

/** A new draft; the phone makes its id (pledge.save), the REST route lets the server make one. */
export async function createPledge(trx: Trx, actor: Actor, body: PledgeCreateBody, id: string = newId()): Promise<Pledge> {
  checkDates(body.items, body.year)
  const owner = await checkMayDraft(trx, actor, body)
  const now = nowIso()
  await trx.insertInto('pledge').values({
    id,
    branch_id: actor.branchId,
    owner_kind: body.ownerKind,
    member_id: owner.memberId,
    group_id: owner.groupId,
    year: body.year,
    stage: body.stage?.trim() || null,
    supervisor: body.supervisor.trim(),
    supervisor_contact: body.supervisorContact.trim(),
    status: 'draft',
    return_reason: null,
    created_by: actor.id,
    submitted_at: null,
    reviewed_by: null,
    reviewed_at: null,
    published_by: null,
    published_at: null,
    created_at: now,
    updated_at: now,
  }).execute()
  await writeItems(trx, id, actor.branchId, body.items)
  await writeAudit(trx, actor, { action: 'pledge.create', entity: 'pledge', entityId: id, data: { ownerKind: body.ownerKind, year: body.year, items: body.items.length } })
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  await recordPledge(trx, actor.branchId, pledge)
  return pledge
}

/** Only its author changes a pledge, and only while it is a draft or returned. */
async function authorsOpenPledge(trx: Trx, actor: Actor, id: string): Promise<Pledge> {
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  if (!isAuthor(pledge, actor.id))
    throw forbidden('PLEDGE_NOT_WRITER')
  if (!isEditable(pledge.status))
    throw failure(409, 'PLEDGE_LOCKED')
  return pledge
}

export async function updatePledge(trx: Trx, actor: Actor, id: string, body: PledgeUpdateBody): Promise<Pledge> {
  checkDates(body.items, body.year)
  await authorsOpenPledge(trx, actor, id)
  await trx.updateTable('pledge').set({
    year: body.year,
    stage: body.stage?.trim() || null,
    supervisor: body.supervisor.trim(),
    supervisor_contact: body.supervisorContact.trim(),
    updated_at: nowIso(),
  }).where('id', '=', id).execute()
  await writeItems(trx, id, actor.branchId, body.items)
  await writeAudit(trx, actor, { action: 'pledge.update', entity: 'pledge', entityId: id, data: { items: body.items.length } })
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  await recordPledge(trx, actor.branchId, pledge)
  return pledge
}

/** Submitting is the shared move 'submit' from draft or returned; only the author submits. */
export async function submitPledge(trx: Trx, actor: Actor, id: string): Promise<Pledge> {
  await authorsOpenPledge(trx, actor, id)
  const now = nowIso()
  await trx.updateTable('pledge').set({ status: 'submitted', submitted_at: now, updated_at: now }).where('id', '=', id).execute()
  await writeAudit(trx, actor, { action: 'pledge.submit', entity: 'pledge', entityId: id, data: {} })
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  await recordPledge(trx, actor.branchId, pledge)
  return pledge
}

/** Why a move is refused; which status allows which move is the shared rule (PLEDGE_MOVES). */
const WRONG_STATUS = {
  approve: 'PLEDGE_APPROVE_SUBMITTED_ONLY',
  return: 'PLEDGE_RETURN_UNPUBLISHED_ONLY',
  publish: 'PLEDGE_PUBLISH_APPROVED_ONLY',
} as const satisfies Record<ReviewMove, string>

/** The branch's review: approve, return with a reason, publish. Branch admins only. */
export async function reviewPledge(trx: Trx, actor: Actor, id: string, move: ReviewMove, reason?: string): Promise<Pledge> {
  if (!mayReview(actor.role))
    throw forbidden()
  const before = await pledgeOfBranch(trx, actor.branchId, id)
  const to = PLEDGE_MOVES[move].to
  const wrongStatus = () => refusal(409, 'PLEDGE_WRONG_STATUS', WRONG_STATUS[move])
  if (!mayMove(before.status, move))
    throw wrongStatus()
  const now = nowIso()
  const changed = await trx.updateTable('pledge').set({
    status: to,
    updated_at: now,
    ...(move === 'publish' ? { published_by: actor.id, published_at: now } : { reviewed_by: actor.id, reviewed_at: now }),
    ...(move === 'return' ? { return_reason: reason?.trim() ?? '' } : {}),
    ...(move === 'approve' ? { return_reason: null } : {}),
  }).where('id', '=', id).where('status', '=', before.status).executeTakeFirst()
  if (Number(changed.numUpdatedRows) !== 1)
    throw wrongStatus()
  await writeAudit(trx, actor, { action: `pledge.${move}`, entity: 'pledge', entityId: id, data: { from: before.status, to, ...(reason ? { reason } : {}) } })
  const pledge = await pledgeOfBranch(trx, actor.branchId, id)
  await recordPledge(trx, actor.branchId, pledge)
  return pledge
}
