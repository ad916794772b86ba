import type { GuestBallotBody as GuestBallotBodyT, GuestCodeParams as GuestCodeParamsT } from '#shared/reviews/guest-schemas'
import type { FastifyInstance } from 'fastify'
import { GuestBallotAccepted, GuestBallotBody, GuestCodeParams, GuestSession } from '#shared/reviews/guest-schemas'
import { ErrorBody } from '#shared/schemas/common'
import { checkLinkToken } from '../../auth/rate-limit'
import { guestSession, submitGuestBallot } from '../guest-service'

interface Params { Params: GuestCodeParamsT }

/**
 * 讲评 guests (issue 12 item 7): no login, the link's unguessable code is the credential. Lookups
 * of a wrong code count as failed link tokens per address (as invite links do); the ballot is a
 * POST like any other, so the CSRF header is still required (the guest page sends it).
 */
export default async function guestRoutes(app: FastifyInstance) {
  app.get<Params>('/:code', {
    schema: { params: GuestCodeParams, response: { 200: GuestSession, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody, 429: ErrorBody } },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return checkLinkToken(app.db, request.ip, () => guestSession(app.db, request.params.code))
  })

  app.post<Params & { Body: GuestBallotBodyT }>('/:code/ballot', {
    schema: { params: GuestCodeParams, body: GuestBallotBody, response: { 200: GuestBallotAccepted, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody } },
  }, async request => submitGuestBallot(app.db, request.params.code, request.ip, request.body))
}
