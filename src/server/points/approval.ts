import type { RuleContent } from '#shared/points/default-rules'
import type { Entry, ReturnBody, Veto, VetoBody } from '#shared/points/schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { HttpError } from '../errors'
import type { Actor } from '../plugins/auth'
import { RETURN_REASON_ZH } from '#shared/points/categories'
import { ENTRY_REJECT, POINTS_ENTITY } from '#shared/points/ops'
import { clipToCap, clipToFloor, isCalendarDate, localDate, monthOf, needsBranchAdmin, periodOf, yearOf } from '#shared/points/periods'
import { failure, forbidden, notFound, refusal } from '../errors'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { isOrganizerOver, loadMember } from './access'
import { audit } from './audit'
import { addEvent, loadEntry, publishEntry } from './entries'
import { loadVersion } from './rules'
import { baseFor } from './settings'

type Conn = Db | Transaction<Database>

const ownEntry = () => refusal(403, 'OWN_ENTRY', 'OWN_ENTRY_REVIEW')

/**
 * Serializes point writes per member: approvals check caps and the floor against what was
 * granted before, so two organizers approving at once must not both see the old sum. A no-op
 * UPDATE takes the member row's lock on PostgreSQL (SQLite already runs one writer at a time).
 */
export async function lockMember(trx: Transaction<Database>, memberId: string): Promise<void> {
  await trx.updateTable('member').set(eb => ({ updated_at: eb.ref('updated_at') })).where('id', '=', memberId).execute()
}

export async function ledgerSum(trx: Conn, memberId: string, where: { year?: number, ruleId?: string, from?: string, to?: string }): Promise<number> {
  let q = trx.selectFrom('point_ledger').select(eb => eb.fn.sum<number>('amount').as('s')).where('member_id', '=', memberId)
  if (where.year !== undefined)
    q = q.where('year', '=', where.year)
  if (where.ruleId !== undefined)
    q = q.where('rule_id', '=', where.ruleId)
  if (where.from !== undefined)
    q = q.where('date', '>=', where.from)
  if (where.to !== undefined)
    q = q.where('date', '<=', where.to)
  const { s } = await q.executeTakeFirstOrThrow()
  return Number(s ?? 0)
}

/** A pending entry as the organizer saw it when deciding (the op path): its revision. */
export interface Seen { revision: number }

type EntryTableRow = Awaited<ReturnType<typeof pendingRow>>
const pendingRow = (trx: Transaction<Database>, id: string) => trx.selectFrom('point_entry').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Who decided, or null when the record names nobody the branch still has (the words then say less). */
async function nameOf(trx: Transaction<Database>, memberId: string | null): Promise<string | null> {
  const row = memberId ? await trx.selectFrom('member').select('name').where('id', '=', memberId).executeTakeFirst() : undefined
  return row?.name ?? null
}

/**
 * What happened to an entry that is no longer waiting for this organizer, in words naming who did
 * it: the organizer decided on what they saw, and must not overwrite someone else's decision.
 */
async function notPending(trx: Transaction<Database>, e: EntryTableRow): Promise<HttpError> {
  const taken = (reason: 'ENTRY_APPROVED_BY' | 'ENTRY_RETURNED_BY' | 'ENTRY_REVOKED_BY', name: string | null) =>
    name ? refusal(409, ENTRY_REJECT.notPending, reason, { name }) : failure(409, ENTRY_REJECT.notPending)
  if (e.status === 'approved')
    return taken('ENTRY_APPROVED_BY', await nameOf(trx, e.reviewed_by))
  if (e.status === 'returned')
    return taken('ENTRY_RETURNED_BY', await nameOf(trx, e.reviewed_by))
  if (e.status === 'revoked') {
    const ev = await trx.selectFrom('point_entry_event').select('actor_id').where('entry_id', '=', e.id).where('action', '=', 'revoked').orderBy('created_at', 'desc').executeTakeFirst()
    return taken('ENTRY_REVOKED_BY', await nameOf(trx, ev?.actor_id ?? null))
  }
  return failure(409, ENTRY_REJECT.notPending)
}

