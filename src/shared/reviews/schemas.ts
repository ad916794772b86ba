/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { PERIOD_PATTERN, REVIEW_LIMITS, REVIEW_STATUSES } from './constants'

/*
 * What the 讲评 routes answer and what the phone stores (issue 12). The phone writes through the
 * ops of ./ops.ts; these are the shapes it reads back, online or from pulled records.
 */

const StatusSchema = Type.Union([Type.Literal(REVIEW_STATUSES[0]), Type.Literal(REVIEW_STATUSES[1]), Type.Literal(REVIEW_STATUSES[2]), Type.Literal(REVIEW_STATUSES[3])])
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
/** One schema per 五带头 dimension, spelt out so the static type names each. */
function perDimension<T extends TSchema>(make: () => T) {
  return { study: make(), excel: make(), serve: make(), discipline: make(), uphold: make() }
}

export const ReviewPeriod = Type.String({ pattern: PERIOD_PATTERN, maxLength: 7 })

/** A member the session concerns: who states and who is rated (the group's active members, as the session was last published). */
export const ReviewMember = Type.Object({ id: Id, name: Type.String() })
export type ReviewMember = Static<typeof ReviewMember>

/** A 讲评 session as pulled by its group and the branch admins, and as the routes answer it. */
export const ReviewSession = Type.Object({
  id: Id,
  groupId: Nullable(Id),
  groupName: Nullable(Type.String()),
  meetingId: Nullable(Id),
  meetingTopic: Nullable(Type.String()),
  title: Type.String(),
  period: Type.String(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: StatusSchema,
  createdBy: Type.String(),
  openedAt: Nullable(Type.String()),
  ratingOpenedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  closedByName: Nullable(Type.String()),
  members: Type.Array(ReviewMember),
  updatedAt: Type.String(),
})
export type ReviewSession = Static<typeof ReviewSession>

export const ReviewList = Type.Array(ReviewSession)
export const ReviewListQuery = Type.Object({ period: Type.Optional(ReviewPeriod) }, { additionalProperties: false })

/** 组织生活会-style creation: a group (null: branch-wide), a period, the meeting whose check-in is the attendance. */
export const ReviewCreateBody = Type.Object({
  groupId: Nullable(Id),
  period: ReviewPeriod,
  meetingId: Nullable(Id),
  title: Line(REVIEW_LIMITS.title),
}, { additionalProperties: false })
export type ReviewCreateBody = Static<typeof ReviewCreateBody>

/** The period's own record of a member, computed by the server (never typed): points, pledges, attendance. */
export const PeriodRecord = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** Points granted in the period by 五带头 category (net of deductions), and their sum. */
  points: Type.Object(perDimension(() => Type.Number())),
  pointsTotal: Type.Number(),
  /** The member's pledge items due in the period and how they were kept (践诺). */
  pledges: Type.Object({ items: Type.Integer(), kept: Type.Integer(), partial: Type.Integer(), broken: Type.Integer(), open: Type.Integer() }),
  /** Closed meetings of the period the member was expected at, and how many they attended or were excused from. */
  attendance: Type.Object({ expected: Type.Integer(), present: Type.Integer(), leave: Type.Integer() }),
})
export type PeriodRecord = Static<typeof PeriodRecord>

export const StatementParts = {
  /** 参与情况 */
  participation: Text(REVIEW_LIMITS.statementPart),
  /** 践诺情况 */
  pledges: Text(REVIEW_LIMITS.statementPart),
  /** 努力方向 */
  improvement: Text(REVIEW_LIMITS.statementPart),
}

/** A member's 陈述 with the record attached when it was saved. */
export const ReviewStatement = Type.Object({
  sessionId: Id,
  memberId: Id,
  memberName: Type.String(),
  ...StatementParts,
  record: PeriodRecord,
  updatedAt: Type.String(),
})
export type ReviewStatement = Static<typeof ReviewStatement>

/** The five 五带头 scores of one member on a ballot; integers here, the scale is checkBallot's (so the words are its). */
export const BallotScores = Type.Object(perDimension(() => Type.Integer({ minimum: -1000, maximum: 1000 })), { additionalProperties: false })

export const BallotRatingSchema = Type.Object({
  rateeId: Id,
  scores: BallotScores,
  comment: Type.Optional(Text(REVIEW_LIMITS.comment)),
}, { additionalProperties: false })

/** The rater's own ballot, as the rater (and nobody else) pulls it. */
export const ReviewBallot = Type.Object({
  sessionId: Id,
  ratings: Type.Array(BallotRatingSchema),
  updatedAt: Type.String(),
})
export type ReviewBallot = Static<typeof ReviewBallot>

const Averages = Type.Object(perDimension(() => Nullable(Type.Number())))

/** One member's result: averages per dimension, overall, how many rated, comments let through — never who rated. */
export const ReviewResult = Type.Object({
  memberId: Id,
  name: Type.String(),
  averages: Averages,
  overall: Nullable(Type.Number()),
  raters: Type.Object({ member: Type.Integer(), guest: Type.Integer() }),
  comments: Type.Array(Type.Object({ text: Type.String(), raterKind: Type.Union([Type.Literal('member'), Type.Literal('guest')]) })),
})
export type ReviewResult = Static<typeof ReviewResult>

/** The member's own result of a closed session, pulled by that member alone. */
export const MyReviewResult = Type.Object({ sessionId: Id, result: ReviewResult })
export type MyReviewResult = Static<typeof MyReviewResult>

/** The organizer's results of a closed session, members in name order (no ranking). */
export const ReviewResults = Type.Object({
  session: ReviewSession,
  rows: Type.Array(ReviewResult),
})
export type ReviewResults = Static<typeof ReviewResults>

/** Who of the session's members attended its 组织生活会 (the meeting's QR check-in), and who stated. */
export const ReviewDetail = Type.Object({
  session: ReviewSession,
  canOrganize: Type.Boolean(),
  statements: Type.Array(ReviewStatement),
  attendance: Type.Array(Type.Object({ memberId: Id, name: Type.String(), status: Nullable(Type.String()) })),
  /** The viewer's own period record, so the 陈述 form shows it before anything is saved. */
  myRecord: Nullable(PeriodRecord),
  myBallot: Nullable(ReviewBallot),
  myResult: Nullable(ReviewResult),
  /** Ballots handed in so far (members), never whose. */
  ballots: Type.Integer(),
  serverTime: IsoDateTime,
})
export type ReviewDetail = Static<typeof ReviewDetail>
