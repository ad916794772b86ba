import type { GroupRating } from '#shared/reviews/group-rules'
import type { GroupReviewDetail, GroupReviewSummary } from '#shared/reviews/group-schemas'
import { reviewPeriodZh } from '#shared/reviews/constants'
import { checkGroupBallot } from '#shared/reviews/group-rules'
import { groupReviewBallot } from '#shared/reviews/group-schemas'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { groupReviewsApi } from '../components/reviews/group-reviews-api'
import { listRecords } from '../db'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

/** The phone's copy of a rater's ballot, one per review (its id is the review's). */
export const GROUP_BALLOT_ENTITY = 'group_review_ballot'

export interface LocalBallot {
  reviewId: string
  ratings: { groupId: string, scores: Record<string, number>, comment?: string }[]
  /** Queued, not yet answered by the server (待同步). */
  syncPending: boolean
  /** Refused: in 同步失败 with the server's words. */
  syncFailed: boolean
}

/** A ballot refused on the phone before queueing: the same shared check and words the server would answer. */
export class GroupBallotRefused extends Error {
  constructor(readonly code: string, readonly params: Record<string, string | number> = {}) {
    super(code)
  }
}

/**
 * The branch's 五个好 review of groups: the reviews and one review's groups with their figures
 * (online reads), and the rater's ballot — queued through the outbox like every write, so it is
 * kept with no signal and shown at once as 待同步, then as the server answered.
 */
export const useGroupReviewsStore = defineStore('groupReviews', () => {
  const session = useSessionStore()
  const reviews = ref<GroupReviewSummary[]>([])
  const current = ref<GroupReviewDetail | null>(null)
  const ballot = ref<LocalBallot | null>(null)

  async function loadList(): Promise<void> {
    reviews.value = await groupReviewsApi.list()
  }

  async function localBallot(reviewId: string): Promise<LocalBallot | null> {
    const me = session.me
    if (!me)
      return null
    const r = (await listRecords<{ reviewId: string, ratings: LocalBallot['ratings'] }>(me.id, GROUP_BALLOT_ENTITY)).find(x => x.id === reviewId)
    return r ? { reviewId, ratings: r.data.ratings, syncPending: r.pendingOps > 0, syncFailed: r.failed } : null
  }

  /** A review with its groups; the ballot kept on this phone wins over the server's copy while it waits. */
  async function open(id: string): Promise<void> {
    ballot.value = await localBallot(id)
    current.value = await groupReviewsApi.one(id)
  }

  /** The scores to show for a group: the phone's ballot first (it may not have reached the server), else the server's. */
  function scoresFor(groupId: string): { scores: Record<string, number>, comment: string } | null {
    const local = ballot.value?.ratings.find(r => r.groupId === groupId)
    if (local)
      return { scores: local.scores, comment: local.comment ?? '' }
    return current.value?.groups.find(g => g.id === groupId)?.mine ?? null
  }

  /** Queues the whole ballot (it replaces the rater's earlier one); refused on the phone with the shared rule's words first. */
  async function rate(ratings: GroupRating[]): Promise<void> {
    const review = current.value
    if (!review)
      throw new Error('no review open')
    // The server shows a review only to its raters, so having it open means this member rates.
    const problem = checkGroupBallot(review.status, true, new Map(review.groups.map(g => [g.id, g.name])), ratings)
    if (problem)
      throw new GroupBallotRefused(problem.code, problem.params)
    const payload = {
      reviewId: review.id,
      ratings: ratings.map(r => ({ groupId: r.groupId, scores: r.scores as never, ...(r.comment?.trim() ? { comment: r.comment.trim() } : {}) })),
      shown: { period: reviewPeriodZh(review.period) },
    }
    await queueWrite(groupReviewBallot, payload, { entity: GROUP_BALLOT_ENTITY, id: review.id, data: { reviewId: review.id, ratings: payload.ratings } })
    ballot.value = await localBallot(review.id)
  }

  async function create(period: string): Promise<string> {
    const detail = await groupReviewsApi.create(period)
    current.value = detail
    return detail.id
  }

  async function invite(memberId: string): Promise<void> {
    if (!current.value)
      return
    await groupReviewsApi.invite(current.value.id, memberId)
    current.value = await groupReviewsApi.one(current.value.id)
  }

  async function close(): Promise<void> {
    if (!current.value)
      return
    current.value = await groupReviewsApi.close(current.value.id)
  }

  const exportUrl = (id: string) => groupReviewsApi.exportUrl(id)

  return { reviews, current, ballot, loadList, open, scoresFor, rate, create, invite, close, exportUrl }
})
