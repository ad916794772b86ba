import type { Board, FeedbackBody } from '#shared/pledges/schemas'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { HttpError } from '../errors'
import type { Actor } from '../plugins/auth'
import { randomBytes } from 'node:crypto'
import { PLEDGE_LIMITS as L } from '#shared/pledges/constants'
import { writeAudit } from '../audit/writer'
import { hitRateLimit } from '../auth/rate-limit'
import { boardHonours } from '../commendations/service'
import { failure, notFound, refusal } from '../errors'
import { nowIso } from '../util/clock'
import { hashToken, newId } from '../util/ids'
import { loadPledges } from './views'

const BOARD_NOT_FOUND = () => notFound('board')

/** The branch's board slug, made once (96 random bits) and never changed, so printed QR codes keep working. */
export async function boardSlug(db: Db, branchId: string): Promise<string> {
  const existing = await db.selectFrom('pledge_board').select('slug').where('branch_id', '=', branchId).executeTakeFirst()
  if (existing)
    return existing.slug
  await db.insertInto('pledge_board').values({ branch_id: branchId, slug: randomBytes(12).toString('base64url'), created_at: nowIso() }).onConflict(oc => oc.column('branch_id').doNothing()).execute()
  return (await db.selectFrom('pledge_board').select('slug').where('branch_id', '=', branchId).executeTakeFirstOrThrow()).slug
}

async function branchOfSlug(db: Db, slug: string) {
  const row = await db.selectFrom('pledge_board').innerJoin('branch', 'branch.id', 'pledge_board.branch_id').select(['branch.id', 'branch.name']).where('pledge_board.slug', '=', slug).executeTakeFirst()
  if (!row)
    throw BOARD_NOT_FOUND()
  return row
}

/**
 * The public board: published pledges only, and of each only the name, group, period,
 * supervision, items with their progress and result, and approved feedback. The response
 * schema (additionalProperties: false) drops anything else a later change might add here.
 */
export async function loadBoard(db: Db, slug: string): Promise<Board> {
  const branch = await branchOfSlug(db, slug)
  const pledges = await loadPledges(db, eb => eb.and([eb('pledge.branch_id', '=', branch.id), eb('pledge.status', '=', 'published')]))
  const ids = pledges.map(p => p.id)
  const feedback = ids.length === 0
    ? []
    : await db.selectFrom('pledge_feedback').select(['pledge_id', 'name', 'text', 'created_at']).where('pledge_id', 'in', ids).where('status', '=', 'approved').orderBy('created_at').execute()
  return {
    branchName: branch.name,
    honours: await boardHonours(db, branch.id),
    pledges: pledges.map(p => ({
      id: p.id,
      ownerKind: p.ownerKind,
      ownerName: p.ownerName,
      groupName: p.groupName,
      year: p.year,
      stage: p.stage,
      supervisor: p.supervisor,
      supervisorContact: p.supervisorContact,
      liveStatus: p.liveStatus,
      publishedAt: p.publishedAt,
      items: p.items.map(i => ({ category: i.category, duty: i.duty, target: i.target, dueDate: i.dueDate, progressStatus: i.progressStatus, percent: i.percent, progressAt: i.progressAt, result: i.result })),
      feedback: feedback.filter(f => f.pledge_id === p.id).map(f => ({ name: f.name, text: f.text, createdAt: f.created_at })),
    })),
  }
}

function tooMany(retryAfterSeconds: number): HttpError {
  // Worded in whole minutes, as the board's windows are.
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  return refusal(429, 'RATE_LIMITED', 'FEEDBACK_TOO_MANY', { wait: minutes * 60 })
}

/**
 * Public supervision feedback: stored as pending until the branch approves it. Limited per
 * address and per board (the database counter, shared by every server instance); the address
 * itself is kept only as a hash inside the limiter's key.
 */
