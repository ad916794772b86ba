import type { GuestCommentParams as GuestCommentParamsT, GuestCommentQuery as GuestCommentQueryT, GuestLinkBody as GuestLinkBodyT, GuestModerateBody as GuestModerateBodyT } from '#shared/reviews/guest-schemas'
import type { FastifyInstance } from 'fastify'
import { GuestCommentList, GuestCommentParams, GuestCommentQuery, GuestLink, GuestLinkBody, GuestModerateBody } from '#shared/reviews/guest-schemas'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { Type } from 'typebox'
import { actorOf } from '../../plugins/auth'
import { guestComments, guestLink, moderateGuestComment, updateGuestLink } from '../guest-service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
const Moderated = Type.Object({ status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]) }, { additionalProperties: false })

/**
 * The organizer's side of the 讲评 guest link (the session's group leader or a branch admin): the
 * cap and the link's code, and the guests' comments held for them to let through or keep out.
 */
export default async function guestOrganizerRoutes(app: FastifyInstance) {
  const organizer = app.requireRole('group_leader')

  app.get<{ Params: { id: string } }>('/:id/guest-link', { preHandler: organizer, schema: { params: IdParams, response: { 200: GuestLink, ...errors } } }, async (request) => {
    return guestLink(app.db, actorOf(request), request.params.id)
  })

  app.put<{ Params: { id: string }, Body: GuestLinkBodyT }>('/:id/guest-link', { preHandler: organizer, schema: { params: IdParams, body: GuestLinkBody, response: { 200: GuestLink, ...errors } } }, async (request) => {
    return updateGuestLink(app.db, actorOf(request), request.params.id, request.body)
  })

  app.get<{ Params: { id: string }, Querystring: GuestCommentQueryT }>('/:id/guest-comments', { preHandler: organizer, schema: { params: IdParams, querystring: GuestCommentQuery, response: { 200: GuestCommentList, ...errors } } }, async (request) => {
    return guestComments(app.db, actorOf(request), request.params.id, request.query.status ?? 'pending')
  })

  app.post<{ Params: GuestCommentParamsT, Body: GuestModerateBodyT }>('/:id/guest-comments/:ballotId/:rateeId/moderate', {
    preHandler: organizer,
    schema: { params: GuestCommentParams, body: GuestModerateBody, response: { 200: Moderated, ...errors } },
  }, async (request) => {
    const { id, ballotId, rateeId } = request.params
    return { status: await moderateGuestComment(app.db, actorOf(request), id, ballotId, rateeId, request.body.decision) }
  })
}
