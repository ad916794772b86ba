/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { PERIOD_PATTERN } from '../reviews/constants'
import { GroupScoresSchema } from '../reviews/group-schemas'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { BranchOverview } from '../schemas/upper'
import { ASSESSMENT_LIMITS, ASSESSMENT_STATUSES } from './assessment'

const Period = Type.String({ pattern: PERIOD_PATTERN, maxLength: 7 })
const Status = Type.Union([Type.Literal(ASSESSMENT_STATUSES[0]), Type.Literal(ASSESSMENT_STATUSES[1])])
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

export const AssessmentCreateBody = Type.Object({
  period: Period,
  /** Optional: 「2026年上半年支部争先」 is made from the period when none is given. */
  title: Type.Optional(Line(ASSESSMENT_LIMITS.titleMax, 1)),
}, { additionalProperties: false })
export type AssessmentCreateBody = Static<typeof AssessmentCreateBody>

/** The five 五个好 scores (4/3/2/1) and a comment the branch will read. */
export const AssessmentRatingBody = Type.Object({
  scores: GroupScoresSchema,
  comment: Type.Optional(Text(ASSESSMENT_LIMITS.commentMax)),
}, { additionalProperties: false })
export type AssessmentRatingBody = Static<typeof AssessmentRatingBody>

export const AssessmentBranchParams = Type.Object({ id: Id, branchId: Id }, { additionalProperties: false })
export type AssessmentBranchParams = Static<typeof AssessmentBranchParams>

export const AssessmentSummary = Type.Object({
  id: Id,
  title: Type.String(),
  period: Type.String(),
  status: Status,
  /** Branches rated so far, of `branches`. */
  rated: Type.Integer(),
  branches: Type.Integer(),
  createdAt: IsoDateTime,
  closedAt: Type.Union([IsoDateTime, Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
})
export type AssessmentSummary = Static<typeof AssessmentSummary>

export const AssessmentList = Type.Object({ assessments: Type.Array(AssessmentSummary) })
export type AssessmentList = Static<typeof AssessmentList>

export const BranchRating = Type.Object({
  scores: GroupScoresSchema,
  overall: Nullable(Type.Number()),
  comment: Type.String(),
  ratedBy: Type.String(),
  updatedAt: IsoDateTime,
})
export type BranchRating = Static<typeof BranchRating>

/** One assessment with every branch: its figures of the period's year beside its rating (if any). */
export const AssessmentDetail = Type.Object({
  assessment: AssessmentSummary,
  year: Type.Integer(),
  branches: Type.Array(Type.Object({ figures: BranchOverview, rating: Type.Union([BranchRating, Type.Null()]) })),
})
export type AssessmentDetail = Static<typeof AssessmentDetail>

/** What a branch admin sees: the closed assessments of their own branch. */
export const MyBranchAssessments = Type.Object({
  assessments: Type.Array(Type.Object({
    id: Id,
    title: Type.String(),
    period: Type.String(),
    closedAt: Type.Union([IsoDateTime, Type.Null()]),
    rating: Type.Union([BranchRating, Type.Null()]),
  })),
})
export type MyBranchAssessments = Static<typeof MyBranchAssessments>
