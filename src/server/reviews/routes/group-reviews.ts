import type { GroupReviewCreateBody as CreateBodyT, GroupReviewRaterBody as RaterBodyT } from '#shared/reviews/group-schemas'
import type { FastifyInstance } from 'fastify'
import { GroupReviewCreateBody, GroupReviewDetail, GroupReviewList, GroupReviewRaterBody } from '#shared/reviews/group-schemas'
import { ErrorBody, IdParams, OkBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { sendXlsx } from '../../xlsx'
import { writeGroupReview } from '../group-export'
import { closeReview, createReview, inviteRater, listReviews, reviewDetail } from '../group-service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
interface Params { Params: { id: string } }

/**
 * The branch's 五个好 review of its groups (issue 12 item 8). Ballots come only through the sync
 * push (the group_review.ballot op in ../group-ops.ts), offline like every write; these routes
 * make a review, name its raters, close it, and read it with its figures and results.
 */
export default async function groupReviewRoutes(app: FastifyInstance) {
  const admin = app.requireRole('branch_admin')
  const auth = app.authenticate

  app.get('/', {
    preHandler: auth,
    schema: { response: { 200: GroupReviewList, ...errors } },
  }, async request => ({ reviews: await listReviews(app.db, actorOf(request)) }))

  app.post<{ Body: CreateBodyT }>('/', {
    preHandler: admin,
    schema: { body: GroupReviewCreateBody, response: { 200: GroupReviewDetail, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const id = await app.db.transaction().execute(trx => createReview(trx, actor, request.body.period))
    return reviewDetail(app.db, actor, id)
  })

  app.get<Params>('/:id', {
    preHandler: auth,
    schema: { params: IdParams, response: { 200: GroupReviewDetail, ...errors } },
  }, async request => reviewDetail(app.db, actorOf(request), request.params.id))

  app.post<Params & { Body: RaterBodyT }>('/:id/raters', {
    preHandler: admin,
    schema: { params: IdParams, body: GroupReviewRaterBody, response: { 200: OkBody, ...errors } },
  }, async (request) => {
    await app.db.transaction().execute(trx => inviteRater(trx, actorOf(request), request.params.id, request.body.memberId))
    return { ok: true as const }
  })

  app.post<Params>('/:id/close', {
    preHandler: admin,
    schema: { params: IdParams, response: { 200: GroupReviewDetail, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    await app.db.transaction().execute(trx => closeReview(trx, actor, request.params.id))
    return reviewDetail(app.db, actor, request.params.id)
  })

  app.get<Params>('/:id/export.xlsx', {
    preHandler: auth,
    schema: { params: IdParams, response: errors },
  }, async (request, reply) => {
    const detail = await reviewDetail(app.db, actorOf(request), request.params.id)
    return sendXlsx(reply, { ascii: `group-review-${detail.period}.xlsx` }, async book => writeGroupReview(book, detail))
  })
}
