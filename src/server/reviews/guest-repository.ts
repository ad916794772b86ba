import type { CommentStatus } from '#shared/reviews/guest'
import type { BallotRating } from '#shared/reviews/rules'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { ReviewSessionTable } from '../db/reviews.table'

type Conn = Db | Transaction<Database>

/*
 * All SQL of the 讲评 guest link, guest ballots and guest-comment moderation (issue 12 items 2, 4
 * and 7). A guest is never a member: their ballot row names a review_guest row, whose device id
 * is kept only as a hash.
 */

export type GuestSessionRow = Pick<ReviewSessionTable, 'id' | 'branch_id' | 'group_id' | 'title' | 'period' | 'status' | 'guest_cap' | 'guest_code'> & { group_name: string }

function sessionQuery(db: Conn) {
  return db.selectFrom('review_session')
    .innerJoin('branch', 'branch.id', 'review_session.branch_id')
    .leftJoin('party_group', 'party_group.id', 'review_session.group_id')
    .select(['review_session.id', 'review_session.branch_id', 'review_session.group_id', 'review_session.title', 'review_session.period', 'review_session.status', 'review_session.guest_cap', 'review_session.guest_code'])
    // A branch-wide session is the branch's: it is named by the branch.
    .select(eb => eb.fn.coalesce('party_group.name', 'branch.name').as('group_name'))
}

/** The session a guest link's code opens, if any link has that code now. */
export async function sessionByCode(db: Conn, code: string): Promise<GuestSessionRow | undefined> {
  return sessionQuery(db).where('review_session.guest_code', '=', code).executeTakeFirst()
}

/** A session of the branch, for its organizer. */
export async function sessionOfBranch(db: Conn, branchId: string, id: string): Promise<GuestSessionRow | undefined> {
  return sessionQuery(db).where('review_session.id', '=', id).where('review_session.branch_id', '=', branchId).executeTakeFirst()
}

/**
 * Takes the session row's lock for the rest of the transaction (PostgreSQL: a no-op update locks
 * the row; SQLite: the write makes the transaction the only writer), so two guests cannot both take
 * the last place under the cap. Answers the row as it is under the lock.
 */
export async function lockSession(trx: Transaction<Database>, id: string): Promise<Pick<ReviewSessionTable, 'status' | 'guest_cap' | 'guest_code'> | undefined> {
  await trx.updateTable('review_session').set(eb => ({ guest_cap: eb.ref('guest_cap') })).where('id', '=', id).execute()
  return trx.selectFrom('review_session').select(['status', 'guest_cap', 'guest_code']).where('id', '=', id).executeTakeFirst()
}

/** Who may be rated in a session: the group's active members (the branch's for a branch-wide session), with their 陈述 if written. */
export async function sessionRatees(db: Conn, session: Pick<GuestSessionRow, 'id' | 'branch_id' | 'group_id'>) {
  let q = db.selectFrom('member')
    .leftJoin('review_statement', join => join.onRef('review_statement.member_id', '=', 'member.id').on('review_statement.session_id', '=', session.id))
    .select(['member.id', 'member.name', 'review_statement.participation', 'review_statement.pledges', 'review_statement.improvement', 'review_statement.id as statement_id'])
    .where('member.branch_id', '=', session.branch_id)
    .where('member.active', '=', 1)
  if (session.group_id !== null)
    q = q.where('member.group_id', '=', session.group_id)
  return q.execute()
}

