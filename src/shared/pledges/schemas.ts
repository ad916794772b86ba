/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { BoardHonours } from '../commendations/schemas'
import { Id, IsoDate, IsoDateTime, Line, Text } from '../schemas/common'
import { FEEDBACK_STATUSES, PLEDGE_LIMITS as L, LIVE_STATUSES, OWNER_KINDS, PLEDGE_CATEGORIES, PLEDGE_STATUSES, PROGRESS_STATUSES, RESULTS } from './constants'

export const PledgeCategorySchema = Type.Enum(PLEDGE_CATEGORIES)
export const OwnerKindSchema = Type.Enum(OWNER_KINDS)
export const PledgeStatusSchema = Type.Enum(PLEDGE_STATUSES)
export const ProgressStatusSchema = Type.Enum(PROGRESS_STATUSES)
export const ResultSchema = Type.Enum(RESULTS)
export const LiveStatusSchema = Type.Enum(LIVE_STATUSES)
export const FeedbackStatusSchema = Type.Enum(FEEDBACK_STATUSES)

/** Text someone must fill in: not only spaces. */
const Filled = (maxLength: number) => Text(maxLength, 1)
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Year = Type.Integer({ minimum: L.yearMin, maximum: L.yearMax })
const Percent = Type.Integer({ minimum: 0, maximum: 100 })

/* ---------- writing a pledge ---------- */

export const PledgeItemBody = Type.Object({
  category: PledgeCategorySchema,
  /** 岗位职责: the job duty the item serves. */
  duty: Filled(L.dutyMax),
  /** A measurable target. */
  target: Filled(L.targetMax),
  dueDate: IsoDate,
}, { additionalProperties: false })
export type PledgeItemBody = Static<typeof PledgeItemBody>

const PledgeContent = {
  /** The period: a year, optionally narrowed to a campaign stage (阶段) of that year. */
  year: Year,
  stage: Type.Optional(Nullable(Line(L.stageMax, 1))),
  /** 监督方式: who supervises, and how the public reaches them (shown on the public board). */
  supervisor: Line(L.supervisorMax, 1),
  supervisorContact: Line(L.contactMax, 1),
  items: Type.Array(PledgeItemBody, { minItems: 1, maxItems: L.itemsMax }),
}

/** A new draft; a group pledge names its group, a branch pledge nothing more. */
export const PledgeCreateBody = Type.Object({
  ownerKind: OwnerKindSchema,
  groupId: Type.Optional(Nullable(Id)),
  ...PledgeContent,
}, { additionalProperties: false })
export type PledgeCreateBody = Static<typeof PledgeCreateBody>

/** Replaces a draft's or a returned pledge's content (its items are written anew). */
export const PledgeUpdateBody = Type.Object(PledgeContent, { additionalProperties: false })
export type PledgeUpdateBody = Static<typeof PledgeUpdateBody>

export const ReturnBody = Type.Object({ reason: Filled(L.reasonMax) }, { additionalProperties: false })
export type ReturnBody = Static<typeof ReturnBody>

export const EvaluateBody = Type.Object({
  items: Type.Array(Type.Object({
    itemId: Id,
    result: ResultSchema,
    comment: Type.Optional(Text(L.commentMax)),
    /** 未兑现 with a good reason (有正当理由): no deduction. */
    excused: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }), { minItems: 1, maxItems: L.itemsMax }),
}, { additionalProperties: false })
export type EvaluateBody = Static<typeof EvaluateBody>

/* ---------- what members and organizers see ---------- */

export const PledgeItem = Type.Object({
  id: Id,
  sort: Type.Integer(),
  category: PledgeCategorySchema,
  duty: Type.String(),
  target: Type.String(),
  dueDate: IsoDate,
  progressStatus: ProgressStatusSchema,
  percent: Percent,
  progressNote: Type.String(),
  progressAt: Nullable(IsoDateTime),
  result: Nullable(ResultSchema),
  resultComment: Type.String(),
  excused: Type.Boolean(),
  /** What the evaluation asks the points ledger for (+5 / −3), null when nothing. */
  pointsRuleKey: Nullable(Type.String()),
  pointsAmount: Nullable(Type.Integer()),
  evaluatedAt: Nullable(IsoDateTime),
})
export type PledgeItem = Static<typeof PledgeItem>

export const Pledge = Type.Object({
  id: Id,
  ownerKind: OwnerKindSchema,
  /** The member's, the group's or the branch's name. */
  ownerName: Type.String(),
  memberId: Nullable(Id),
  groupId: Nullable(Id),
  groupName: Nullable(Type.String()),
  year: Type.Integer(),
  stage: Nullable(Type.String()),
  supervisor: Type.String(),
  supervisorContact: Type.String(),
  status: PledgeStatusSchema,
  returnReason: Nullable(Type.String()),
  liveStatus: LiveStatusSchema,
  createdBy: Id,
  submittedAt: Nullable(IsoDateTime),
  reviewedAt: Nullable(IsoDateTime),
  publishedAt: Nullable(IsoDateTime),
  updatedAt: IsoDateTime,
  items: Type.Array(PledgeItem),
})
export type Pledge = Static<typeof Pledge>

