import type { GuestComment, GuestLink } from '#shared/reviews/guest-schemas'
import { guestPath } from '#shared/reviews/guest'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { reviewGuestsApi } from '../api/review-guests'

/**
 * The organizer's 讲评 guest link and the guests' comments waiting for them (issue 12 items 2, 4).
 * Online only: a link is for guests who are online anyway, and a comment is let through once.
 */
export const useReviewGuestsStore = defineStore('review-guests', () => {
  const link = ref<GuestLink | null>(null)
  const comments = ref<GuestComment[]>([])

  async function loadLink(sessionId: string) {
    link.value = await reviewGuestsApi.link(sessionId)
  }
  async function setLink(sessionId: string, cap: number, renew = false) {
    link.value = await reviewGuestsApi.setLink(sessionId, { cap, renew })
  }
  async function loadComments(sessionId: string) {
    comments.value = await reviewGuestsApi.comments(sessionId)
  }
  /** Decided comments leave the list; the link's pending count follows. */
  async function moderate(sessionId: string, c: GuestComment, decision: 'approve' | 'reject') {
    await reviewGuestsApi.moderate(sessionId, c, decision)
    comments.value = comments.value.filter(x => !(x.ballotId === c.ballotId && x.rateeId === c.rateeId))
    if (link.value)
      link.value = { ...link.value, pendingComments: Math.max(0, link.value.pendingComments - 1) }
  }
  /** The full address a guest scans. */
  function guestUrl(code: string): string {
    return `${location.origin}${guestPath(code)}`
  }
  return { link, comments, loadLink, setLink, loadComments, moderate, guestUrl }
})
