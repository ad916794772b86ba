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
 * Organizers will see their group's or branch's member rows too: widen this one function
 * (e.g. `member_id in (select id from member where group_id = …)`), nothing else changes.
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
 */
export async function pullChanges(db: Db, actor: Actor, since: string | undefined, limit: number): Promise<PullResponse> {
  const scopeSeq = await scopeSeqOf(db, actor)
  const dbEpoch = await syncEpoch(db)
  const epoch = scopeSeq ? `${dbEpoch}-${scopeSeq}` : dbEpoch
  const { seq: head } = await db.selectFrom('sync_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()

  const parsed = parseCursor(since, epoch)
  let from = parsed === null || parsed > head ? 0 : parsed
  let reset = from !== parsed
  let rows = await changesAfter(db, actor, from, head, limit)
  if (from > 0 && from < await floorOf(db)) {
    from = 0
    reset = true
    rows = await changesAfter(db, actor, from, head, limit)
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

function changesAfter(db: Db, actor: Actor, from: number, head: number, limit: number) {
  return db.selectFrom('change_log')
    .select(['seq', 'entity', 'entity_id', 'op', 'data'])
    .where('seq', '>', from)
    .where('seq', '<=', head)
    .where(visibleTo(actor))
    .orderBy('seq')
    .limit(limit + 1)
    .execute()
}
