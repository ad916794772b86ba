import type { GroupBallotProblem } from '#shared/reviews/group-rules'
import type { OpHandler } from '../sync/registry'
import { checkGroupBallot } from '#shared/reviews/group-rules'
import { groupReviewBallot } from '#shared/reviews/group-schemas'
import { writeAudit } from '../audit/writer'
import { opRefusal, opRejection } from '../sync/registry'
import { branchGroups, loadGroupReview, replaceBallot } from './group-repository'
import { mayRate } from './group-service'

const reject = (p: GroupBallotProblem) => opRejection(p.code, p.params ?? {})

/**
 * `group_review.ballot`: a rater's 五个好 ballot, queued on the phone like every write. The same
 * shared check the phone ran, again on the server's data: a review closed meanwhile, a rater not
 * (or no longer) named, a group of another branch, a score off the scale — refused in words,
 * nothing stored. Accepted, it replaces the rater's earlier ballot.
 */
export const groupReviewBallotHandler: OpHandler<typeof groupReviewBallot.payload> = {
  definition: groupReviewBallot,
  async apply({ actor, trx, receivedAt }, p) {
    const review = await loadGroupReview(trx, actor.branchId, p.reviewId)
    if (!review)
      throw opRejection('NOT_FOUND', { what: 'review' })
    const groups = new Map((await branchGroups(trx, actor.branchId)).map(g => [g.id, g.name]))
    const problem = checkGroupBallot(review.status, await mayRate(trx, actor, review.id), groups, p.ratings)
    if (problem)
      throw problem.code === 'GROUP_REVIEW_CLOSED' && review.closed_by_name ? opRefusal('GROUP_REVIEW_CLOSED', 'GROUP_REVIEW_ALREADY_CLOSED', { name: review.closed_by_name }) : reject(problem)
    const ratings = p.ratings.map(r => ({ groupId: r.groupId, scores: r.scores, comment: (r.comment ?? '').trim() }))
    await replaceBallot(trx, { id: review.id, branchId: actor.branchId }, actor.id, ratings, receivedAt)
    await writeAudit(trx, actor, { action: 'group_review.ballot', entity: 'group_review', entityId: review.id, data: { groups: ratings.length } })
    return { reviewId: review.id, ratings }
  },
}
