import type { Category, EntryStatus, Stage } from '#shared/points/categories'
import type { Entry } from '#shared/points/schemas'
import type { Insertable, Selectable, Transaction } from 'kysely'
import type { Columns } from '../db/bulk'
import type { Database, Db } from '../db/database'
import type { PointEntryEventTable, PointEntryTable } from '../db/points.table'
import { POINTS_ENTITY } from '#shared/points/ops'
import { yearOf } from '#shared/points/periods'
import { CompiledQuery } from 'kysely'
import { insertRows, isPostgres, oneOf, oneOfValues } from '../db/bulk'
import { photoIdsOf } from '../photos/ids'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'

type Conn = Db | Transaction<Database>

export type EntryRow = Selectable<PointEntryTable> & { member_name: string, reviewer_name: string | null }

export function entrySelect(db: Conn) {
  return db.selectFrom('point_entry as e')
    .innerJoin('member as m', 'm.id', 'e.member_id')
    .leftJoin('member as r', 'r.id', 'e.reviewed_by')
    .selectAll('e')
    .select(['m.name as member_name', 'r.name as reviewer_name'])
}

export function toEntry(r: EntryRow): Entry {
  return {
    id: r.id,
    memberId: r.member_id,
    memberName: r.member_name,
    ruleId: r.rule_id,
    ruleVersionId: r.rule_version_id,
    ruleName: r.rule_name,
    category: r.category as Category,
    variant: r.variant,
    date: r.date,
    note: r.note,
    points: r.points,
    granted: r.granted,
    clipped: r.clipped,
    status: r.status as EntryStatus,
    stage: r.stage as Stage | null,
    source: r.source,
    revision: r.revision,
    reviewerName: r.reviewer_name,
    returnCode: r.return_code,
    returnReason: r.return_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    photoIds: photoIdsOf(r.photo_ids),
  }
}

/**
 * Stores a new entry drafted by the shared rules (#shared/points/entry), as the phone shows it.
 * `groupApprovedBy`: a group leader's own 加分/扣分 counts as the group's approval.
 */
export async function insertEntry(trx: Transaction<Database>, e: Entry, by: EntryAuthor): Promise<void> {
  await insertEntries(trx, [e], by)
}

interface EntryAuthor { branchId: string, createdBy: string, groupApprovedBy?: string }

const T = 'text'
const I = 'integer'
const ENTRY_COLUMNS: Columns<Insertable<PointEntryTable>> = { id: T, branch_id: T, member_id: T, rule_id: T, rule_version_id: T, category: T, rule_name: T, variant: T, date: T, year: I, note: T, points: I, granted: I, clipped: I, status: T, stage: T, source: T, revision: I, group_approved_by: T, group_approved_at: T, reviewed_by: T, reviewed_at: T, return_code: T, return_reason: T, created_by: T, created_at: T, updated_at: T, photo_ids: T }

/**
 * Several new entries by one author in one statement (a run of 记积分 ops, see ops.ts), as ready
 * SQL text (db/bulk.ts): Kysely's builder spent more CPU on a run's 500 rows than SQLite did.
 */
export async function insertEntries(trx: Transaction<Database>, entries: Entry[], by: EntryAuthor): Promise<void> {
  if (entries.length === 0)
    return
  await insertRows(trx, 'point_entry', ENTRY_COLUMNS, entries.map(e => ({
    id: e.id,
    branch_id: by.branchId,
    member_id: e.memberId,
    rule_id: e.ruleId,
    rule_version_id: e.ruleVersionId,
    category: e.category,
    rule_name: e.ruleName,
    variant: e.variant,
    date: e.date,
    year: yearOf(e.date),
    note: e.note,
    points: e.points,
    granted: e.granted,
    clipped: e.clipped,
    status: e.status,
    stage: e.stage,
    source: e.source as PointEntryTable['source'],
    revision: e.revision,
    group_approved_by: by.groupApprovedBy ?? null,
    group_approved_at: by.groupApprovedBy ? e.createdAt : null,
    reviewed_by: null,
    reviewed_at: null,
    return_code: e.returnCode,
    return_reason: e.returnReason,
    created_by: by.createdBy,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    photo_ids: JSON.stringify(e.photoIds ?? []),
  })), { unnest: true })
}