export async function addFeedback(db: Db, slug: string, ip: string, body: FeedbackBody, setRetryAfter: (s: number) => void): Promise<void> {
  const branch = await branchOfSlug(db, slug)
  const pledge = await db.selectFrom('pledge').select('id').where('id', '=', body.pledgeId).where('branch_id', '=', branch.id).where('status', '=', 'published').executeTakeFirst()
  if (!pledge)
    throw notFound('pledge')
  await limitFeedback(db, branch.id, ip, setRetryAfter)
  await db.insertInto('pledge_feedback').values({
    id: newId(),
    branch_id: branch.id,
    pledge_id: pledge.id,
    name: (body.name ?? '').trim(),
    text: body.text.trim(),
    status: 'pending',
    created_at: nowIso(),
    moderated_by: null,
    moderated_at: null,
  }).execute()
}

/** The board's public branch for a slug (表彰公示 feedback shares the board and its limits). */
export async function boardBranch(db: Db, slug: string): Promise<{ id: string, name: string }> {
  return branchOfSlug(db, slug)
}

/** The board's limits on public feedback (pledges and 表彰公示 alike): per address and per board. */
export async function limitFeedback(db: Db, branchId: string, ip: string, setRetryAfter: (s: number) => void): Promise<void> {
  for (const [key, limit, windowMs] of [
    [`board:ip:${hashToken(ip)}`, L.feedbackPerAddress, L.feedbackPerAddressWindowMs],
    [`board:slug:${branchId}`, L.feedbackPerBoard, L.feedbackPerBoardWindowMs],
  ] as const) {
    const { allowed, retryAfterSeconds } = await hitRateLimit(db, key, limit, windowMs)
    if (!allowed) {
      setRetryAfter(retryAfterSeconds)
      throw tooMany(retryAfterSeconds)
    }
  }
}

/** Pending (or other) feedback of the branch for the moderation screen. */
export async function listFeedback(db: Db, actor: Actor, status: 'pending' | 'approved' | 'rejected') {
  const rows = await db.selectFrom('pledge_feedback')
    .innerJoin('pledge', 'pledge.id', 'pledge_feedback.pledge_id')
    .innerJoin('branch', 'branch.id', 'pledge.branch_id')
    .leftJoin('member', 'member.id', 'pledge.member_id')
    .leftJoin('party_group', 'party_group.id', 'pledge.group_id')
    .select(['pledge_feedback.id', 'pledge_feedback.pledge_id', 'pledge_feedback.name', 'pledge_feedback.text', 'pledge_feedback.status', 'pledge_feedback.created_at', 'pledge.owner_kind', 'member.name as member_name', 'party_group.name as group_name', 'branch.name as branch_name'])
    .where('pledge_feedback.branch_id', '=', actor.branchId)
    .where('pledge_feedback.status', '=', status)
    .orderBy('pledge_feedback.created_at', 'desc')
    .limit(500)
    .execute()
  return rows.map(r => ({
    id: r.id,
    pledgeId: r.pledge_id,
    name: r.name,
    text: r.text,
    status: r.status,
    createdAt: r.created_at,
    ownerName: r.owner_kind === 'member' ? r.member_name ?? '' : r.owner_kind === 'group' ? r.group_name ?? '' : r.branch_name,
  }))
}

/** A branch admin lets a visitor's message onto the public board, or keeps it off; once only. */
export async function moderateFeedback(trx: Transaction<Database>, actor: Actor, id: string, decision: 'approve' | 'reject'): Promise<void> {
  const row = await trx.selectFrom('pledge_feedback').select(['id', 'status']).where('id', '=', id).where('branch_id', '=', actor.branchId).executeTakeFirst()
  if (!row)
    throw notFound('feedback')
  if (row.status !== 'pending')
    throw failure(409, 'FEEDBACK_MODERATED')
  await trx.updateTable('pledge_feedback').set({ status: decision === 'approve' ? 'approved' : 'rejected', moderated_by: actor.id, moderated_at: nowIso() }).where('id', '=', row.id).execute()
  await writeAudit(trx, actor, { action: `pledge.feedback.${decision}`, entity: 'pledge_feedback', entityId: row.id, data: {} })
}
