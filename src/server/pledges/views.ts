import type { Feedback, Pledge, PledgeDetail, PledgeItem, PledgeQuery, Progress } from '#shared/pledges/schemas'
import type { Expression, ExpressionBuilder, Selectable, SqlBool, Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { PledgeProgressTable } from '../db/pledges.table'
import type { Actor } from '../plugins/auth'
import { liveStatus, todayIn } from '#shared/pledges/status'
import { notFound } from '../errors'
import { photoIdsOf } from '../photos/ids'

type Conn = Db | Transaction<Database>
type Where = (eb: ExpressionBuilder<Database, 'pledge'>) => Expression<SqlBool>

export const PLEDGE_NOT_FOUND = () => notFound('pledge')

/**
 * Which pledges of the branch an actor may read: a branch admin all of them; a group leader
 * their group's, their own and published ones; a member their own and published ones.
 * Anything else is "not found", exactly like an id that does not exist.
 */
export function readableBy(actor: Actor): Where {
  return (eb) => {
    const own = [eb('pledge.member_id', '=', actor.id), eb('pledge.created_by', '=', actor.id), eb('pledge.status', '=', 'published')]
    if (actor.role === 'branch_admin')
      return eb.and([eb('pledge.branch_id', '=', actor.branchId)])
    if (actor.role === 'group_leader' && actor.groupId)
      own.push(eb('pledge.group_id', '=', actor.groupId))
    return eb.and([eb('pledge.branch_id', '=', actor.branchId), eb.or(own)])
  }
}

function filtered(actor: Actor, q: PledgeQuery): Where {
  return (eb) => {
    const conds = [readableBy(actor)(eb)]
    if (q.year !== undefined)
      conds.push(eb('pledge.year', '=', q.year))
    if (q.memberId)
      conds.push(eb('pledge.member_id', '=', q.memberId))
    if (q.groupId)
      conds.push(eb('pledge.group_id', '=', q.groupId))
    if (q.ownerKind)
      conds.push(eb('pledge.owner_kind', '=', q.ownerKind))
    if (q.status)
      conds.push(eb('pledge.status', '=', q.status))
    if (q.mine)
      conds.push(eb.or([eb('pledge.member_id', '=', actor.id), eb('pledge.created_by', '=', actor.id)]))
    return eb.and(conds)
  }
}

function toItem(r: Database['pledge_item']): PledgeItem {
  return {
    id: r.id,
    sort: r.sort,
    category: r.category as PledgeItem['category'],
    duty: r.duty,
    target: r.target,
    dueDate: r.due_date,
    progressStatus: r.progress_status,
    percent: r.percent,
    progressNote: r.progress_note,
    progressAt: r.progress_at,
    result: r.result,
    resultComment: r.result_comment,
    excused: r.excused === 1,
    pointsRuleKey: r.points_rule_key,
    pointsAmount: r.points_amount,
    evaluatedAt: r.evaluated_at,
  }
}

/** Pledges matching `where`, newest period first, each with its items in order. */
export async function loadPledges(db: Conn, where: Where, today = todayIn()): Promise<Pledge[]> {
  const rows = await db.selectFrom('pledge')
    .innerJoin('branch', 'branch.id', 'pledge.branch_id')
    .leftJoin('member', 'member.id', 'pledge.member_id')
    .leftJoin('party_group', 'party_group.id', 'pledge.group_id')
    .selectAll('pledge')
    .select(['branch.name as branch_name', 'member.name as member_name', 'party_group.name as group_name'])
    .where(where)
    .orderBy('pledge.year', 'desc')
    .orderBy('pledge.created_at', 'desc')
    .orderBy('pledge.id')
    .execute()
  if (rows.length === 0)
    return []
  const items = await db.selectFrom('pledge_item').selectAll().where('pledge_id', 'in', rows.map(r => r.id)).orderBy('pledge_id').orderBy('sort').execute()
  const byPledge = new Map<string, PledgeItem[]>()
  for (const i of items)
    byPledge.set(i.pledge_id, [...(byPledge.get(i.pledge_id) ?? []), toItem(i)])
  return rows.map((r) => {
    const pledgeItems = byPledge.get(r.id) ?? []
    const ownerName = r.owner_kind === 'member' ? r.member_name ?? '' : r.owner_kind === 'group' ? r.group_name ?? '' : r.branch_name
    return {
      id: r.id,
      ownerKind: r.owner_kind,
      ownerName,
      memberId: r.member_id,
      groupId: r.group_id,
      groupName: r.group_name ?? null,
      year: r.year,
      stage: r.stage,
      supervisor: r.supervisor,
      supervisorContact: r.supervisor_contact,
      status: r.status,
      returnReason: r.return_reason,
      liveStatus: liveStatus(pledgeItems, today),
      createdBy: r.created_by,
      submittedAt: r.submitted_at,
      reviewedAt: r.reviewed_at,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      items: pledgeItems,
    }
  })
}

export async function listPledges(db: Conn, actor: Actor, q: PledgeQuery): Promise<Pledge[]> {
  const all = await loadPledges(db, filtered(actor, q))
  return q.liveStatus ? all.filter(p => p.liveStatus === q.liveStatus) : all
}

/** One pledge the actor may read, or 404. */
export async function requirePledge(db: Conn, actor: Actor, id: string): Promise<Pledge> {
  const [pledge] = await loadPledges(db, eb => eb.and([readableBy(actor)(eb), eb('pledge.id', '=', id)]))
  if (!pledge)
    throw PLEDGE_NOT_FOUND()
  return pledge
}

/** Any pledge of the branch by id, whoever asks (for writes that check permission themselves). */
export async function pledgeOfBranch(db: Conn, branchId: string, id: string): Promise<Pledge> {
  const [pledge] = await loadPledges(db, eb => eb.and([eb('pledge.branch_id', '=', branchId), eb('pledge.id', '=', id)]))
  if (!pledge)
    throw PLEDGE_NOT_FOUND()
  return pledge
}

export function toProgress(r: Selectable<PledgeProgressTable>): Progress {
  return { id: r.id, itemId: r.item_id, status: r.status, percent: r.percent, note: r.note, recordedBy: r.recorded_by, clientTime: r.client_time, createdAt: r.created_at, photoIds: photoIdsOf(r.photo_ids) }
}

/** Pledges with their progress logs and feedback: the archive. Organizers see pending feedback too. */
export async function withDetails(db: Conn, actor: Actor, pledges: Pledge[]): Promise<PledgeDetail[]> {
  if (pledges.length === 0)
    return []
  const ids = pledges.map(p => p.id)
  const progress = await db.selectFrom('pledge_progress').selectAll().where('pledge_id', 'in', ids).orderBy('created_at').orderBy('id').execute()
  let fq = db.selectFrom('pledge_feedback').selectAll().where('pledge_id', 'in', ids).orderBy('created_at')
  if (actor.role !== 'branch_admin')
    fq = fq.where('status', '=', 'approved')
  const feedback = await fq.execute()
  return pledges.map(p => ({
    ...p,
    progress: progress.filter(r => r.pledge_id === p.id).map(toProgress),
    feedback: feedback.filter(f => f.pledge_id === p.id).map((f): Feedback => ({ id: f.id, pledgeId: f.pledge_id, name: f.name, text: f.text, status: f.status, createdAt: f.created_at })),
  }))
}

/** Whether a pledge id is taken anywhere (a phone-made id may not reuse another branch's). */
export async function pledgeIdTaken(db: Conn, id: string): Promise<boolean> {
  return !!await db.selectFrom('pledge').select('id').where('id', '=', id).executeTakeFirst()
}

/** Who last reviewed and who published a pledge, by name: what a refused decision tells the organizer. */
export async function pledgeDeciders(db: Conn, id: string): Promise<{ reviewer: string | null, publisher: string | null }> {
  const row = await db.selectFrom('pledge')
    .leftJoin('member as reviewer', 'reviewer.id', 'pledge.reviewed_by')
    .leftJoin('member as publisher', 'publisher.id', 'pledge.published_by')
    .select(['reviewer.name as reviewer', 'publisher.name as publisher'])
    .where('pledge.id', '=', id)
    .executeTakeFirst()
  return { reviewer: row?.reviewer ?? null, publisher: row?.publisher ?? null }
}

/** Who evaluated which of these items (evaluated ones only), by name: what a refused 评诺 tells the organizer. */
export async function itemEvaluators(db: Conn, itemIds: string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0)
    return new Map()
  const rows = await db.selectFrom('pledge_item')
    .leftJoin('member', 'member.id', 'pledge_item.evaluated_by')
    .select(['pledge_item.id', 'member.name'])
    .where('pledge_item.id', 'in', itemIds)
    .where('pledge_item.result', 'is not', null)
    .execute()
  return new Map(rows.map(r => [r.id, r.name ?? '']))
}