/**
 * Whether the organizer's decision is already the entry's state, made by them on the revision they
 * saw (the same decision sent again from a second phone): answered with the entry, nothing written.
 */
function alreadyDone(e: EntryTableRow, actor: Actor, seen: Seen | undefined, decision: 'approve' | 'return'): boolean {
  if (!seen || e.revision !== seen.revision)
    return false
  if (decision === 'return')
    return e.status === 'returned' && e.reviewed_by === actor.id
  if (e.status === 'approved')
    return e.reviewed_by === actor.id
  return e.status === 'pending' && e.stage === 'branch' && actor.role !== 'branch_admin' && e.group_approved_by === actor.id
}

/**
 * The one gate of 审核 for the REST routes and the ops alike: the entry exists in the actor's branch,
 * is not their own, is the actor's to decide (their group, or the branch level), and still waits —
 * at the revision the organizer saw, when they say which (`seen`, the op path).
 * Returns null when `seen` shows the same decision was already made by this organizer.
 */
async function loadPending(trx: Transaction<Database>, actor: Actor, id: string, decision: 'approve' | 'return', seen?: Seen) {
  const entry = await trx.selectFrom('point_entry').selectAll().where('id', '=', id).executeTakeFirst()
  if (!entry || entry.branch_id !== actor.branchId)
    throw notFound('entry')
  await lockMember(trx, entry.member_id)
  const fresh = await pendingRow(trx, id)
  if (fresh.member_id === actor.id)
    throw ownEntry()
  const member = await loadMember(trx, fresh.member_id)
  if (!member || !isOrganizerOver(actor, member))
    throw forbidden('ENTRY_NOT_OWN_GROUP')
  if (alreadyDone(fresh, actor, seen, decision))
    return null
  if (fresh.status !== 'pending')
    throw await notPending(trx, fresh)
  if (seen && fresh.revision !== seen.revision)
    throw failure(409, ENTRY_REJECT.changed, { name: member.name })
  if (fresh.stage === 'branch' && actor.role !== 'branch_admin') {
    if (fresh.group_approved_by) {
      const name = await nameOf(trx, fresh.group_approved_by)
      throw name ? forbidden('ENTRY_GROUP_APPROVED_BY', { name }) : forbidden('ENTRY_NEEDS_BRANCH')
    }
    throw forbidden('ENTRY_NEEDS_BRANCH')
  }
  return fresh
}

/** What an entry's points become once its cap (for the period of its date) or the year's floor of 0 applies. */
async function applyLimits(trx: Transaction<Database>, e: { points: number, date: string, year: number, member_id: string, rule_id: string | null, branch_id: string }, content: RuleContent | null) {
  if (e.points > 0 && content?.capPoints && content.capPeriod && e.rule_id) {
    const { from, to } = periodOf(content.capPeriod, e.date)
    return clipToCap(e.points, content.capPoints, await ledgerSum(trx, e.member_id, { ruleId: e.rule_id, from, to }))
  }
  if (e.points < 0) {
    const total = (await baseFor(trx, e.branch_id, e.year)) + await ledgerSum(trx, e.member_id, { year: e.year })
    return clipToFloor(e.points, total)
  }
  return { granted: e.points, clipped: 0 }
}

/** Where an entry's ledger rows stand: its member, year, month, date, category and rule. */
function ledgerPlace(e: Pick<EntryTableRow, 'id' | 'branch_id' | 'member_id' | 'year' | 'date' | 'category' | 'rule_id'>) {
  return { branch_id: e.branch_id, member_id: e.member_id, year: e.year, month: monthOf(e.date), date: e.date, category: e.category, rule_id: e.rule_id, entry_id: e.id }
}

/**
 * Writes the ledger row for an entry: a grant clipped to its cap in the period of the entry's
 * date, a deduction clipped so the year never goes below 0. Marks the entry approved.
 */
