import type { Role } from '#shared/roles'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { UpperActor } from '../upper/repository'
import { SESSION } from '#shared/constants'
import { hasRole } from '#shared/roles'
import fp from 'fastify-plugin'
import { findSessionActor } from '../auth/repository'
import { failure, forbidden, unauthorized } from '../errors'
import { findUpperSessionActor } from '../upper/repository'
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
    /** The logged-in upper-organization admin (上级党组织管理员), who is never also an actor. */
    upperAdmin: UpperActor | null
  }
  interface FastifyInstance {
    /** preHandler: 401 unless logged in. */
    authenticate: (request: FastifyRequest) => Promise<void>
    /** preHandler factory: 401 unless logged in, 403 unless the role is at least `role`. */
    requireRole: (role: Role) => (request: FastifyRequest) => Promise<void>
    /** preHandler: 401 unless a member or an upper-organization admin is logged in (who am I, log out). */
    anyAccount: (request: FastifyRequest) => Promise<void>
    /** preHandler: 401 unless logged in, 403 unless an upper-organization admin. */
    requireUpper: (request: FastifyRequest) => Promise<void>
  }
}

/** Who a route demands: a member of at least a role, or the upper organization's admin. */
export type RouteRole = Role | 'upper_admin'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** The only writes an upper admin makes: its branches and their setup links, its own password, logging out. */
const UPPER_WRITES = new Set([
  '/api/upper/branches',
  '/api/upper/branches/:id/setup-link',
  // 支部争先 and the 评诺 of a branch's pledge to the organization (issue 14 point 4).
  '/api/upper/assessments',
  '/api/upper/assessments/:id/branches/:branchId',
  '/api/upper/assessments/:id/close',
  '/api/upper/branches/:id/pledges/:pledgeId/evaluate',
  '/api/auth/logout',
  '/api/auth/password',
  '/api/auth/login',
])

/**
 * The role each of these preHandlers demands ('member': any logged-in member), so the API
 * description says who may call a route from the route itself, with no second list to keep.
 */
const ROLE_OF = new WeakMap<object, RouteRole>()

/** The least role a route's preHandler(s) demand; null when it runs for anyone (public, or a token in the body or path). */
export function requiredRole(preHandler: unknown): RouteRole | null {
  for (const handler of [preHandler].flat()) {
    const role = handler && typeof handler === 'function' ? ROLE_OF.get(handler) : undefined
    if (role)
      return role
  }
  return null
}

export default fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null)
  app.decorateRequest('upperAdmin', null)

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
    const hash = hashToken(token)
    const now = nowIso()
    request.actor = await findSessionActor(app.db, hash, now) ?? null
    if (request.actor)
      return
    // Not a member's session: perhaps an upper admin's (a table of its own, so no member role grants it).
    request.upperAdmin = await findUpperSessionActor(app.db, hash, now) ?? null
    // Read-only across its branches: every write but its own (/api/upper: branches and their setup
    // links) and logging out is refused here, public ones (invites, boards, guest ratings) included.
    if (request.upperAdmin && !SAFE_METHODS.has(request.method) && !UPPER_WRITES.has(request.routeOptions.url ?? ''))
      throw forbidden('UPPER_READ_ONLY')
  })

  /** A branch route: an upper admin is refused with a reason, not told to log in. */
  const memberOrRefuse = (request: FastifyRequest) => {
    if (request.actor)
      return
    if (request.upperAdmin)
      throw forbidden('UPPER_READ_ONLY')
    throw unauthorized()
  }
  const authenticate = async (request: FastifyRequest) => {
    memberOrRefuse(request)
  }
  ROLE_OF.set(authenticate, 'member')
  app.decorate('authenticate', authenticate)

  app.decorate('requireRole', (role: Role) => {
    const check = async (request: FastifyRequest) => {
      memberOrRefuse(request)
      if (!hasRole(request.actor!.role, role))
        throw forbidden()
    }
    ROLE_OF.set(check, role)
    return check
  })

  const requireUpper = async (request: FastifyRequest) => {
    if (request.upperAdmin)
      return
    if (request.actor)
      throw forbidden('UPPER_ONLY')
    throw unauthorized()
  }
  ROLE_OF.set(requireUpper, 'upper_admin')

  const anyAccount = async (request: FastifyRequest) => {
    if (!request.actor && !request.upperAdmin)
      throw unauthorized()
  }
  ROLE_OF.set(anyAccount, 'member')
  app.decorate('anyAccount', anyAccount)
  app.decorate('requireUpper', requireUpper)
}, { name: 'auth', dependencies: ['db'] })

/** Narrow `request.upperAdmin` after the requireUpper preHandler ran. */
export function upperOf(request: FastifyRequest): UpperActor {
  if (!request.upperAdmin)
    throw unauthorized()
  return request.upperAdmin
}

/** Narrow `request.actor` after the authenticate preHandler ran. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor)
    throw unauthorized()
  return request.actor
}
