import type { ChangePasswordBody as ChangePasswordBodyT, LoginBody as LoginBodyT } from '#shared/schemas/auth'
import type { FastifyInstance } from 'fastify'
import { SESSION } from '#shared/constants'
import { ChangePasswordBody, LoginBody, Me, SessionState } from '#shared/schemas/auth'
import { ErrorBody, OkBody } from '#shared/schemas/common'
import { UpperMe } from '#shared/schemas/upper'
import { Type } from 'typebox'
import { writeAudit } from '../../audit/writer'
import { failure, unauthorized } from '../../errors'
import { loadMe } from '../../org/service'
import { actorOf } from '../../plugins/auth'
import { findUpperCredentials, revokeOtherUpperSessions, setUpperPasswordHash, upperPasswordHashOf } from '../../upper/repository'
import { loadUpperMe } from '../../upper/service'
import { nowIso } from '../../util/clock'
import { hashToken } from '../../util/ids'
import { dummyPasswordHash, hashPassword, verifyPassword } from '../password'
import { backoffWait, clearFailures, hitRateLimit, peekRateLimit, recordFailure, tooManyFailures } from '../rate-limit'
import { findCredentials, passwordHashOf, setPasswordHash } from '../repository'
import { endSession, revokeSessions, startSession, startUpperSession } from '../sessions'

/**
 * Only failures count, and never against the account alone, or anyone could lock its owner out:
 * failures of one login name from one address back off (auth/rate-limit.ts BACKOFF: five free,
 * then 15 s doubling to 15 min), and one address may fail at most 50 times per 15 minutes over all
 * login names. The owner, elsewhere, is not slowed by either; a success clears its own pair.
 */
const ADDRESS_WINDOW_MS = 15 * 60_000
const ADDRESS_FAILURES = 50
/** Who logged in: a member, or an upper-organization admin (`kind: 'upper'`). */
const MeOrUpper = Type.Union([Me, UpperMe])

export default async function authRoutes(app: FastifyInstance) {
  app.post<{ Body: LoginBodyT }>('/login', {
    schema: { body: LoginBody, response: { 200: MeOrUpper, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
  }, async (request, reply) => {
    const login = request.body.login.trim().toLowerCase()
    // request.ip is the proxy's client address under TRUST_PROXY. Keys are hashed: no addresses or names at rest.
    const addressKey = `login:ip:${hashToken(request.ip)}`
    const pairKey = `login:pair:${hashToken(`${login}\n${request.ip}`)}`
    // Both checks come before any hashing: a refused attempt costs a stranger's server nothing.
    const address = await peekRateLimit(app.db, addressKey, ADDRESS_FAILURES, ADDRESS_WINDOW_MS)
    if (!address.allowed)
      throw tooManyFailures(address.retryAfterSeconds, 'LOGIN_TOO_MANY_ADDRESS')
    const wait = await backoffWait(app.db, pairKey)
    if (wait > 0)
      throw tooManyFailures(wait, 'LOGIN_TOO_MANY_ACCOUNT')

    const member = await findCredentials(app.db, login)
    // Logins are unique across members and upper admins, so at most one of these is found.
    const upper = member ? undefined : await findUpperCredentials(app.db, login)
    // Verify against a dummy hash when there is no such account, so timing does not reveal which logins exist.
    const ok = await verifyPassword(request.body.password, member?.password_hash ?? upper?.password_hash ?? await dummyPasswordHash(app.passwordParams))
    if (upper && upper.active === 1 && ok) {
      await clearFailures(app.db, pairKey)
      await startUpperSession(app.db, reply, upper.id)
      return loadUpperMe(app.db, upper.id)
    }
    if (!member || !member.password_hash || member.active !== 1 || !ok) {
      await recordFailure(app.db, pairKey)
      await hitRateLimit(app.db, addressKey, ADDRESS_FAILURES, ADDRESS_WINDOW_MS)
      throw failure(401, 'WRONG_LOGIN')
    }
    await clearFailures(app.db, pairKey)
    await startSession(app.db, reply, member.id)
    // Successful logins only: a failed one names nobody for sure, and its rate limit already counts it.
    await app.db.transaction().execute(trx => writeAudit(trx, { id: member.id, branchId: member.branch_id }, { action: 'auth.login', entity: 'member', entityId: member.id, data: {} }))
    return loadMe(app.db, member.id)
  })

  app.post('/logout', { schema: { response: { 200: OkBody } } }, async (request, reply) => {
    await endSession(app.db, request, reply)
    return { ok: true as const }
  })

  app.get('/me', { preHandler: app.anyAccount, schema: { response: { 200: MeOrUpper, 401: ErrorBody } } }, async (request) => {
    if (request.upperAdmin)
      return loadUpperMe(app.db, request.upperAdmin.id)
    return loadMe(app.db, actorOf(request).id)
  })

  // The session cookie is read by the auth plugin's preHandler for every request: no session, an
  // expired or a revoked one all leave request.actor null.
  app.get('/session', { schema: { response: { 200: SessionState } } }, async (request) => {
    if (request.upperAdmin)
      return { member: null, upper: await loadUpperMe(app.db, request.upperAdmin.id) }
    return { member: request.actor ? await loadMe(app.db, request.actor.id) : null }
  })

  app.post<{ Body: ChangePasswordBodyT }>('/password', {
    preHandler: app.anyAccount,
    schema: { body: ChangePasswordBody, response: { 200: OkBody, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
  }, async (request) => {
    // A member or an upper-organization admin: the same checks, each account's own table and sessions.
    const upper = request.upperAdmin
    const accountId = upper ? upper.id : actorOf(request).id
    const { currentPassword, newPassword } = request.body
    // A session left open on a shared phone must not become a free password-guessing oracle either.
    const pairKey = `password:pair:${hashToken(`${accountId}\n${request.ip}`)}`
    const wait = await backoffWait(app.db, pairKey)
    if (wait > 0)
      throw tooManyFailures(wait, 'PASSWORD_TOO_MANY')
    const current = upper ? await upperPasswordHashOf(app.db, accountId) : await passwordHashOf(app.db, accountId)
    if (!current || !(await verifyPassword(currentPassword, current))) {
      await recordFailure(app.db, pairKey)
      throw failure(400, 'WRONG_PASSWORD')
    }
    await clearFailures(app.db, pairKey)
    if (currentPassword === newPassword)
      throw failure(400, 'SAME_PASSWORD')
    const token = request.cookies[SESSION.cookie]
    if (!token)
      throw unauthorized()
    const hash = await hashPassword(newPassword, app.passwordParams)
    if (upper) {
      // An upper admin belongs to no branch, so no branch's audit log holds this change.
      await setUpperPasswordHash(app.db, accountId, hash)
      await revokeOtherUpperSessions(app.db, accountId, nowIso(), hashToken(token))
      return { ok: true as const }
    }
    const actor = actorOf(request)
    await app.db.transaction().execute(async (trx) => {
      await setPasswordHash(trx, actor.id, hash, nowIso())
      // That it changed, and that other devices were logged out; never the password or its hash.
      await writeAudit(trx, actor, { action: 'auth.password', entity: 'member', entityId: actor.id, data: { otherSessionsEnded: true } })
    })
    await revokeSessions(app.db, actor.id, token)
    return { ok: true as const }
  })
}
