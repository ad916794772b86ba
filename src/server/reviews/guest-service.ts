import type { GuestBallotBody, GuestComment, GuestLink, GuestLinkBody, GuestSession } from '#shared/reviews/guest-schemas'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { GuestSessionRow } from './guest-repository'
import { randomBytes } from 'node:crypto'
import { COMMENT_STATUS_ZH, GUEST_LINK } from '#shared/reviews/guest'
import { checkBallot } from '#shared/reviews/rules'
import { writeAudit } from '../audit/writer'
import { hitRateLimit } from '../auth/rate-limit'
import { isUniqueViolation } from '../db/errors'
import { failure, forbidden, notFound, refusal } from '../errors'
import { nowIso } from '../util/clock'
import { hashToken, newId } from '../util/ids'
import { countGuests, countPendingComments, decideGuestComment, findGuestComment, guestOfDevice, insertGuestBallot, listGuestComments, lockSession, sessionByCode, sessionOfBranch, sessionRatees, setGuestLink } from './guest-repository'

const collator = new Intl.Collator('zh-CN')
const linkInvalid = () => failure(404, 'REVIEW_GUEST_LINK_INVALID')
const alreadyRated = () => failure(409, 'REVIEW_GUEST_ALREADY')

/** A link works while it is the session's current code and the organizer has set a cap. */
async function sessionOfLink(db: Db, code: string): Promise<GuestSessionRow> {
  const session = await sessionByCode(db, code)
  if (!session || session.guest_cap < 1)
    throw linkInvalid()
  return session
}

async function rateesOf(db: Db, session: GuestSessionRow) {
  return (await sessionRatees(db, session)).sort((a, b) => collator.compare(a.name, b.name))
}

/**
 * What a guest sees: the session's title, group, period and status, the members' names and 陈述 —
 * nothing else. A closed session's link is over (410): results are the members' own business.
 */
export async function guestSession(db: Db, code: string): Promise<GuestSession> {
  const session = await sessionOfLink(db, code)
  if (session.status === 'closed')
    throw failure(410, 'REVIEW_CLOSED')
  const members = await rateesOf(db, session)
  return {
    title: session.title,
    groupName: session.group_name,
    period: session.period,
    status: session.status,
    members: members.map(m => ({
      id: m.id,
      name: m.name,
      statement: m.statement_id ? { participation: m.participation ?? '', pledges: m.pledges ?? '', improvement: m.improvement ?? '' } : null,
    })),
  }
}

/**
 * A guest's one ballot. Every attempt from an address counts against the flood limit first (the
 * database counter, shared by every instance; the address kept only hashed inside its key); then,
 * under the session row's lock: rating open, this phone not yet counted, a place under the cap,
 * and the ballot itself by the shared checkBallot (raterId null: a guest is never rated).
 */
export async function submitGuestBallot(db: Db, code: string, address: string, body: GuestBallotBody): Promise<{ status: 'accepted', rated: number }> {
  const { allowed, retryAfterSeconds } = await hitRateLimit(db, `review-guest:ip:${hashToken(address)}`, GUEST_LINK.perAddress, GUEST_LINK.perAddressWindowMs)
  if (!allowed)
    throw refusal(429, 'RATE_LIMITED', 'REVIEW_GUEST_TOO_MANY', { wait: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) })
  const session = await sessionOfLink(db, code)
  const ratees = await rateesOf(db, session)
  const deviceHash = hashToken(`${session.id}:${body.deviceId}`)
  try {
    await db.transaction().execute(async (trx) => {
      const now = await lockSession(trx, session.id)
      // Renewed or switched off between the lookup and the lock: the link in the guest's hand is gone.
      if (!now || now.guest_code !== code || now.guest_cap < 1)
        throw linkInvalid()
      // The session's state first: a guest who scanned too early or too late hears that, whatever they filled in.
      if (now.status !== 'rating')
        throw failure(409, now.status === 'closed' ? 'REVIEW_CLOSED' : 'REVIEW_NOT_RATING')
      if (await guestOfDevice(trx, session.id, deviceHash))
        throw alreadyRated()
      if (await countGuests(trx, session.id) >= now.guest_cap)
        throw failure(409, 'REVIEW_GUEST_FULL', { cap: now.guest_cap })
      const problem = checkBallot(now.status, null, new Map(ratees.map(m => [m.id, m.name])), body.ratings)
      if (problem)
        throw failure(400, problem.code, problem.params ?? {})
      await insertGuestBallot(trx, {
        guestId: newId(),
        ballotId: newId(),
        sessionId: session.id,
        branchId: session.branch_id,
        deviceHash,
        name: (body.name ?? '').trim(),
        relation: body.relation,
        ratings: body.ratings,
        now: nowIso(),
      })
    })
  }
  catch (err) {
    // The same phone twice at once: the unique (session, device) index answers for the second.
    if (isUniqueViolation(err))
      throw alreadyRated()
    throw err
  }
  return { status: 'accepted', rated: body.ratings.length }
}

