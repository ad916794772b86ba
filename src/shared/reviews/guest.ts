/*
 * The 讲评 guest link (issue 12 item 2 and 7): plain constants and words, no schema library, so
 * the light guest page (src/app/guest) can import them without pulling TypeBox into its bundle.
 */

export const GUEST_LINK = {
  /** 96 random bits, base64url: 16 characters, unguessable, short enough to type from a projector. */
  codeBytes: 12,
  codePattern: '^[A-Za-z0-9_-]{16}$',
  /** The page's own random id for this phone, kept in localStorage; the server stores only its hash. */
  deviceIdPattern: '^[A-Za-z0-9_-]{16,64}$',
  /**
   * Ballots from one address: a whole room on one Wi-Fi is 30 guests or so, a flood is more. Every
   * attempt counts (accepted or not), so one address cannot probe the cap or the devices either.
   */
  perAddress: 40,
  perAddressWindowMs: 10 * 60_000,
} as const

/** The path a guest opens: the server answers it with the guest page (src/app/guest), outside the PWA. */
export function guestPath(code: string): string {
  return `/g/${code}`
}

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected'] as const
export type CommentStatus = (typeof COMMENT_STATUSES)[number]
export const COMMENT_STATUS_ZH: Record<CommentStatus, string> = { pending: '待审核', approved: '已通过', rejected: '未通过' }