/** Whether any of these entry ids is already used. */
export async function entryIdsTaken(trx: Transaction<Database>, ids: string[]): Promise<boolean> {
  const postgres = isPostgres(trx)
  const text = `select id from point_entry where ${oneOf(postgres, 'id')} limit 1`
  return (await trx.executeQuery(CompiledQuery.raw(text, [oneOfValues(postgres, ids)]))).rows.length > 0
}

export async function loadEntry(db: Conn, id: string): Promise<Entry | undefined> {
  const row = await entrySelect(db).where('e.id', '=', id).executeTakeFirst()
  return row && toEntry(row)
}

export async function addEvent(trx: Transaction<Database>, entryId: string, actorId: string | null, action: string, data: unknown = {}): Promise<void> {
  await addEvents(trx, [{ entryId, actorId, action, data }])
}

const EVENT_COLUMNS: Columns<Insertable<PointEntryEventTable>> = { id: T, entry_id: T, actor_id: T, action: T, data: T, created_at: T }

export async function addEvents(trx: Transaction<Database>, events: { entryId: string, actorId: string | null, action: string, data?: unknown }[]): Promise<void> {
  if (events.length === 0)
    return
  const at = nowIso()
  await insertRows(trx, 'point_entry_event', EVENT_COLUMNS, events.map(e => ({ id: newId(), entry_id: e.entryId, actor_id: e.actorId, action: e.action, data: JSON.stringify(e.data ?? {}), created_at: at })), { unnest: true })
}

/** Reloads the entry as members see it and records it in the change log so the owner's phones pull it. */
export async function publishEntry(trx: Transaction<Database>, id: string): Promise<Entry> {
  return (await publishEntries(trx, [id]))[0]!
}

/**
 * Records entries just inserted as they were given (drafted by the shared rules, exactly the
 * columns insertEntries wrote), in the order given, without reading them back: a run of 记积分
 * ops spent a tenth of its time re-reading what it had just written. The same entity and change
 * as publishEntries would give (tests/server/points/entries.test.ts holds them side by side).
 */
export async function publishNewEntries(trx: Transaction<Database>, entries: readonly Entry[], branchId: string): Promise<Entry[]> {
  for (const entry of entries)
    await recordChange(trx, { entity: POINTS_ENTITY.entry, entityId: entry.id, branchId, memberId: entry.memberId, op: 'upsert', data: entry })
  return [...entries]
}

/** publishEntry for several entries: read in one query, logged in the order given. */
export async function publishEntries(trx: Transaction<Database>, ids: string[]): Promise<Entry[]> {
  const rows = new Map((await entrySelect(trx).where('e.id', 'in', ids).execute()).map(r => [r.id, r]))
  const entries: Entry[] = []
  for (const id of ids) {
    const row = rows.get(id)
    if (!row)
      throw new Error(`entry ${id} vanished`)
    const entry = toEntry(row)
    await recordChange(trx, { entity: POINTS_ENTITY.entry, entityId: id, branchId: row.branch_id, memberId: entry.memberId, op: 'upsert', data: entry })
    entries.push(entry)
  }
  return entries
}

export async function entryEvents(db: Conn, entryId: string) {
  const rows = await db.selectFrom('point_entry_event as ev')
    .leftJoin('member as a', 'a.id', 'ev.actor_id')
    .select(['ev.created_at', 'ev.action', 'ev.data', 'a.name'])
    .where('ev.entry_id', '=', entryId)
    .orderBy('ev.created_at')
    .orderBy('ev.id')
    .execute()
  return rows.map(r => ({ at: r.created_at, actorName: r.name, action: r.action, data: JSON.parse(r.data) as unknown }))
}