/**
 * The session, if the actor organizes it: a group's leader for their group's session, a branch
 * admin for any of the branch. 404 outside the branch, 403 for another group's leader.
 */
export async function requireGuestOrganizer(db: Db, actor: Actor, id: string): Promise<GuestSessionRow> {
  const session = await sessionOfBranch(db, actor.branchId, id)
  if (!session)
    throw notFound('review')
  const leadsIt = actor.role === 'group_leader' && session.group_id !== null && session.group_id === actor.groupId
  if (actor.role !== 'branch_admin' && !leadsIt)
    throw forbidden('REVIEW_ORGANIZERS_ONLY')
  return session
}

async function linkOf(db: Db, session: GuestSessionRow): Promise<GuestLink> {
  return {
    sessionId: session.id,
    title: session.title,
    groupName: session.group_name,
    period: session.period,
    status: session.status,
    cap: session.guest_cap,
    code: session.guest_cap > 0 ? session.guest_code : null,
    guests: await countGuests(db, session.id),
    pendingComments: await countPendingComments(db, session.id),
  }
}

export async function guestLink(db: Db, actor: Actor, id: string): Promise<GuestLink> {
  return linkOf(db, await requireGuestOrganizer(db, actor, id))
}

/** Sets the cap; makes the link's code the first time, and a new one (the old stops at once) on `renew`. */
export async function updateGuestLink(db: Db, actor: Actor, id: string, body: GuestLinkBody): Promise<GuestLink> {
  const session = await requireGuestOrganizer(db, actor, id)
  if (session.status === 'closed')
    throw failure(409, 'REVIEW_CLOSED')
  const code = !session.guest_code || body.renew ? randomBytes(GUEST_LINK.codeBytes).toString('base64url') : session.guest_code
  await db.transaction().execute(async (trx) => {
    await setGuestLink(trx, session.id, body.cap, code, nowIso())
    await writeAudit(trx, actor, { action: 'review.guest_link', entity: 'review_session', entityId: session.id, data: { cap: body.cap, renewed: code !== session.guest_code } })
  })
  return linkOf(db, { ...session, guest_cap: body.cap, guest_code: code })
}

export async function guestComments(db: Db, actor: Actor, id: string, status: GuestComment['status']): Promise<GuestComment[]> {
  const session = await requireGuestOrganizer(db, actor, id)
  const rows = await listGuestComments(db, session.id, status)
  return rows.map(r => ({ ballotId: r.ballot_id, rateeId: r.ratee_id, rateeName: r.ratee_name, comment: r.comment, status: r.comment_status, guestName: r.guest_name, relation: r.relation, createdAt: r.created_at }))
}

/**
 * Lets a guest's comment through to the member's results, or keeps it out. A comment already
 * decided (by this organizer on another phone, or by another) is refused, never overwritten.
 */
export async function moderateGuestComment(db: Db, actor: Actor, id: string, ballotId: string, rateeId: string, decision: 'approve' | 'reject'): Promise<GuestComment['status']> {
  const session = await requireGuestOrganizer(db, actor, id)
  const status = decision === 'approve' ? 'approved' as const : 'rejected' as const
  await db.transaction().execute(async (trx) => {
    const comment = await findGuestComment(trx, session.id, ballotId, rateeId)
    if (!comment)
      throw notFound('reviewComment')
    if (!await decideGuestComment(trx, ballotId, rateeId, status)) {
      const now = (await findGuestComment(trx, session.id, ballotId, rateeId))?.comment_status ?? comment.comment_status
      throw failure(409, 'REVIEW_COMMENT_MODERATED', { status: COMMENT_STATUS_ZH[now] })
    }
    await writeAudit(trx, actor, { action: `review.comment_${decision}`, entity: 'review_session', entityId: session.id, data: { ballotId, rateeId } })
  })
  return status
}