export async function grant(trx: Transaction<Database>, actor: Pick<Actor, 'id'>, entryId: string): Promise<Entry> {
  const e = await trx.selectFrom('point_entry').selectAll().where('id', '=', entryId).executeTakeFirstOrThrow()
  const content = e.rule_version_id ? (await loadVersion(trx, e.rule_version_id)).content : null
  const { granted, clipped } = await applyLimits(trx, e, content)
  const now = nowIso()
  await trx.insertInto('point_ledger').values({
    id: newId(),
    ...ledgerPlace(e),
    kind: e.points < 0 ? 'deduction' : 'grant',
    amount: granted,
    requested: e.points,
    clipped,
    reason: e.rule_name,
    reverses_id: null,
    actor_id: actor.id,
    created_at: now,
  }).execute()
  await trx.updateTable('point_entry').set({ status: 'approved', stage: null, granted, clipped, reviewed_by: actor.id, reviewed_at: now, updated_at: now }).where('id', '=', e.id).execute()
  await addEvent(trx, e.id, actor.id, 'approved', { granted, clipped })
  await audit(trx, { branchId: e.branch_id, actorId: actor.id, action: 'points.approve', entity: POINTS_ENTITY.entry, entityId: e.id, data: { memberId: e.member_id, points: e.points, granted, clipped } })
  return publishEntry(trx, e.id)
}

/**
 * 审核通过, for the REST route and the `entry.approve` op alike. The group leader's approval moves
 * an entry that also needs the branch on; anyone else's completes it.
 */
export async function approveEntry(trx: Transaction<Database>, actor: Actor, id: string, seen?: Seen): Promise<Entry> {
  const e = await loadPending(trx, actor, id, 'approve', seen)
  if (!e)
    return (await loadEntry(trx, id))!
  const approval = e.rule_version_id ? (await loadVersion(trx, e.rule_version_id)).content.approval : 'branch'
  if (e.stage === 'group' && actor.role !== 'branch_admin' && needsBranchAdmin(approval, e.points)) {
    const now = nowIso()
    await trx.updateTable('point_entry').set({ stage: 'branch', group_approved_by: actor.id, group_approved_at: now, updated_at: now }).where('id', '=', id).execute()
    await addEvent(trx, id, actor.id, 'approved_group', {})
    await audit(trx, { branchId: e.branch_id, actorId: actor.id, action: 'points.approve_group', entity: POINTS_ENTITY.entry, entityId: id, data: { memberId: e.member_id } })
    return publishEntry(trx, id)
  }
  return grant(trx, actor, id)
}

/** 退回 with a standard reason, for the REST route and the `entry.return` op alike. */
export async function returnEntry(trx: Transaction<Database>, actor: Actor, id: string, body: ReturnBody, seen?: Seen): Promise<Entry> {
  const text = body.text?.trim() ?? ''
  if (body.reason === 'other' && !text)
    throw failure(400, 'RETURN_REASON_TEXT')
  const e = await loadPending(trx, actor, id, 'return', seen)
  if (!e)
    return (await loadEntry(trx, id))!
  const reason = text ? `${RETURN_REASON_ZH[body.reason]}：${text}` : RETURN_REASON_ZH[body.reason]
  const now = nowIso()
  await trx.updateTable('point_entry').set({ status: 'returned', stage: null, return_code: body.reason, return_reason: reason, reviewed_by: actor.id, reviewed_at: now, updated_at: now }).where('id', '=', id).execute()
  await addEvent(trx, id, actor.id, 'returned', { reason: body.reason, text })
  await audit(trx, { branchId: e.branch_id, actorId: actor.id, action: 'points.return', entity: POINTS_ENTITY.entry, entityId: id, data: { memberId: e.member_id, reason } })
  return publishEntry(trx, id)
}

