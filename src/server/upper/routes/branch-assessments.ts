import type { FastifyInstance } from 'fastify'
import { ErrorBody } from '#shared/schemas/common'
import { MyBranchAssessments } from '#shared/upper/assessment-schemas'
import { actorOf } from '../../plugins/auth'
import { myBranchAssessments } from '../assessment-service'

/** 支部争先, the branch's side: its admins read their own branch's closed assessments (/api/branch-assessments). */
export default async function branchAssessmentRoutes(app: FastifyInstance) {
  app.get('/', {
    preHandler: app.requireRole('branch_admin'),
    schema: { response: { 200: MyBranchAssessments, 401: ErrorBody, 403: ErrorBody } },
  }, async request => myBranchAssessments(app.db, actorOf(request).branchId))
}
