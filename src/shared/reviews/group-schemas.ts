/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { PERIOD_PATTERN, REVIEW_LIMITS, SCORES } from './constants'
import { GROUP_REVIEW_STATUSES } from './group-rules'

/** The scale (SCORES: 4/3/2/1), spelled out so the type keeps its literals. */
const ScoreSchema = Type.Union([Type.Literal(SCORES[0]), Type.Literal(SCORES[1]), Type.Literal(SCORES[2]), Type.Literal(SCORES[3])])
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

/** A score on each 五个好 dimension (GROUP_DIMENSIONS). */
export const GroupScoresSchema = Type.Object({ leadership: ScoreSchema, members: ScoreSchema, mechanism: ScoreSchema, results: ScoreSchema, masses: ScoreSchema }, { additionalProperties: false })

export const GroupReviewCreateBody = Type.Object({ period: Type.String({ pattern: PERIOD_PATTERN, maxLength: 7 }) }, { additionalProperties: false })
export type GroupReviewCreateBody = Static<typeof GroupReviewCreateBody>

export const GroupReviewRaterBody = Type.Object({ memberId: Id }, { additionalProperties: false })
export type GroupReviewRaterBody = Static<typeof GroupReviewRaterBody>

/**
 * `group_review.ballot`: a rater's whole ballot, from the phone, offline if need be. Sent again it
 * replaces the rater's earlier ballot (a changed mind) until the admin closes the review.
 */
export const groupReviewBallot = defineOp('group_review.ballot', Type.Object({
  reviewId: Id,
  ratings: Type.Array(Type.Object({
    groupId: Id,
    scores: GroupScoresSchema,
    comment: Type.Optional(Text(REVIEW_LIMITS.comment)),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  /** The period in words as the rater saw it, for their own 同步失败 list only. */
  shown: Type.Object({ period: Line(40) }, { additionalProperties: false }),
}, { additionalProperties: false }))
export type GroupReviewBallotPayload = Static<typeof groupReviewBallot.payload>

const Avg = Nullable(Type.Number())
const Averages = Type.Object({ leadership: Avg, members: Avg, mechanism: Avg, results: Avg, masses: Avg })

/** The figures the raters see beside each group, for the review's period. */
export const GroupFigures = Type.Object({
  members: Type.Integer(),
  meetingsHeld: Type.Integer(),
  /** Present over expected, in whole percent, over the closed meetings the group's members were expected at. */
  attendanceRate: Type.Union([Type.Integer(), Type.Null()]),
  /** Points granted in the period by 五带头 category, per member (two decimals). */
  pointsPerMember: Type.Record(Type.String(), Type.Number()),
  pledgesMade: Type.Integer(),
  itemsKept: Type.Integer(),
  itemsEvaluated: Type.Integer(),
  /** The group's members' 讲评 results of the period, averaged over those rated. */
  memberReview: Type.Object({ overall: Type.Union([Type.Number(), Type.Null()]), rated: Type.Integer() }),
})
export type GroupFigures = Static<typeof GroupFigures>

export const GroupResultSchema = Type.Object({
  averages: Averages,
  overall: Type.Union([Type.Number(), Type.Null()]),
  raters: Type.Integer(),
  comments: Type.Array(Type.String()),
})

export const GroupReviewGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  figures: GroupFigures,
  /** The asking rater's own scores, if they rated this group. */
  mine: Type.Union([Type.Object({ scores: GroupScoresSchema, comment: Type.String() }), Type.Null()]),
  /** Only once the review is closed. */
  result: Type.Union([GroupResultSchema, Type.Null()]),
})

export const GroupReviewSummary = Type.Object({
  id: Type.String(),
  period: Type.String(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: Type.Union([Type.Literal(GROUP_REVIEW_STATUSES[0]), Type.Literal(GROUP_REVIEW_STATUSES[1])]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  ballots: Type.Integer(),
  createdAt: IsoDateTime,
})
export type GroupReviewSummary = Static<typeof GroupReviewSummary>

export const GroupReviewList = Type.Object({ reviews: Type.Array(GroupReviewSummary) })

export const GroupReviewDetail = Type.Object({
  ...GroupReviewSummary.properties,
  branchName: Type.String(),
  raters: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), voted: Type.Boolean(), invited: Type.Boolean() })),
  mayRate: Type.Boolean(),
  mayManage: Type.Boolean(),
  groups: Type.Array(GroupReviewGroup),
})
export type GroupReviewDetail = Static<typeof GroupReviewDetail>
