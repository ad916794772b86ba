import { CHECKIN } from './constants'

/**
 * 迟到 and 早退 (issue 15 point 3), derived the same way on the server's attendance list and on the
 * organizer's phone: from when the code a member scanned was on the screen (the start of its
 * window — the server's clock, not the phone's claim), against the meeting's times, with
 * CHECKIN.lateAfterMs / earlyBeforeMs of tolerance. A check-in by hand names no time: neither.
 */
export interface MeetingTimes {
  startsAt: string
  endsAt: string
}

/**
 * 迟到: arrived (the window start of the code scanned) more than the tolerance after the start —
 * the branch's grace where it set one (#shared/meetings/rhythm), else CHECKIN.lateAfterMs.
 */
export function arrivedLate(m: Pick<MeetingTimes, 'startsAt'>, arrivedAt: string | null, graceMs: number = CHECKIN.lateAfterMs): boolean {
  return arrivedAt !== null && Date.parse(arrivedAt) > Date.parse(m.startsAt) + graceMs
}

/** 早退: checked out more than the tolerance before the end. */
export function leftEarly(m: MeetingTimes, departedAt: string | null): boolean {
  return departedAt !== null && Date.parse(departedAt) < Date.parse(m.endsAt) - CHECKIN.earlyBeforeMs
}
