import type { FastifySchema, FastifyServerOptions } from 'fastify'
import type { ScryptParams } from './auth/password'
import type { Config } from './config'
import type { DbHandle } from './db/database'
import { readFile } from 'node:fs/promises'
import { LIMITS } from '#shared/constants'
import cookie from '@fastify/cookie'
import Fastify from 'fastify'
import { appraisalBallotHandler, appraisalDecideHandler, appraisalOpenHandler, appraisalStepHandler, appraisalSummaryHandler } from './appraisal/ops'
import appraisalRoutes from './appraisal/routes/appraisals'
import auditRoutes from './audit/routes'
import { PASSWORD_PARAMS } from './auth/password'
import authRoutes from './auth/routes/auth'
import setupRoutes from './auth/routes/setup'
import { commendationDecideHandler, commendationNominateHandler } from './commendations/ops'
import commendationRoutes from './commendations/routes/commendations'
import healthRoutes from './health'
import { checkinHandler, checkoutHandler, leaveHandler, scanHandler } from './meetings/checkin'
import { MeetingSecret } from './meetings/keys'
import { meetingAttendanceHandler, meetingCloseHandler, meetingCreateHandler } from './meetings/ops'
import checkinKeyRoutes from './meetings/routes/checkin-keys'
import meetingRoutes from './meetings/routes/meetings'
import meetingMinutesRoutes from './meetings/routes/minutes'
import rhythmRoutes from './meetings/routes/rhythm'
import openapi from './openapi/plugin'
import { profileUpdateHandler } from './org/profile'
import groupRoutes from './org/routes/groups'
import inviteRoutes from './org/routes/invites'
import memberRoutes from './org/routes/members'
import rosterRoutes from './org/routes/roster'
import photoRoutes from './photos/routes'
import { pledgeEvaluateHandler, pledgeReviewHandler, pledgeSaveHandler, pledgeSubmitHandler } from './pledges/ops'
import { pledgeProgressHandler } from './pledges/progress'
import boardRoutes from './pledges/routes/board'
import pledgeRoutes from './pledges/routes/pledges'
import authPlugin from './plugins/auth'
import compression from './plugins/compression'
import dbPlugin from './plugins/db'
import errorsPlugin from './plugins/errors'
import securityHeaders from './plugins/security-headers'
import staticApp from './plugins/static-app'
import { lazySerializers, validatorCompiler } from './plugins/validators'
import { entryApproveHandler, entryReturnHandler } from './points/approval-ops'
import { pointsAdjustHandler } from './points/grants'
import { entryCreateHandler, entryResubmitHandler } from './points/ops'
import approvalsRoutes from './points/routes/approvals'
import pointsRoutes from './points/routes/points'
import rulesRoutes from './points/routes/rules'
import recordRoutes from './records/routes/records'
import { groupReviewBallotHandler } from './reviews/group-ops'
import { reviewAdvanceHandler, reviewBallotHandler, reviewCreateHandler, reviewStatementHandler } from './reviews/ops'
import groupReviewRoutes from './reviews/routes/group-reviews'
import guestRoutes from './reviews/routes/guest'
import guestOrganizerRoutes from './reviews/routes/guest-organizer'
import reviewRoutes from './reviews/routes/reviews'
import { registerOpHandlers } from './sync/registry'
import syncRoutes from './sync/routes'
import upperAssessmentRoutes from './upper/routes/assessments'
import branchAssessmentRoutes from './upper/routes/branch-assessments'
import upperPledgeRoutes from './upper/routes/pledges'
import upperRoutes from './upper/routes/upper'

export interface AppOptions {
  config: Config
  database: DbHandle
  /** Tests pass cheaper scrypt parameters; production always uses DESIGN §3's. */
  passwordParams?: ScryptParams
  logger?: FastifyServerOptions['logger']
  /** Serve the built PWA; tests of the API alone leave it off. */
  serveApp?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    passwordParams: ScryptParams
    /** Every route as "METHOD /path" (HEAD implied by GET), as registered. */
    routeList: () => string[]
    /** The schema a route was registered with ("METHOD /path" as in routeList), for tests that derive inputs from it. */
    routeSchema: (route: string) => FastifySchema | undefined
  }
}

