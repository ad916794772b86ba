import type { Role } from '#shared/roles'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SESSION } from '#shared/constants'
import { hasRole } from '#shared/roles'
import fp from 'fastify-plugin'
import { findSessionActor } from '../auth/repository'
import { failure, forbidden, unauthorized } from '../errors'
import { nowIso } from '../util/clock'
import { hashToken } from '../util/ids'

/** The logged-in member as every route sees it. The actor is always this, never an id from a body. */
export interface Actor {
  id: string
  branchId: string
  groupId: string | null
  role: Role
  name: string
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
  }
  interface FastifyInstance {
    /** preHandler: 401 unless logged in. */
    authenticate: (request: FastifyRequest) => Promise<void>
    /** preHandler factory: 401 unless logged in, 403 unless the role is at least `role`. */
    requireRole: (role: Role) => (request: FastifyRequest) => Promise<void>
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The role each of these preHandlers demands ('member': any logged-in member), so the API
 * description says who may call a route from the route itself, with no second list to keep.
 */
const ROLE_OF = new WeakMap<object, Role>()

/** The least role a route's preHandler(s) demand; null when it runs for anyone (public, or a token in the body or path). */
export function requiredRole(preHandler: unknown): Role | null {
  for (const handler of [preHandler].flat()) {
    const role = handler && typeof handler === 'function' ? ROLE_OF.get(handler) : undefined
    if (role)
      return role
  }
  return null
}

export default fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null)

  // CSRF: the session cookie is SameSite=Lax, and every state-changing API call must carry a
  // custom header, which a cross-site form cannot send and a cross-site fetch cannot without CORS.
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/') || SAFE_METHODS.has(request.method))
      return
    if (request.headers[SESSION.csrfHeader] !== '1')
      throw failure(403, 'CSRF', { header: SESSION.csrfHeader })
  })

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const token = request.cookies[SESSION.cookie]
    if (!token)
      return
    request.actor = await findSessionActor(app.db, hashToken(token), nowIso()) ?? null
  })

  const authenticate = async (request: FastifyRequest) => {
    if (!request.actor)
      throw unauthorized()
  }
  ROLE_OF.set(authenticate, 'member')
  app.decorate('authenticate', authenticate)

  app.decorate('requireRole', (role: Role) => {
    const check = async (request: FastifyRequest) => {
      if (!request.actor)
        throw unauthorized()
      if (!hasRole(request.actor.role, role))
        throw forbidden()
    }
    ROLE_OF.set(check, role)
    return check
  })
}, { name: 'auth', dependencies: ['db'] })

/** Narrow `request.actor` after the authenticate preHandler ran. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor)
    throw unauthorized()
  return request.actor
}
