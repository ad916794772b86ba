import type { Static } from 'typebox'
import type { OpContext, OpHandler } from '../sync/registry'
import type { MeetingSecret } from './keys'
import type { MeetingRow } from './repository'
import { CHECKIN, PRESENT_STATUSES } from '#shared/meetings/constants'
import { CHECKIN_REJECT, checkinCreate, leaveRequest } from '#shared/meetings/ops'
import { parseToken, windowAt, windowStartMs } from '#shared/meetings/token'
import { OpRejection } from '../sync/registry'
import { meetingKey, signatureMatches, windowsWithCode } from './keys'
import { inScope, loadMeeting, publishAttendance } from './repository'

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

const reject = (code: string, message: string) => new OpRejection(code, message)

/** Finds the window the member's QR or code proves, or refuses with the precise reason. */
function provenWindow(key: Buffer, meetingId: string, p: CheckinPayload, receivedWindow: number): { window: number, method: 'qr' | 'code' } {
  if (p.token !== undefined) {
    const parsed = parseToken(p.token)
    if (!parsed)
      throw reject(CHECKIN_REJECT.malformed, '这不是本系统的签到码，请扫描会场屏幕上的二维码 This is not a check-in QR of this app; scan the code on the meeting screen')
    if (parsed.meetingId !== meetingId)
      throw reject(CHECKIN_REJECT.wrongMeeting, '这是另一场会议的签到码 This QR belongs to another meeting')
    if (!signatureMatches(key, meetingId, parsed.window, parsed.sig))
      throw reject(CHECKIN_REJECT.forged, '签到码无效（签名不符），请重新扫描会场屏幕 The check-in code is not genuine; scan the meeting screen again')
    return { window: parsed.window, method: 'qr' }
  }
  if (p.code !== undefined) {
    const candidates = new Set<number>()
    for (const base of [receivedWindow, p.window ?? receivedWindow]) {
      for (let w = base - CHECKIN.codeWindows; w <= base + 1; w++)
        candidates.add(w)
    }
    const matches = windowsWithCode(key, meetingId, [...candidates], p.code)
    if (matches.length === 0)
      throw reject(CHECKIN_REJECT.wrongCode, '签到码不正确或已过期，请输入屏幕上最新的 6 位数字 Wrong or expired code; type the 6 digits now on the screen')
    // The phone names the window; a match not ahead of the server wins over one that is (a chance collision).
    const notAhead = matches.filter(w => w <= receivedWindow + CHECKIN.futureWindows)
    return { window: Math.max(...(notAhead.length > 0 ? notAhead : matches)), method: 'code' }
  }
  throw reject(CHECKIN_REJECT.noToken, '缺少签到码 No QR text or code was sent')
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
export function verifyCheckin(key: Buffer, meeting: Pick<MeetingRow, 'id' | 'starts_at' | 'ends_at'>, p: CheckinPayload, receivedAt: string): Verdict {
  const receivedMs = Date.parse(receivedAt)
  const receivedWindow = windowAt(receivedMs)
  const { window, method } = provenWindow(key, meeting.id, p, receivedWindow)
  const windowMs = windowStartMs(window)
  // Codes exist only once their window has come; one window of grace for a screen whose clock runs fast.
  if (window - receivedWindow > CHECKIN.futureWindows)
    throw reject(CHECKIN_REJECT.future, '签到码的时间还没到（组织者设备的时钟超前，或签到码是提前生成的），请扫描现场屏幕上的二维码 This code is for a time that has not come yet on the server\'s clock; scan the live screen')
  if (windowMs < Date.parse(meeting.starts_at) - CHECKIN.graceMs || windowMs > Date.parse(meeting.ends_at) + CHECKIN.graceMs)
    throw reject(CHECKIN_REJECT.outsideMeeting, '签到码不在会议时间内（已过期或尚未开始） This code is from outside the meeting\'s time')
  const freshWindows = method === 'qr' ? CHECKIN.freshWindows : CHECKIN.codeWindows
  if (receivedWindow - window <= freshWindows)
    return { status: 'verified', method, window, flag: null, flagReason: null }
  const scannedMs = Date.parse(p.scannedAt)
  if (receivedMs - scannedMs <= freshWindows * CHECKIN.windowMs)
    throw reject(CHECKIN_REJECT.replayed, '签到码已过期（可能是转发的旧截图），请扫描现场屏幕上的二维码 This code is old (a forwarded photo?); scan the live screen')
  return { status: 'pending', method, window, ...lateFlag(method, windowMs, scannedMs, receivedMs) }
}

async function recentFailures(ctx: OpContext): Promise<number> {
  const since = new Date(Date.parse(ctx.receivedAt) - CHECKIN.rateWindowMs).toISOString()
  const row = await ctx.trx.selectFrom('sync_op')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', ctx.actor.id)
    .where('type', '=', checkinCreate.type)
    .where('status', '=', 'rejected')
    .where('received_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function openMeetingInScope(ctx: OpContext, meetingId: string): Promise<MeetingRow> {
  const meeting = await loadMeeting(ctx.trx, ctx.actor.branchId, meetingId)
  if (!meeting)
    throw reject(CHECKIN_REJECT.meetingNotFound, '找不到这场会议，请同步后再试 No such meeting; sync and try again')
  if (meeting.status === 'cancelled')
    throw reject(CHECKIN_REJECT.meetingCancelled, '这场会议已取消 This meeting was cancelled')
  if (meeting.status === 'closed')
    throw reject(CHECKIN_REJECT.meetingClosed, '这场会议已结束并统计考勤，请联系组织者 The meeting is closed; ask its organizer')
  if (!inScope(ctx.actor, meeting))
    throw reject(CHECKIN_REJECT.outOfScope, `这场会议只面向${meeting.group_name ?? '本支部'}的党员 This meeting is for another group's members`)
  return meeting
}

async function existingRow(ctx: OpContext, meetingId: string) {
  return ctx.trx.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', ctx.actor.id).executeTakeFirst()
}

const alreadyIn = () => reject(CHECKIN_REJECT.already, '您已签到，无需重复扫码 You are already checked in to this meeting')

/** checkin.create: the only way a member checks in (DESIGN §2). `secret` derives each meeting's key. */
export function checkinHandler(secret: MeetingSecret): OpHandler<typeof checkinCreate.payload> {
  return {
    definition: checkinCreate,
    async apply(ctx, p) {
      // Rejections are recorded outside this (rolled back) transaction, so they are what we count.
      if (await recentFailures(ctx) >= CHECKIN.maxFailures)
        throw reject(CHECKIN_REJECT.rateLimited, '签到失败次数过多，请 10 分钟后再试或请组织者代签 Too many failed check-ins; wait 10 minutes or ask the organizer')
      const meeting = await openMeetingInScope(ctx, p.meetingId)
      const verdict = verifyCheckin(meetingKey(await secret.get(ctx.trx), meeting.id), meeting, p, ctx.receivedAt)
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
      throw reject(CHECKIN_REJECT.leaveStarted, '会议已开始，请直接联系组织者请假 The meeting has started; ask its organizer for leave')
    const existing = await existingRow(ctx, meeting.id)
    if (existing && PRESENT_STATUSES.includes(existing.status))
      throw reject(CHECKIN_REJECT.leaveAlreadyIn, '您已签到，不能再请假 You are already checked in')
    const values = { status: 'leave' as const, method: 'leave_self', token_window: null, scanned_at: null, flag: null, flag_reason: null, reason: p.reason.trim(), decided_by: null, points: null, updated_at: ctx.receivedAt }
    if (existing)
      await ctx.trx.updateTable('meeting_attendance').set(values).where('meeting_id', '=', meeting.id).where('member_id', '=', ctx.actor.id).execute()
    else
      await ctx.trx.insertInto('meeting_attendance').values({ ...values, meeting_id: meeting.id, member_id: ctx.actor.id, created_at: ctx.receivedAt }).execute()
    return publishAttendance(ctx.trx, meeting.branch_id, meeting.id, ctx.actor.id)
  },
}
