import type { Static } from 'typebox'
import type { OpContext, OpHandler } from '../sync/registry'
import type { MeetingSecret } from './keys'
import type { MeetingRow } from './repository'
import { CHECKIN, PRESENT_STATUSES } from '#shared/meetings/constants'
import { CHECKIN_REJECT, checkinCheckout, checkinCreate, checkinScan, leaveRequest } from '#shared/meetings/ops'
import { parsePersonal, parseToken, PHONE_STALE_WINDOWS, windowAt, windowStartMs } from '#shared/meetings/token'
import { opRefusal, opRejection } from '../sync/registry'
import { meetingKey, meetingSignatureMatches, personalSignatureMatches, signatureMatches, windowsWithCode, windowsWithSignedCode } from './keys'
import { activeMember, attendanceRow, canOrganize, inScope, loadMeeting, memberVerifyKey, publishAttendance, setDeparture } from './repository'

type CheckinPayload = Static<typeof checkinCreate.payload>

export interface Verdict {
  status: 'verified' | 'pending'
  method: 'qr' | 'code'
  window: number
  /** null when verified; late, or late_clock when the phone's claimed scan time disagrees with the window. */
  flag: 'late' | 'late_clock' | null
  /** The flag in words for the organizer (Chinese, then English); null when verified. */
  flagReason: string | null
}

/** The keys a meeting's codes are checked with: its Ed25519 pair, and the legacy HMAC key for `xf1` scans queued before issue 15. */
export interface MeetingKeys {
  verifyKey: string | null
  signKey: string | null
  legacy: Buffer
}

/** Finds the window the member's QR or code proves, or refuses with the precise reason. */
function provenWindow(keys: MeetingKeys, meetingId: string, p: CheckinPayload, receivedWindow: number): { window: number, method: 'qr' | 'code' } {
  if (p.token !== undefined) {
    const parsed = parseToken(p.token)
    if (!parsed)
      throw opRejection(CHECKIN_REJECT.malformed)
    if (parsed.meetingId !== meetingId)
      throw opRejection(CHECKIN_REJECT.wrongMeeting)
    const genuine = parsed.version === 1
      ? signatureMatches(keys.legacy, meetingId, parsed.window, parsed.sig)
      : keys.verifyKey !== null && meetingSignatureMatches(keys.verifyKey, meetingId, parsed.window, parsed.sig)
    if (!genuine)
      throw opRejection(CHECKIN_REJECT.forged)
    return { window: parsed.window, method: 'qr' }
  }
  if (p.code !== undefined) {
    const candidates = new Set<number>()
    for (const base of [receivedWindow, p.window ?? receivedWindow]) {
      for (let w = base - CHECKIN.codeWindows; w <= base + 1; w++)
        candidates.add(w)
    }
    // The code of the meeting's signing key; else one shown before issue 15 (HMAC), typed on a phone that synced since.
    let matches = keys.signKey ? windowsWithSignedCode(keys.signKey, meetingId, [...candidates], p.code) : []
    if (matches.length === 0)
      matches = windowsWithCode(keys.legacy, meetingId, [...candidates], p.code)
    if (matches.length === 0)
      throw opRejection(CHECKIN_REJECT.wrongCode)
    // The phone names the window; a match not ahead of the server wins over one that is (a chance collision).
    const notAhead = matches.filter(w => w <= receivedWindow + CHECKIN.futureWindows)
    return { window: Math.max(...(notAhead.length > 0 ? notAhead : matches)), method: 'code' }
  }
  throw opRejection(CHECKIN_REJECT.noToken)
}

const minutes = (ms: number) => Math.max(1, Math.round(Math.abs(ms) / 60_000))

/**
 * Whether the phone's claimed scan time fits the proven window, and the words the organizer reads.
 * A genuine scan is stamped while its code is on the screen: within the window, plus the delay
 * the server would have accepted online (3 windows for a QR, 12 for a typed code), plus the
 * phone clock's allowance (CHECKIN.clockSkewMs) either side. Outside that, the claim and the code
 * disagree: scanned "before" the code existed (a wrong clock, or a code made in advance), or long
 * after it was shown (a photo of the screen scanned later, or a wrong clock).
 */
