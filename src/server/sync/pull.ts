import type { PullResponse } from '#shared/sync/protocol'
import type { ExpressionBuilder } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { randomUUID } from 'node:crypto'

const EPOCH_KEY = 'sync_epoch'
/** Set when old change-log rows are pruned: cursors below it must start over. */
export const FLOOR_KEY = 'change_log_floor'

type Scope = Pick<Actor, 'id' | 'branchId' | 'groupId' | 'role'>

/**
 * Which change-log rows a member may pull: their branch's branch-wide rows, their own rows, and
 * the group-scoped rows of their 党小组 (a branch admin: of every group). For meetings this must
 * say what the shared rule meetingVisibleTo (#shared/meetings/rules) says, which the server's
 * list and GET /api/meetings/:id use (the creator is the row's member_id);
 * tests/server/meetings/visibility.test.ts runs both over random meetings and viewers.
 * The pull itself reads the same rows through indexed arms (changesAfter); this stays the rule
 * they are tested against (tests/server/sync/pull-index.test.ts). Organizers will see their
 * group's or branch's member rows too: widen this function and changesAfter together.
 */
export function visibleTo(actor: Scope) {
  return (eb: ExpressionBuilder<Database, 'change_log'>) => {
    const groupRows = actor.role === 'branch_admin'
      ? [eb('group_id', 'is not', null)]
      : actor.groupId ? [eb('group_id', '=', actor.groupId)] : []
    return eb.and([
      eb('branch_id', '=', actor.branchId),
      eb.or([
        eb('member_id', '=', actor.id),
        eb.and([eb('member_id', 'is', null), eb('group_id', 'is', null)]),
        ...groupRows,
      ]),
    ])
  }
}

/**
 * The seq of the change that last altered what the member may pull (group, role). A cursor is
 * tagged with it: one made while the member saw another group (moved, or no longer a branch
 * admin) holds that group's meetings and lacks the new group's, so it is answered with reset and
 * the phone starts over from this member's view. The group and role themselves are the actor's,
 * read with the session on this very request.
 */
async function scopeSeqOf(db: Db, actor: Actor): Promise<number> {
  const row = await db.selectFrom('member').select('scope_seq').where('id', '=', actor.id).executeTakeFirst()
  return row?.scope_seq ?? 0
}

/** A random id of this database, made once: a cursor from another database (or a restore) is recognised and reset. */
export async function syncEpoch(db: Db): Promise<string> {
  const row = await db.selectFrom('server_state').select('value').where('key', '=', EPOCH_KEY).executeTakeFirst()
  if (row)
    return row.value
  await db.insertInto('server_state').values({ key: EPOCH_KEY, value: randomUUID().slice(0, 8) }).onConflict(oc => oc.column('key').doNothing()).execute()
  return (await db.selectFrom('server_state').select('value').where('key', '=', EPOCH_KEY).executeTakeFirstOrThrow()).value
}

function parseCursor(since: string | undefined, epoch: string): number | null {
  if (!since)
    return 0
  const match = /^([\w-]+)\.(\d{1,15})$/.exec(since)
  if (!match || match[1] !== epoch)
    return null
  return Number(match[2])
}

async function floorOf(db: Db): Promise<number> {
  const row = await db.selectFrom('server_state').select('value').where('key', '=', FLOOR_KEY).executeTakeFirst()
  return row ? Number(row.value) : 0
}

/**
 * Changes after the cursor, in seq order. The counter is read first: seqs are handed out under
 * the counter row's lock, so they commit in order and every seq up to the value read is either
 * committed or rolled back — none of them can appear later. The cursor may then move to that
 * value even past rows this member does not see, and never past a row still in flight.
 *
 * The floor is read after the rows: housekeeping raises it in the same transaction as it deletes
 * rows below it, so rows read before that commit are whole, and a floor read after it is seen
 * here — a cursor under it is answered with a reset from the start (DESIGN §1, invariant 6).
 * `read` is the rows' query; only tests and bench:pull pass the old one (changesAfterByFilter).
 */
export async function pullChanges(db: Db, actor: Actor, since: string | undefined, limit: number, read: typeof changesAfter = changesAfter): Promise<PullResponse> {
  const scopeSeq = await scopeSeqOf(db, actor)
  const dbEpoch = await syncEpoch(db)
  const epoch = scopeSeq ? `${dbEpoch}-${scopeSeq}` : dbEpoch
  const { seq: head } = await db.selectFrom('sync_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()

  const parsed = parseCursor(since, epoch)
  let from = parsed === null || parsed > head ? 0 : parsed
  let reset = from !== parsed
  let rows = await read(db, actor, from, head, limit)
  if (from > 0 && from < await floorOf(db)) {
    from = 0
    reset = true
    rows = await read(db, actor, from, head, limit)
  }
  const hasMore = rows.length > limit
  const page = hasMore ? rows.slice(0, limit) : rows
  const last = hasMore ? page[page.length - 1]!.seq : head
  return {
    changes: page.map(r => ({ seq: r.seq, entity: r.entity, entityId: r.entity_id, op: r.op, data: JSON.parse(r.data) as unknown })),
    cursor: `${epoch}.${last}`,
    hasMore,
    ...(reset && since ? { reset: true } : {}),
  }
}

const CHANGE_COLUMNS = ['seq', 'entity', 'entity_id', 'op', 'data'] as const

/**
 * The rows of visibleTo after `from`, read without touching anyone else's: three disjoint arms,
 * each a range scan of an index ending in seq (2026_12_03_1810_change_log_scope), merged in seq
 * order — PostgreSQL's Merge Append and SQLite's compound ORDER BY both stop at the limit, so a
 * page reads about `limit` rows however large the branch or the deployment.
 * - branch-wide rows (scope 'branch');
 * - group rows: the member's 党小组 (index on group), a branch admin's: every group (scope 'group');
 * - the member's own rows not already in the group arm (index on member).
 * tests/server/sync/pull-index.test.ts pages random logs through this and the plain filter.
 */
export function changesAfter(db: Db, actor: Scope, from: number, head: number, limit: number) {
  return changesQuery(db, actor, from, head, limit).execute()
}

/** changesAfter's query, not yet run (bench:pull prints its plan). */
export function changesQuery(db: Db, actor: Scope, from: number, head: number, limit: number) {
  const inRange = (q: ReturnType<typeof base>) => q.where('seq', '>', from).where('seq', '<=', head)
  const base = () => db.selectFrom('change_log').select(CHANGE_COLUMNS).where('branch_id', '=', actor.branchId)
  const admin = actor.role === 'branch_admin'
  const groupId = actor.groupId

  let query = inRange(base().where('scope', '=', 'branch'))
  if (admin)
    query = query.unionAll(inRange(base().where('scope', '=', 'group')))
  else if (groupId)
    query = query.unionAll(inRange(base().where('group_id', '=', groupId)))
  const own = inRange(base().where('member_id', '=', actor.id))
  query = query.unionAll(
    admin
      ? own.where('scope', '=', 'member')
      : groupId ? own.where(eb => eb.or([eb('group_id', 'is', null), eb('group_id', '!=', groupId)])) : own,
  )
  return query.orderBy('seq').limit(limit + 1)
}

/** The query pulls ran before the scope indexes (a filter over the whole branch): tests and bench:pull compare against it. */
export function changesAfterByFilter(db: Db, actor: Scope, from: number, head: number, limit: number) {
  return db.selectFrom('change_log')
    .select(CHANGE_COLUMNS)
    .where('seq', '>', from)
    .where('seq', '<=', head)
    .where(visibleTo(actor))
    .orderBy('seq')
    .limit(limit + 1)
    .execute()
}
