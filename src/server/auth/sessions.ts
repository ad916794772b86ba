import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/database'
import { SESSION } from '#shared/constants'
import { addMs, DAY, nowIso } from '../util/clock'
import { hashToken, newToken } from '../util/ids'
import { insertUpperSession, revokeUpperSession } from '../upper/repository'
import { insertSession, revokeMemberSessions, revokeSession } from './repository'

const MAX_AGE_MS = SESSION.days * DAY

/** Opaque random token in an HttpOnly cookie; only its hash is stored, so it can be revoked. */
export async function startSession(db: Db, reply: FastifyReply, memberId: string): Promise<void> {
  const token = newToken()
  await insertSession(db, {
    token_hash: hashToken(token),
    member_id: memberId,
    created_at: nowIso(),
    expires_at: addMs(MAX_AGE_MS),
    revoked_at: null,
  })
  setSessionCookie(reply, token)
}

/**
 * An upper-organization admin's session: the same cookie, a row in upper_session instead. Which
 * table holds the token's hash says whose it is, so no member lookup ever returns an upper admin.
 */
export async function startUpperSession(db: Db, reply: FastifyReply, adminId: string): Promise<void> {
  const token = newToken()
  await insertUpperSession(db, { token_hash: hashToken(token), admin_id: adminId, created_at: nowIso(), expires_at: addMs(MAX_AGE_MS), revoked_at: null })
  setSessionCookie(reply, token)
}

function setSessionCookie(reply: FastifyReply, token: string) {
  reply.setCookie(SESSION.cookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.request.protocol === 'https',
    maxAge: MAX_AGE_MS / 1000,
  })
}

export async function endSession(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[SESSION.cookie]
  if (token) {
    await revokeSession(db, hashToken(token), nowIso())
    await revokeUpperSession(db, hashToken(token), nowIso())
  }
  reply.clearCookie(SESSION.cookie, { path: '/' })
}

/** After a password change or deactivation, every other device must log in again. */
export async function revokeSessions(db: Db, memberId: string, exceptToken?: string): Promise<void> {
  await revokeMemberSessions(db, memberId, nowIso(), exceptToken === undefined ? undefined : hashToken(exceptToken))
}