function lateFlag(method: 'qr' | 'code', windowMs: number, scannedMs: number, receivedMs: number): Pick<Verdict, 'flag' | 'flagReason'> {
  const lagWindows = method === 'qr' ? CHECKIN.freshWindows : CHECKIN.codeWindows
  const earliest = windowMs - CHECKIN.clockSkewMs
  const latest = windowMs + (lagWindows + 1) * CHECKIN.windowMs + CHECKIN.clockSkewMs
  const synced = `离线扫码，${minutes(receivedMs - scannedMs)} 分钟后才同步到服务器`
  const syncedEn = `Scanned offline; reached the server ${minutes(receivedMs - scannedMs)} min later`
  if (scannedMs < earliest) {
    const n = minutes(windowMs - scannedMs)
    return { flag: 'late_clock', flagReason: `${synced}；手机记录的扫码时间比签到码出现早 ${n} 分钟（手机时间不准，或签到码是提前生成的） ${syncedEn}; the phone says it scanned ${n} min before the code was shown (a wrong phone clock, or a code made in advance)` }
  }
  if (scannedMs > latest) {
    const n = minutes(scannedMs - windowMs)
    return { flag: 'late_clock', flagReason: `${synced}；手机记录的扫码时间比签到码出现晚 ${n} 分钟（可能扫的是转发的截图，或手机时间不准） ${syncedEn}; the phone says it scanned ${n} min after the code was shown (a forwarded photo, or a wrong phone clock)` }
  }
  return { flag: 'late', flagReason: `${synced}，扫码时间与签到码相符 ${syncedEn}; the scan time fits the code` }
}

/**
 * Decides a check-in on the server's clock only (OWASP ASVS): the signature, then the window
 * inside the meeting and not ahead of the server, then freshness. A stale window is accepted
 * only as a late sync — the phone says it scanned back then — and waits for an organizer; a stale
 * window the phone claims to have scanned just now is a replayed photo of an old code.
 */
export function verifyCheckin(keys: MeetingKeys, meeting: Pick<MeetingRow, 'id' | 'starts_at' | 'ends_at'>, p: CheckinPayload, receivedAt: string): Verdict {
  const receivedMs = Date.parse(receivedAt)
  const receivedWindow = windowAt(receivedMs)
  const { window, method } = provenWindow(keys, meeting.id, p, receivedWindow)
  const windowMs = windowStartMs(window)
  // Codes exist only once their window has come; one window of grace for a screen whose clock runs fast.
  if (window - receivedWindow > CHECKIN.futureWindows)
    throw opRejection(CHECKIN_REJECT.future)
  if (windowMs < Date.parse(meeting.starts_at) - CHECKIN.graceMs || windowMs > Date.parse(meeting.ends_at) + CHECKIN.graceMs)
    throw opRejection(CHECKIN_REJECT.outsideMeeting)
  const freshWindows = method === 'qr' ? CHECKIN.freshWindows : CHECKIN.codeWindows
  if (receivedWindow - window <= freshWindows)
    return { status: 'verified', method, window, flag: null, flagReason: null }
  const scannedMs = Date.parse(p.scannedAt)
  if (receivedMs - scannedMs <= freshWindows * CHECKIN.windowMs)
    throw opRejection(CHECKIN_REJECT.replayed)
  return { status: 'pending', method, window, ...lateFlag(method, windowMs, scannedMs, receivedMs) }
}

