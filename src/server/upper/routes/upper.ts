import type { CreateBranchBody as CreateBranchBodyT, YearQuery as YearQueryT } from '#shared/upper/schemas'
import type { FastifyInstance } from 'fastify'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { BranchDetail, BranchSetupLink, CreateBranchBody, Overview, YearQuery } from '#shared/upper/schemas'
import { upperOf } from '../../plugins/auth'
import { branchDetail, createBranch, newBranchLink, overview } from '../service'

/**
 * 上级党组织 (issue 14): its read-only view across its own branches, and the one thing it writes —
 * a new branch and that branch's one-time setup link. Members, whatever their role, are refused.
 */
export default async function upperRoutes(app: FastifyInstance) {
  const preHandler = app.requireUpper

  app.get<{ Querystring: YearQueryT }>('/overview', {
    preHandler,
    schema: { querystring: YearQuery, response: { 200: Overview, 401: ErrorBody, 403: ErrorBody } },
  }, async request => overview(app.db, upperOf(request), request.query.year))

  app.get<{ Params: { id: string }, Querystring: YearQueryT }>('/branches/:id', {
    preHandler,
    schema: { params: IdParams, querystring: YearQuery, response: { 200: BranchDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async request => branchDetail(app.db, upperOf(request), request.params.id, request.query.year))

  app.post<{ Body: CreateBranchBodyT }>('/branches', {
    preHandler,
    schema: { body: CreateBranchBody, response: { 200: BranchSetupLink, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } },
  }, async request => createBranch(app, request, upperOf(request), request.body.name))

  app.post<{ Params: { id: string } }>('/branches/:id/setup-link', {
    preHandler,
    schema: { params: IdParams, response: { 200: BranchSetupLink, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async request => newBranchLink(app, request, upperOf(request), request.params.id))
}