export const Progress = Type.Object({
  id: Id,
  itemId: Id,
  status: ProgressStatusSchema,
  percent: Percent,
  note: Type.String(),
  recordedBy: Id,
  clientTime: IsoDateTime,
  createdAt: IsoDateTime,
  /** Evidence photos, seen by whoever may read the pledge (never on the public board). */
  photoIds: Type.Optional(Type.Array(Id)),
})
export type Progress = Static<typeof Progress>

export const Feedback = Type.Object({
  id: Id,
  pledgeId: Id,
  name: Type.String(),
  text: Type.String(),
  status: FeedbackStatusSchema,
  createdAt: IsoDateTime,
})
export type Feedback = Static<typeof Feedback>

/** One pledge with its progress log and feedback: the archive's unit. */
export const PledgeDetail = Type.Object({
  ...Pledge.properties,
  progress: Type.Array(Progress),
  feedback: Type.Array(Feedback),
})
export type PledgeDetail = Static<typeof PledgeDetail>

export const PledgeList = Type.Array(Pledge)
export const PledgeDetailList = Type.Array(PledgeDetail)

/** List and archive filters; a member always gets their own, a group leader their group's. */
export const PledgeQuery = Type.Object({
  year: Type.Optional(Year),
  memberId: Type.Optional(Id),
  groupId: Type.Optional(Id),
  ownerKind: Type.Optional(OwnerKindSchema),
  status: Type.Optional(PledgeStatusSchema),
  liveStatus: Type.Optional(LiveStatusSchema),
  /** Only what the member wrote or owns, even for an organizer. */
  mine: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type PledgeQuery = Static<typeof PledgeQuery>

export const EvaluateResponse = Type.Object({
  pledge: Pledge,
  /** What the evaluation handed to the points ledger. */
  /** What the evaluation asked the points ledger for, and what it granted after caps (null: the rule is off). */
  points: Type.Array(Type.Object({ memberId: Id, itemId: Id, ruleKey: Type.String(), amount: Type.Integer(), granted: Nullable(Type.Integer()), reason: Type.String() })),
})
export type EvaluateResponse = Static<typeof EvaluateResponse>

export const FeedbackQuery = Type.Object({ status: Type.Optional(FeedbackStatusSchema) }, { additionalProperties: false })
export type FeedbackQuery = Static<typeof FeedbackQuery>

export const ModerateBody = Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }, { additionalProperties: false })
export type ModerateBody = Static<typeof ModerateBody>

export const ModerationItem = Type.Object({
  ...Feedback.properties,
  ownerName: Type.String(),
})
export const ModerationList = Type.Array(ModerationItem)

export const BoardLink = Type.Object({ slug: Type.String() })
export type BoardLink = Static<typeof BoardLink>

/* ---------- the public board: exactly these fields, nothing else ---------- */

export const BoardItem = Type.Object({
  category: PledgeCategorySchema,
  duty: Type.String(),
  target: Type.String(),
  dueDate: IsoDate,
  progressStatus: ProgressStatusSchema,
  percent: Percent,
  progressAt: Nullable(IsoDateTime),
  result: Nullable(ResultSchema),
}, { additionalProperties: false })

export const BoardPledge = Type.Object({
  id: Id,
  ownerKind: OwnerKindSchema,
  ownerName: Type.String(),
  groupName: Nullable(Type.String()),
  year: Type.Integer(),
  stage: Nullable(Type.String()),
  supervisor: Type.String(),
  supervisorContact: Type.String(),
  liveStatus: LiveStatusSchema,
  publishedAt: Nullable(IsoDateTime),
  items: Type.Array(BoardItem),
  feedback: Type.Array(Type.Object({ name: Type.String(), text: Type.String(), createdAt: IsoDateTime }, { additionalProperties: false })),
}, { additionalProperties: false })
export type BoardPledge = Static<typeof BoardPledge>

export const Board = Type.Object({
  branchName: Type.String(),
  pledges: Type.Array(BoardPledge),
  /** 表彰公示: the nominees of rounds in 公示 (src/server/commendations). */
  honours: Type.Optional(BoardHonours),
}, { additionalProperties: false })
export type Board = Static<typeof Board>

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) })

export const FeedbackBody = Type.Object({
  pledgeId: Id,
  /** Optional signature; the public is not asked who they are. */
  name: Type.Optional(Line(L.feedbackNameMax)),
  text: Filled(L.feedbackMax),
}, { additionalProperties: false })
export type FeedbackBody = Static<typeof FeedbackBody>

export const FeedbackAccepted = Type.Object({ status: Type.Literal('pending') })