async function recentFailures(ctx: OpContext, type: string = checkinCreate.type): Promise<number> {
  const since = new Date(Date.parse(ctx.receivedAt) - CHECKIN.rateWindowMs).toISOString()
  const row = await ctx.trx.selectFrom('sync_op')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', ctx.actor.id)
    .where('type', '=', type)
    .where('status', '=', 'rejected')
    .where('received_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function openMeetingInScope(ctx: OpContext, meetingId: string): Promise<MeetingRow> {
  const meeting = await loadMeeting(ctx.trx, ctx.actor.branchId, meetingId)
  if (!meeting)
    throw opRejection(CHECKIN_REJECT.meetingNotFound)
  if (meeting.status === 'cancelled')
    throw opRejection(CHECKIN_REJECT.meetingCancelled)
  if (meeting.status === 'closed')
    throw opRejection(CHECKIN_REJECT.meetingClosed)
  if (!inScope(ctx.actor, meeting))
    throw meeting.group_name ? opRefusal(CHECKIN_REJECT.outOfScope, 'CHECKIN_OUT_OF_GROUP', { group: meeting.group_name }) : opRejection(CHECKIN_REJECT.outOfScope)
  return meeting
}

async function existingRow(ctx: OpContext, meetingId: string) {
  return ctx.trx.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', ctx.actor.id).executeTakeFirst()
}

const alreadyIn = () => opRejection(CHECKIN_REJECT.already)

async function keysOf(secret: MeetingSecret, ctx: OpContext, meeting: MeetingRow): Promise<MeetingKeys> {
  return { verifyKey: meeting.verify_key, signKey: meeting.sign_key, legacy: meetingKey(await secret.get(ctx.trx), meeting.id) }
}

/** checkin.create: the only way a member checks in (DESIGN §2). `secret` derives each meeting's key. */
export function checkinHandler(secret: MeetingSecret): OpHandler<typeof checkinCreate.payload> {
  return {
    definition: checkinCreate,
    async apply(ctx, p) {
      // Rejections are recorded outside this (rolled back) transaction, so they are what we count.
      if (await recentFailures(ctx) >= CHECKIN.maxFailures)
        throw opRejection(CHECKIN_REJECT.rateLimited)
      const meeting = await openMeetingInScope(ctx, p.meetingId)
      const verdict = verifyCheckin(await keysOf(secret, ctx, meeting), meeting, p, ctx.receivedAt)
      const existing = await existingRow(ctx, meeting.id)
      if (existing && PRESENT_STATUSES.includes(existing.status))
        throw alreadyIn()
      const values = {
        status: verdict.status,
        method: verdict.method,
        token_window: verdict.window,
        scanned_at: p.scannedAt,
        flag: verdict.flag,
        flag_reason: verdict.flagReason,
        reason: null,
        decided_by: null,
        points: null,
        updated_at: ctx.receivedAt,
      }
      if (existing) {
        // Leave taken back by turning up, or a rejected late scan followed by a fresh one.
        await ctx.trx.updateTable('meeting_attendance').set(values).where('meeting_id', '=', meeting.id).where('member_id', '=', ctx.actor.id).execute()
      }
      else {
        const inserted = await ctx.trx.insertInto('meeting_attendance')
          .values({ ...values, meeting_id: meeting.id, member_id: ctx.actor.id, created_at: ctx.receivedAt })
          .onConflict(oc => oc.columns(['meeting_id', 'member_id']).doNothing())
          .returning('member_id')
          .executeTakeFirst()
        // Another device of the same member got there first (the primary key is the last guard).
        if (!inserted)
          throw alreadyIn()
      }
      return publishAttendance(ctx.trx, meeting.branch_id, meeting.id, ctx.actor.id)
    },
  }
}

/** meeting.leave: a member asks for 请假 before the meeting starts. */
export const leaveHandler: OpHandler<typeof leaveRequest.payload> = {
  definition: leaveRequest,
  async apply(ctx, p) {
    const meeting = await openMeetingInScope(ctx, p.meetingId)
    if (Date.parse(ctx.receivedAt) >= Date.parse(meeting.starts_at))
      throw opRejection(CHECKIN_REJECT.leaveStarted)
    const existing = await existingRow(ctx, meeting.id)
    if (existing && PRESENT_STATUSES.includes(existing.status))
      throw opRejection(CHECKIN_REJECT.leaveAlreadyIn)
    const values = { status: 'leave' as const, method: 'leave_self', token_window: null, scanned_at: null, flag: null, flag_reason: null, reason: p.reason.trim(), decided_by: null, points: null, updated_at: ctx.receivedAt }
    if (existing)
      await ctx.trx.updateTable('meeting_attendance').set(values).where('meeting_id', '=', meeting.id).where('member_id', '=', ctx.actor.id).execute()
    else
      await ctx.trx.insertInto('meeting_attendance').values({ ...values, meeting_id: meeting.id, member_id: ctx.actor.id, created_at: ctx.receivedAt }).execute()
    return publishAttendance(ctx.trx, meeting.branch_id, meeting.id, ctx.actor.id)
  },
}

/**
 * checkin.checkout (签退): the member scans the meeting's code again at the end. Only for a meeting
 * that asks for it, a member checked in, once. The departure is when the code was on the screen
 * (its window), not the phone's word; a checkout synced late is taken on the same terms as a
 * late check-in, except that it needs no confirmation: an earlier departure only counts against
 * the member (早退).
 */
export function checkoutHandler(secret: MeetingSecret): OpHandler<typeof checkinCheckout.payload> {
  return {
    definition: checkinCheckout,
    async apply(ctx, p) {
      if (await recentFailures(ctx, checkinCheckout.type) >= CHECKIN.maxFailures)
        throw opRejection(CHECKIN_REJECT.rateLimited)
      const meeting = await openMeetingInScope(ctx, p.meetingId)
      if (Number(meeting.checkout) !== 1)
        throw opRejection(CHECKIN_REJECT.checkoutOff)
      const verdict = verifyCheckin(await keysOf(secret, ctx, meeting), meeting, p, ctx.receivedAt)
      const existing = await existingRow(ctx, meeting.id)
      if (!existing || !PRESENT_STATUSES.includes(existing.status))
        throw opRejection(CHECKIN_REJECT.checkoutNotIn)
      if (existing.departed_at)
        throw opRejection(CHECKIN_REJECT.checkoutAlready)
      await setDeparture(ctx.trx, meeting.id, ctx.actor.id, new Date(windowStartMs(verdict.window)).toISOString(), verdict.window, ctx.receivedAt)
      return publishAttendance(ctx.trx, meeting.branch_id, meeting.id, ctx.actor.id)
    },
  }
}

/**
 * checkin.scan (反向扫码): an organizer scanned a member's personal code. Checked again here: the
 * organizer organizes the meeting; the member is active, of the branch and expected at it; the
 * code is signed with that member's key and names that member; its window lies inside the meeting,
 * is not ahead of the server, and fits the organizer's scan time (a photo of an old code does
 * not — replayed). The organizer is trusted with the time of the scan, so a scan synced hours
 * later is verified, not pending.
 */
export const scanHandler: OpHandler<typeof checkinScan.payload> = {
  definition: checkinScan,
  role: 'group_leader',
  async apply(ctx, p) {
    const meeting = await loadMeeting(ctx.trx, ctx.actor.branchId, p.meetingId)
    if (!meeting)
      throw opRejection(CHECKIN_REJECT.meetingNotFound)
    if (!canOrganize(ctx.actor, meeting))
      throw opRejection(CHECKIN_REJECT.scanNotOrganizer)
    if (meeting.status === 'cancelled')
      throw opRejection(CHECKIN_REJECT.meetingCancelled)
    if (meeting.status === 'closed')
      throw opRejection(CHECKIN_REJECT.meetingClosed)
    const parsed = parsePersonal(p.token)
    if (!parsed)
      throw opRejection(CHECKIN_REJECT.malformed)
    if (parsed.memberId !== p.memberId)
      throw opRejection(CHECKIN_REJECT.scanOtherMember)
    const member = await activeMember(ctx.trx, meeting.branch_id, p.memberId)
    const verifyKey = member ? await memberVerifyKey(ctx.trx, member.id) : undefined
    if (!member || !verifyKey)
      throw opRejection(CHECKIN_REJECT.scanUnknownMember)
    if (!personalSignatureMatches(verifyKey, member.id, parsed.window, parsed.sig))
      throw opRejection(CHECKIN_REJECT.forged)
    if (!inScope({ branchId: member.branch_id, groupId: member.group_id }, meeting))
      throw opRefusal(CHECKIN_REJECT.scanMemberOutOfScope, 'CHECKIN_SCAN_OUT_OF_SCOPE_NAMED', { name: member.name })
    const receivedWindow = windowAt(Date.parse(ctx.receivedAt))
    const scannedWindow = windowAt(Date.parse(p.scannedAt))
    if (parsed.window - receivedWindow > CHECKIN.futureWindows || scannedWindow - receivedWindow > CHECKIN.futureWindows)
      throw opRejection(CHECKIN_REJECT.future)
    const windowMs = windowStartMs(parsed.window)
    if (windowMs < Date.parse(meeting.starts_at) - CHECKIN.graceMs || windowMs > Date.parse(meeting.ends_at) + CHECKIN.graceMs)
      throw opRejection(CHECKIN_REJECT.outsideMeeting)
    // The same allowance the organizer's phone gave (two phone clocks): beyond it, an old code shown again.
    if (Math.abs(scannedWindow - parsed.window) > PHONE_STALE_WINDOWS)
      throw opRejection(CHECKIN_REJECT.replayed)
    const existing = await attendanceRow(ctx.trx, meeting.id, member.id)
    if (existing && PRESENT_STATUSES.includes(existing.status))
      throw opRefusal(CHECKIN_REJECT.scanAlready, 'CHECKIN_SCAN_ALREADY_NAMED', { name: member.name })
    const values = { status: 'verified' as const, method: 'scan', token_window: parsed.window, scanned_at: p.scannedAt, flag: null, flag_reason: null, reason: null, decided_by: ctx.actor.id, points: null, updated_at: ctx.receivedAt }
    if (existing)
      await ctx.trx.updateTable('meeting_attendance').set(values).where('meeting_id', '=', meeting.id).where('member_id', '=', member.id).execute()
    else
      await ctx.trx.insertInto('meeting_attendance').values({ ...values, meeting_id: meeting.id, member_id: member.id, created_at: ctx.receivedAt }).execute()
    return publishAttendance(ctx.trx, meeting.branch_id, meeting.id, member.id)
  },
}