/** Builds the whole server: infrastructure plugins, then services, then routes. server.ts only listens. */
export async function buildApp(options: AppOptions) {
  const { config } = options
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: LIMITS.bodyBytes,
    // Answer serializers compiled on first use, like the validators below: a start compiles nothing.
    schemaController: lazySerializers(),
    // One proxy, the peer itself: the client address is the one it appended to X-Forwarded-For, not the
    // left-most entry, which any client can write (and so dodge, or turn against others, every per-address limit).
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    ...(config.tlsCert && config.tlsKey ? { https: { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) } } : {}),
  })

  app.setValidatorCompiler(validatorCompiler())
  app.decorate('config', config)
  app.decorate('passwordParams', options.passwordParams ?? PASSWORD_PARAMS)

  // Infrastructure
  await app.register(errorsPlugin)
  // Before any route: it adds its hook to each route as the route registers.
  await app.register(compression)
  await app.register(securityHeaders, { config })
  await app.register(dbPlugin, { db: options.database.db, kind: options.database.kind })
  await app.register(cookie)
  await app.register(authPlugin)

  // The OpenAPI document (/api/openapi.json, viewer at /api/docs) collects the routes as they register. Its own
  // routes come before the route list: public files about the API, not API (tests/server/openapi.test.ts covers them).
  await app.register(openapi)

  // Collected as routes register, so a test can insist that each one has an authorization row.
  const routes = new Map<string, FastifySchema | undefined>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        routes.set(`${method} ${route.url.replace(/(?<=.)\/$/, '')}`, route.schema)
    }
  })
  app.decorate('routeList', () => [...routes.keys()].sort())
  app.decorate('routeSchema', (route: string) => routes.get(route))

  // Not read here: building the app must not need the database (health answers 503 while it is down).
  const meetingSecret = new MeetingSecret(config.secret)

  // What the phone's ops do: one handler for each type of the shared list (#shared/sync/op-types).
  registerOpHandlers([
    profileUpdateHandler,
    entryCreateHandler,
    entryResubmitHandler,
    checkinHandler(meetingSecret),
    leaveHandler,
    pledgeProgressHandler,
    meetingCreateHandler,
    meetingCloseHandler,
    meetingAttendanceHandler,
    pointsAdjustHandler,
    entryApproveHandler,
    entryReturnHandler,
    pledgeSaveHandler,
    pledgeSubmitHandler,
    pledgeReviewHandler,
    pledgeEvaluateHandler,
    scanHandler,
    checkoutHandler(meetingSecret),
    groupReviewBallotHandler,
    reviewCreateHandler,
    reviewAdvanceHandler,
    reviewStatementHandler,
    reviewBallotHandler,
    appraisalOpenHandler,
    appraisalStepHandler,
    appraisalSummaryHandler,
    appraisalBallotHandler,
    appraisalDecideHandler,
    commendationNominateHandler,
    commendationDecideHandler,
  ])

  // Routes
  await app.register(healthRoutes, { prefix: '/api' })
  await app.register(setupRoutes, { prefix: '/api/setup' })
  await app.register(authRoutes, { prefix: '/api/auth' })
  await app.register(inviteRoutes, { prefix: '/api/invites' })
  await app.register(syncRoutes, { prefix: '/api/sync' })
  await app.register(pointsRoutes, { prefix: '/api/points' })
  await app.register(rulesRoutes, { prefix: '/api/points/rules' })
  await app.register(approvalsRoutes, { prefix: '/api/points/approvals' })
  await app.register(groupRoutes, { prefix: '/api/groups' })
  await app.register(memberRoutes, { prefix: '/api/members' })
  await app.register(rosterRoutes, { prefix: '/api/members/roster' })
  await app.register(auditRoutes, { prefix: '/api/audit' })
  await app.register(meetingRoutes, { prefix: '/api/meetings', secret: meetingSecret })
  await app.register(meetingMinutesRoutes, { prefix: '/api/meetings' })
  await app.register(rhythmRoutes, { prefix: '/api/meetings' })
  await app.register(checkinKeyRoutes, { prefix: '/api/checkin' })
  await app.register(pledgeRoutes, { prefix: '/api/pledges' })
  await app.register(boardRoutes, { prefix: '/api/board' })
  await app.register(photoRoutes, { prefix: '/api/photos' })
  await app.register(groupReviewRoutes, { prefix: '/api/group-reviews' })
  await app.register(reviewRoutes, { prefix: '/api/reviews' })
  await app.register(guestRoutes, { prefix: '/api/guest' })
  await app.register(guestOrganizerRoutes, { prefix: '/api/reviews' })
  await app.register(appraisalRoutes, { prefix: '/api/appraisals' })
  await app.register(recordRoutes, { prefix: '/api/records' })
  await app.register(commendationRoutes, { prefix: '/api/commendations' })
  await app.register(upperRoutes, { prefix: '/api/upper' })
  await app.register(upperPledgeRoutes, { prefix: '/api/upper/branches' })
  await app.register(upperAssessmentRoutes, { prefix: '/api/upper/assessments' })
  await app.register(branchAssessmentRoutes, { prefix: '/api/branch-assessments' })

  if (options.serveApp)
    await app.register(staticApp, { root: config.appDir })

  return app
}
