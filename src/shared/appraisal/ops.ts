import { Type } from 'typebox'
import { Id, IsoDate, Line, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { APPRAISAL_STATUSES } from './constants'
import { GradeSchema, ScopeSchema } from './schemas'

export const APPRAISAL_LIMITS = { summaryMax: 4000, reasonMax: 500, secretMin: 32, secretMax: 128 } as const

/** The branch admin opens the year's appraisal; the phone makes the id so it opens offline at once. */
export const appraisalOpen = defineOp('appraisal.open', Type.Object({
  id: Id,
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  scope: ScopeSchema,
  startsOn: IsoDate,
  endsOn: IsoDate,
  /** The 优秀 share num/den: at most 1/3 (RULES.md), lower allowed. */
  excellentNum: Type.Integer({ minimum: 0, maximum: 100 }),
  excellentDen: Type.Integer({ minimum: 1, maximum: 100 }),
}, { additionalProperties: false }))

/**
 * The branch admin moves the appraisal one step on: `to` is the step the phone showed next, so a
 * step another admin already took is refused by name instead of skipping one.
 */
export const appraisalStep = defineOp('appraisal.step', Type.Object({
  appraisalId: Id,
  to: Type.Union([Type.Literal(APPRAISAL_STATUSES[1]), Type.Literal(APPRAISAL_STATUSES[2]), Type.Literal(APPRAISAL_STATUSES[3])]),
}, { additionalProperties: false }))

/** A member's 个人总结; written again replaces it until the ballot closes. */
export const appraisalSummary = defineOp('appraisal.summary', Type.Object({
  appraisalId: Id,
  text: Text(APPRAISAL_LIMITS.summaryMax, 1),
}, { additionalProperties: false }))

/**
 * A member's anonymous ballot. `secret` is made by the phone once per appraisal and kept there: the
 * server files the grades under its hash only, so the same phone can change the ballot and nobody
 * can tell whose ballot it is. The voter is the session's, never named here.
 */
export const appraisalBallot = defineOp('appraisal.ballot', Type.Object({
  appraisalId: Id,
  secret: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: APPRAISAL_LIMITS.secretMin, maxLength: APPRAISAL_LIMITS.secretMax }),
  grades: Type.Record(Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }), GradeSchema, { maxProperties: 2000 }),
}, { additionalProperties: false }))

/** The 支委会 sets a member's final grade; a reason is required where it differs from the ballot's grade. */
export const appraisalDecide = defineOp('appraisal.decide', Type.Object({
  appraisalId: Id,
  memberId: Id,
  grade: GradeSchema,
  reason: Text(APPRAISAL_LIMITS.reasonMax),
  /** The member's name as the phone showed it: only to name the op in 同步失败, never read by the server. */
  memberName: Type.Optional(Line(100)),
}, { additionalProperties: false }))

export const APPRAISAL_ENTITY = {
  /** Branch-wide: the year's appraisal and its step. */
  appraisal: 'appraisal',
  /** One member's 个人总结 (the member and the branch admins). */
  summary: 'appraisal-summary',
} as const
