import type { FastifyInstance } from 'fastify'
import { CheckinKeys } from '#shared/meetings/schemas'
import { ErrorBody } from '#shared/schemas/common'
import { actorOf } from '../../plugins/auth'
import { nowIso } from '../../util/clock'
import { newKeyPair } from '../keys'
import { memberKey, scannableMembers } from '../repository'

/**
 * The keys of 反向扫码 (issue 15 point 2): the caller's own signing key, which their phone keeps to
 * show a personal code with no network, and — for an organizer — the public keys of the members
 * they may check in, which their phone keeps to verify those codes offline. Every member's phone
 * fetches it while online (the 签到 tab) and caches it.
 */
export default async function checkinKeyRoutes(app: FastifyInstance) {
  app.get('/keys', { preHandler: app.authenticate, schema: { response: { 200: CheckinKeys, 401: ErrorBody } } }, async (request) => {
    const actor = actorOf(request)
    const now = nowIso()
    return app.db.transaction().execute(async (trx) => {
      const own = await memberKey(trx, actor.id, newKeyPair, now)
      const members = await scannableMembers(trx, actor, newKeyPair, now)
      return { memberId: actor.id, signKey: own.sign_key, members, serverTime: now }
    })
  })
}