export async function countGuests(db: Conn, sessionId: string): Promise<number> {
  const row = await db.selectFrom('review_guest').select(eb => eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function guestOfDevice(db: Conn, sessionId: string, deviceHash: string): Promise<string | undefined> {
  return (await db.selectFrom('review_guest').select('id').where('session_id', '=', sessionId).where('device_hash', '=', deviceHash).executeTakeFirst())?.id
}

export interface NewGuestBallot {
  guestId: string
  ballotId: string
  sessionId: string
  branchId: string
  deviceHash: string
  name: string
  relation: Database['review_guest']['relation']
  ratings: readonly (BallotRating & { scores: Record<'study' | 'excel' | 'serve' | 'discipline' | 'uphold', number> })[]
  now: string
}

/** The guest, their ballot and one rating per member rated. A comment waits for the organizer (pending); a rating without one has nothing to wait for. */
export async function insertGuestBallot(trx: Transaction<Database>, b: NewGuestBallot): Promise<void> {
  await trx.insertInto('review_guest').values({ id: b.guestId, session_id: b.sessionId, branch_id: b.branchId, device_hash: b.deviceHash, name: b.name, relation: b.relation, created_at: b.now }).execute()
  await trx.insertInto('review_ballot').values({ id: b.ballotId, session_id: b.sessionId, branch_id: b.branchId, rater_kind: 'guest', rater_member_id: null, guest_id: b.guestId, created_at: b.now, updated_at: b.now }).execute()
  await trx.insertInto('review_rating').values(b.ratings.map((r) => {
    const comment = (r.comment ?? '').trim()
    return {
      ballot_id: b.ballotId,
      session_id: b.sessionId,
      branch_id: b.branchId,
      ratee_id: r.rateeId,
      rater_kind: 'guest' as const,
      ...r.scores,
      comment,
      comment_status: comment ? 'pending' as const : 'approved' as const,
    }
  })).execute()
}

export async function setGuestLink(trx: Transaction<Database>, id: string, cap: number, code: string | null, now: string): Promise<void> {
  await trx.updateTable('review_session').set({ guest_cap: cap, guest_code: code, updated_at: now }).where('id', '=', id).execute()
}

export async function countPendingComments(db: Conn, sessionId: string): Promise<number> {
  const row = await db.selectFrom('review_rating').select(eb => eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).where('rater_kind', '=', 'guest').where('comment_status', '=', 'pending').where('comment', '<>', '').executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Guests' comments of a session in one status, oldest first (the order they were written in). */
export async function listGuestComments(db: Conn, sessionId: string, status: CommentStatus) {
  return db.selectFrom('review_rating')
    .innerJoin('review_ballot', 'review_ballot.id', 'review_rating.ballot_id')
    .innerJoin('review_guest', 'review_guest.id', 'review_ballot.guest_id')
    .innerJoin('member', 'member.id', 'review_rating.ratee_id')
    .select(['review_rating.ballot_id', 'review_rating.ratee_id', 'member.name as ratee_name', 'review_rating.comment', 'review_rating.comment_status', 'review_guest.name as guest_name', 'review_guest.relation', 'review_ballot.created_at'])
    .where('review_rating.session_id', '=', sessionId)
    .where('review_rating.rater_kind', '=', 'guest')
    .where('review_rating.comment_status', '=', status)
    .where('review_rating.comment', '<>', '')
    .orderBy('review_ballot.created_at')
    .orderBy('review_rating.ballot_id')
    .limit(1000)
    .execute()
}

/** A guest's comment on one member, if there is one. */
export async function findGuestComment(db: Conn, sessionId: string, ballotId: string, rateeId: string) {
  return db.selectFrom('review_rating').select(['comment', 'comment_status']).where('session_id', '=', sessionId).where('ballot_id', '=', ballotId).where('ratee_id', '=', rateeId).where('rater_kind', '=', 'guest').where('comment', '<>', '').executeTakeFirst()
}

/** Decides a pending comment; false when it was no longer pending (someone decided first). */
export async function decideGuestComment(trx: Transaction<Database>, ballotId: string, rateeId: string, status: 'approved' | 'rejected'): Promise<boolean> {
  const res = await trx.updateTable('review_rating').set({ comment_status: status }).where('ballot_id', '=', ballotId).where('ratee_id', '=', rateeId).where('comment_status', '=', 'pending').executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}