/** A correction never edits the ledger: it appends a reversing row and marks the entry revoked. */
export async function revokeEntry(trx: Transaction<Database>, actor: Actor, id: string, reason: string): Promise<Entry> {
  const e = await trx.selectFrom('point_entry').selectAll().where('id', '=', id).executeTakeFirst()
  if (!e || e.branch_id !== actor.branchId)
    throw notFound('entry')
  await lockMember(trx, e.member_id)
  if (e.status !== 'approved')
    throw failure(409, 'ENTRY_NOT_APPROVED')
  const rows = await trx.selectFrom('point_ledger').select(['id', 'amount']).where('entry_id', '=', id).execute()
  const net = rows.reduce((s, r) => s + r.amount, 0)
  const original = rows.find(r => r.amount !== 0) ?? rows[0]
  const now = nowIso()
  await trx.insertInto('point_ledger').values({
    id: newId(),
    ...ledgerPlace(e),
    kind: 'reversal',
    amount: -net,
    requested: -net,
    clipped: 0,
    reason: reason.trim(),
    reverses_id: original?.id ?? null,
    actor_id: actor.id,
    created_at: now,
  }).execute()
  await trx.updateTable('point_entry').set({ status: 'revoked', updated_at: now }).where('id', '=', id).execute()
  await addEvent(trx, id, actor.id, 'revoked', { reason, amount: -net })
  await audit(trx, { branchId: e.branch_id, actorId: actor.id, action: 'points.revoke', entity: POINTS_ENTITY.entry, entityId: id, data: { memberId: e.member_id, amount: -net, reason } })
  return publishEntry(trx, id)
}

function toVeto(r: { id: string, member_id: string, year: number, decision: string, decided_on: string, reason: string, created_at: string, revoked_at: string | null }): Veto {
  return { id: r.id, memberId: r.member_id, year: r.year, decision: r.decision, decidedOn: r.decided_on, reason: r.reason, createdAt: r.created_at, revokedAt: r.revoked_at }
}

/** 一票否决: the 支委会's decision, recorded; the member's year total shows 0 while it stands. */
export async function recordVeto(trx: Transaction<Database>, actor: Actor, body: VetoBody): Promise<Veto> {
  const member = await loadMember(trx, body.memberId)
  if (!member || member.branchId !== actor.branchId)
    throw notFound('member')
  const today = localDate(new Date())
  if (!isCalendarDate(body.decidedOn) || body.decidedOn > today)
    throw failure(400, 'VETO_DATE')
  if (body.year > yearOf(today))
    throw failure(400, 'VETO_YEAR')
  await lockMember(trx, member.id)
  // A second standing decision for the same year would change nothing but make revoking one ambiguous.
  if (await activeVeto(trx, member.id, body.year))
    throw failure(409, 'VETO_EXISTS', { name: member.name, year: body.year })
  const row = { id: newId(), branch_id: actor.branchId, member_id: member.id, year: body.year, decision: body.decision.trim(), decided_on: body.decidedOn, reason: body.reason.trim(), created_by: actor.id, created_at: nowIso(), revoked_at: null, revoked_by: null, revoke_reason: null }
  await trx.insertInto('point_veto').values(row).execute()
  const veto = toVeto(row)
  await audit(trx, { branchId: actor.branchId, actorId: actor.id, action: 'points.veto', entity: POINTS_ENTITY.veto, entityId: row.id, data: body })
  await recordChange(trx, { entity: POINTS_ENTITY.veto, entityId: row.id, branchId: actor.branchId, memberId: member.id, op: 'upsert', data: veto })
  return veto
}

export async function revokeVeto(trx: Transaction<Database>, actor: Actor, id: string, reason: string): Promise<Veto> {
  const row = await trx.selectFrom('point_veto').selectAll().where('id', '=', id).where('branch_id', '=', actor.branchId).executeTakeFirst()
  if (!row)
    throw notFound('veto')
  if (row.revoked_at)
    throw failure(409, 'VETO_REVOKED')
  const now = nowIso()
  await trx.updateTable('point_veto').set({ revoked_at: now, revoked_by: actor.id, revoke_reason: reason.trim() }).where('id', '=', id).execute()
  const veto = toVeto({ ...row, revoked_at: now })
  await audit(trx, { branchId: actor.branchId, actorId: actor.id, action: 'points.veto_revoke', entity: POINTS_ENTITY.veto, entityId: id, data: { memberId: row.member_id, reason } })
  await recordChange(trx, { entity: POINTS_ENTITY.veto, entityId: id, branchId: actor.branchId, memberId: row.member_id, op: 'upsert', data: veto })
  return veto
}

export async function activeVeto(db: Conn, memberId: string, year: number) {
  return db.selectFrom('point_veto').select(['id', 'decision', 'decided_on', 'reason']).where('member_id', '=', memberId).where('year', '=', year).where('revoked_at', 'is', null).orderBy('created_at').executeTakeFirst()
}
