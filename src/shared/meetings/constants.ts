/** The six kinds of 三会一课 / 组织生活, in the order organizers pick them. */
export const MEETING_TYPES = ['branch_assembly', 'committee', 'group_meeting', 'party_lecture', 'theme_day', 'life_meeting'] as const
export type MeetingType = (typeof MEETING_TYPES)[number]

/** Chinese names, for server messages (the app takes its labels from the locale files). */
export const MEETING_TYPE_NAMES: Record<MeetingType, string> = {
  branch_assembly: '支部党员大会',
  committee: '支委会',
  group_meeting: '党小组会',
  party_lecture: '党课',
  theme_day: '主题党日',
  life_meeting: '专题组织生活会',
}

export const MEETING_STATUSES = ['scheduled', 'cancelled', 'closed'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]

/**
 * verified: a fresh scan or code; pending: synced late, waits for an organizer; manual: an
 * organizer checked the member in; leave: 请假; rejected: an organizer refused a late scan;
 * absent: written when the meeting is closed, for members in scope with no attendance.
 */
export const ATTENDANCE_STATUSES = ['verified', 'pending', 'manual', 'leave', 'rejected', 'absent'] as const
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number]

/** Statuses that count as having attended; a second scan on top of one of these is refused. */
export const PRESENT_STATUSES: readonly AttendanceStatus[] = ['verified', 'pending', 'manual']

/** Numbers both sides of the check-in agree on. Change them here, never inline. */
export const CHECKIN = {
  /** The QR changes every window: short enough that a forwarded photo is stale by the time it arrives. */
  windowMs: 10_000,
  /** A QR scan reaching the server within this many windows of its own window is verified at once. */
  freshWindows: 3,
  /** The numeric code is typed by hand: any code shown in the last 2 minutes is accepted fresh. */
  codeWindows: 12,
  /** Check-in opens this long before the start and stays open this long after the end. */
  graceMs: 30 * 60_000,
  /**
   * Allowance for a phone's clock when its claimed scan time is compared with the token's window
   * (a late scan's flag). A clock on network time is right to the second; one set by hand is set
   * to the minute, so it is off by under a minute. Beyond this, plus the window and the freshness
   * the server would have allowed online, the phone's claim and the code disagree.
   */
  clockSkewMs: 60_000,
  /** A token window this many windows ahead of the server's clock is still taken (the screen's clock may run a little fast). */
  futureWindows: 1,
  /** Failed check-in attempts allowed per member in rateWindowMs before further attempts are refused. */
  maxFailures: 10,
  rateWindowMs: 10 * 60_000,
  codeDigits: 6,
  /** Arriving this long after the start is 迟到; leaving this long before the end is 早退 (timing.ts). */
  lateAfterMs: 5 * 60_000,
  earlyBeforeMs: 5 * 60_000,
} as const

export const MEETING_LIMITS = {
  topicMax: 80,
  placeMax: 80,
  agendaMax: 2000,
  reasonMax: 200,
} as const
