/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { GUEST_RELATIONS, REVIEW_LIMITS as L, MEMBER_DIMENSIONS, REVIEW_STATUSES } from './constants'
import { COMMENT_STATUSES, GUEST_LINK } from './guest'

/*
 * What the guest page and the organizer's guest screens exchange with the server. A guest sees
 * only the session's title, group, period and status, and the members' names and 陈述: the response
 * schemas (additionalProperties: false) drop anything else a later change might add.
 */

export const GuestCodeParams = Type.Object({ code: Type.String({ pattern: GUEST_LINK.codePattern }) })
export type GuestCodeParams = Static<typeof GuestCodeParams>

const ReviewStatusSchema = Type.Enum(REVIEW_STATUSES)
const GuestRelationSchema = Type.Enum(GUEST_RELATIONS)
const CommentStatusSchema = Type.Enum(COMMENT_STATUSES)

export const GuestStatement = Type.Object({
  participation: Type.String(),
  pledges: Type.String(),
  improvement: Type.String(),
}, { additionalProperties: false })

export const GuestSessionMember = Type.Object({
  id: Id,
  name: Type.String(),
  statement: Type.Union([GuestStatement, Type.Null()]),
}, { additionalProperties: false })

export const GuestSession = Type.Object({
  title: Type.String(),
  groupName: Type.String(),
  period: Type.String(),
  status: ReviewStatusSchema,
  members: Type.Array(GuestSessionMember),
}, { additionalProperties: false })
export type GuestSession = Static<typeof GuestSession>

/**
 * Scores are any small integer here so that a 5 or a 0 reaches checkBallot, which names the member
 * in its words (「请给 张三 的五个方面各选一个评价」) rather than a bare validation error.
 */
const Score = Type.Integer({ minimum: -100, maximum: 100 })
const Scores = Type.Object(Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, Score])) as Record<(typeof MEMBER_DIMENSIONS)[number], typeof Score>, { additionalProperties: false })

export const GuestRatingBody = Type.Object({
  rateeId: Id,
  scores: Scores,
  comment: Type.Optional(Text(L.comment)),
}, { additionalProperties: false })

export const GuestBallotBody = Type.Object({
  deviceId: Type.String({ pattern: GUEST_LINK.deviceIdPattern }),
  name: Type.Optional(Line(L.guestName)),
  relation: GuestRelationSchema,
  ratings: Type.Array(GuestRatingBody, { maxItems: L.guestCap }),
}, { additionalProperties: false })
export type GuestBallotBody = Static<typeof GuestBallotBody>

export const GuestBallotAccepted = Type.Object({
  status: Type.Literal('accepted'),
  /** How many members the guest rated. */
  rated: Type.Integer(),
}, { additionalProperties: false })

/* ---------- the organizer's side ---------- */

export const GuestLinkBody = Type.Object({
  cap: Type.Integer({ minimum: 1, maximum: L.guestCap }),
  /** A new code: the old link and QR stop working at once (e.g. a photo of the QR went round). */
  renew: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type GuestLinkBody = Static<typeof GuestLinkBody>

export const GuestLink = Type.Object({
  sessionId: Id,
  title: Type.String(),
  groupName: Type.String(),
  period: Type.String(),
  status: ReviewStatusSchema,
  cap: Type.Integer(),
  /** null until the organizer makes a link. */
  code: Type.Union([Type.String(), Type.Null()]),
  guests: Type.Integer(),
  pendingComments: Type.Integer(),
}, { additionalProperties: false })
export type GuestLink = Static<typeof GuestLink>

export const GuestCommentQuery = Type.Object({ status: Type.Optional(CommentStatusSchema) }, { additionalProperties: false })
export type GuestCommentQuery = Static<typeof GuestCommentQuery>

export const GuestComment = Type.Object({
  ballotId: Id,
  rateeId: Id,
  rateeName: Type.String(),
  comment: Type.String(),
  status: CommentStatusSchema,
  guestName: Type.String(),
  relation: GuestRelationSchema,
  createdAt: IsoDateTime,
}, { additionalProperties: false })
export type GuestComment = Static<typeof GuestComment>
export const GuestCommentList = Type.Array(GuestComment)

export const GuestCommentParams = Type.Object({ id: Id, ballotId: Id, rateeId: Id })
export type GuestCommentParams = Static<typeof GuestCommentParams>

export const GuestModerateBody = Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }, { additionalProperties: false })
export type GuestModerateBody = Static<typeof GuestModerateBody>
