import type { Category, EntryStatus } from '#shared/points/categories'
import type { Entry, Summary } from '#shared/points/schemas'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { POINTS } from '#shared/points/categories'
import { yearTotal } from '#shared/points/periods'
import { summarize } from '#shared/points/score'
import { failure } from '../errors'
import { entrySelect, toEntry } from './entries'
import { getSettings, yearBasesOf } from './settings'

/**
 * This year's score, computed by the shared rule the member's phone runs on its pulled copies of
 * the same records (entries, vetoes, settings, year bases): #shared/points/score.
 */
export async function summary(db: Db, branchId: string, memberId: string, year: number): Promise<Summary> {
  const [entries, vetoes, settings, yearBases] = await Promise.all([
    db.selectFrom('point_entry').select(['date', 'category', 'status', 'points', 'granted']).where('member_id', '=', memberId).where('year', '=', year).execute(),
    db.selectFrom('point_veto').select(['id', 'year', 'decision', 'decided_on', 'reason', 'created_at', 'revoked_at']).where('member_id', '=', memberId).where('year', '=', year).execute(),
    getSettings(db, branchId),
    yearBasesOf(db, branchId, year),
  ])
  const score = summarize(year, {
    entries: entries.map(e => ({ ...e, category: e.category as Category, status: e.status as EntryStatus })),
    vetoes: vetoes.map(v => ({ id: v.id, year: v.year, decision: v.decision, decidedOn: v.decided_on, reason: v.reason, createdAt: v.created_at, revokedAt: v.revoked_at })),
    settings,
    yearBases,
  })
  return {
    memberId,
    year,
    ...score,
    rank: settings.ranking ? await rankOf(db, branchId, memberId, year, score.base) : null,
  }
}

/** Every active member's year total in the branch (one grouped query), for ranking and summaries. */
export async function branchTotals(db: Db, branchId: string, year: number, base: number): Promise<Map<string, number>> {
  const [members, sums, vetoes] = await Promise.all([
    db.selectFrom('member').select('id').where('branch_id', '=', branchId).where('active', '=', 1).execute(),
    db.selectFrom('point_ledger').select(['member_id', eb => eb.fn.sum<number>('amount').as('s')]).where('branch_id', '=', branchId).where('year', '=', year).groupBy('member_id').execute(),
    db.selectFrom('point_veto').select('member_id').where('branch_id', '=', branchId).where('year', '=', year).where('revoked_at', 'is', null).execute(),
  ])
  const sumOf = new Map(sums.map(s => [s.member_id, Number(s.s)]))
  const vetoed = new Set(vetoes.map(v => v.member_id))
  return new Map(members.map(m => [m.id, yearTotal(base, sumOf.get(m.id) ?? 0, vetoed.has(m.id))]))
}

async function rankOf(db: Db, branchId: string, memberId: string, year: number, base: number) {
  const totals = await branchTotals(db, branchId, year, base)
  const mine = totals.get(memberId)
  if (mine === undefined)
    return null
  let above = 0
  for (const t of totals.values()) {
    if (t > mine)
      above++
  }
  return { position: above + 1, of: totals.size }
}

function encodeCursor(e: Entry): string {
  return Buffer.from(JSON.stringify([e.date, e.createdAt, e.id])).toString('base64url')
}

function decodeCursor(after: string): [string, string, string] {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString()) as unknown
    if (Array.isArray(v) && v.length === 3 && v.every(x => typeof x === 'string'))
      return v as [string, string, string]
  }
  catch {}
  throw failure(400, 'CURSOR')
}

/** The member's entries, newest first, paged by (date, created_at, id) so deep pages stay as fast as the first. */
export async function timeline(db: Db, memberId: string, opts: { year?: number, status?: EntryStatus, after?: string, limit?: number }) {
  const limit = opts.limit ?? POINTS.historyPage
  let q = entrySelect(db).where('e.member_id', '=', memberId)
  if (opts.year !== undefined)
    q = q.where('e.date', '>=', `${opts.year}-01-01`).where('e.date', '<=', `${opts.year}-12-31`)
  if (opts.status)
    q = q.where('e.status', '=', opts.status)
  if (opts.after) {
    const [date, createdAt, id] = decodeCursor(opts.after)
    q = q.where(eb => eb.or([
      eb('e.date', '<', date),
      eb.and([eb('e.date', '=', date), eb.or([eb('e.created_at', '<', createdAt), eb.and([eb('e.created_at', '=', createdAt), eb('e.id', '<', id)])])]),
    ]))
  }
  const rows = await q.orderBy('e.date', 'desc').orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).execute()
  const items = rows.slice(0, limit).map(toEntry)
  return { items, next: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null }
}

/** What waits for this organizer: a group leader the group-level entries of their group, a branch admin the branch level (or a given stage). */
export async function approvalQueue(db: Db, actor: Actor, opts: { stage?: 'group' | 'branch', limit?: number }) {
  let q = entrySelect(db)
    .where('e.branch_id', '=', actor.branchId)
    .where('e.status', '=', 'pending')
    .where('e.member_id', '!=', actor.id)
  if (actor.role === 'branch_admin') {
    q = q.where('e.stage', '=', opts.stage ?? 'branch')
  }
  else {
    if (opts.stage === 'branch' || actor.groupId === null)
      return { items: [], total: 0 }
    q = q.where('e.stage', '=', 'group').where('m.group_id', '=', actor.groupId)
  }
  const rows = await q.orderBy('e.date').orderBy('e.created_at').limit(opts.limit ?? POINTS.approvalPageMax).execute()
  const { n } = await q.clearSelect().clearOrderBy().clearLimit().select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { items: rows.map(toEntry), total: Number(n) }
}

/** The branch's audit trail of points (who, when, why), newest first. */
export async function auditTrail(db: Db, branchId: string, opts: { memberId?: string, before?: string, limit?: number }) {
  const limit = opts.limit ?? 50
  let q = db.selectFrom('audit_log as a')
    .leftJoin('member as m', 'm.id', 'a.actor_id')
    .select(['a.id', 'a.created_at', 'a.action', 'a.entity', 'a.entity_id', 'a.data', 'm.name'])
    .where('a.branch_id', '=', branchId)
    .where('a.action', 'like', 'points.%')
  if (opts.memberId)
    q = q.where('a.data', 'like', `%"memberId":"${opts.memberId}"%`)
  if (opts.before) {
    const [at, id] = opts.before.split('|')
    q = q.where(eb => eb.or([eb('a.created_at', '<', at ?? ''), eb.and([eb('a.created_at', '=', at ?? ''), eb('a.id', '<', id ?? '')])]))
  }
  const rows = await q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute()
  const items = rows.slice(0, limit).map(r => ({ id: r.id, at: r.created_at, actorName: r.name, action: r.action, entity: r.entity, entityId: r.entity_id, data: JSON.parse(r.data) as unknown }))
  const last = items[items.length - 1]
  return { items, next: rows.length > limit && last ? `${last.at}|${last.id}` : null }
}
