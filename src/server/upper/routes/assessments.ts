import type { AssessmentBranchParams as AssessmentBranchParamsT, AssessmentCreateBody as AssessmentCreateBodyT, AssessmentRatingBody as AssessmentRatingBodyT } from '#shared/upper/assessment-schemas'
import type { FastifyInstance } from 'fastify'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { AssessmentBranchParams, AssessmentCreateBody, AssessmentDetail, AssessmentList, AssessmentRatingBody, AssessmentSummary, BranchRating } from '#shared/upper/assessment-schemas'
import { upperOf } from '../../plugins/auth'
import { assessmentDetail, assessmentList, closeAssessment, createAssessment, rateBranch } from '../assessment-service'

/** 支部争先, the upper organization's side (its only writes besides its branches): /api/upper/assessments. */
export default async function assessmentRoutes(app: FastifyInstance) {
  const preHandler = app.requireUpper

  app.get('/', {
    preHandler,
    schema: { response: { 200: AssessmentList, 401: ErrorBody, 403: ErrorBody } },
  }, async request => assessmentList(app.db, upperOf(request)))

  app.post<{ Body: AssessmentCreateBodyT }>('/', {
    preHandler,
    schema: { body: AssessmentCreateBody, response: { 200: AssessmentSummary, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } },
  }, async request => createAssessment(app.db, upperOf(request), request.body))

  app.get<{ Params: { id: string } }>('/:id', {
    preHandler,
    schema: { params: IdParams, response: { 200: AssessmentDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async request => assessmentDetail(app.db, upperOf(request), request.params.id))

  app.post<{ Params: AssessmentBranchParamsT, Body: AssessmentRatingBodyT }>('/:id/branches/:branchId', {
    preHandler,
    schema: { params: AssessmentBranchParams, body: AssessmentRatingBody, response: { 200: BranchRating, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async request => rateBranch(app.db, upperOf(request), request.params.id, request.params.branchId, request.body))

  app.post<{ Params: { id: string } }>('/:id/close', {
    preHandler,
    schema: { params: IdParams, response: { 200: AssessmentSummary, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async request => closeAssessment(app.db, upperOf(request), request.params.id))
}
