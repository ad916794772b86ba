/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import { Type } from 'typebox'
import { GRADES } from '../appraisal/constants'
import { Id, IsoDateTime, Line, Text } from '../schemas/common'
import { COMMENDATION_LIMITS as L, NOMINEE_STATUSES, ROUND_KINDS, ROUND_LEVELS, ROUND_STATUSES, TITLE_TARGETS } from './constants'

export const RoundKindSchema = Type.Enum(ROUND_KINDS)
export const RoundLevelSchema = Type.Enum(ROUND_LEVELS)
export const TitleTargetSchema = Type.Enum(TITLE_TARGETS)
const Weight = Type.Integer({ minimum: 0, maximum: L.weightMax })

export const Weights = Type.Object({ points: Weight, review: Weight, pledges: Weight, appraisal: Weight }, { additionalProperties: false })
export type Weights = Static<typeof Weights>

export const TitleInput = Type.Object({
  name: Line(L.titleNameMax, 1),
  target: TitleTargetSchema,
  quota: Type.Integer({ minimum: 1, maximum: L.quotaMax }),
}, { additionalProperties: false })
export type TitleInput = Static<typeof TitleInput>

export const RoundCreateBody = Type.Object({
  kind: RoundKindSchema,
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  title: Type.Optional(Line(L.roundTitleMax, 1)),
  level: Type.Optional(RoundLevelSchema),
  publicityDays: Type.Optional(Type.Integer({ minimum: L.publicityDaysMin, maximum: L.publicityDaysMax })),
  /** Omitted: DEFAULT_TITLES. */
  titles: Type.Optional(Type.Array(TitleInput, { minItems: 1, maxItems: L.titlesMax })),
}, { additionalProperties: false })
export type RoundCreateBody = Static<typeof RoundCreateBody>

export const RoundUpdateBody = Type.Object({
  title: Type.Optional(Line(L.roundTitleMax, 1)),
  level: Type.Optional(RoundLevelSchema),
  publicityDays: Type.Optional(Type.Integer({ minimum: L.publicityDaysMin, maximum: L.publicityDaysMax })),
  weights: Type.Optional(Weights),
  /** Replaces the titles (only before nominating starts). */
  titles: Type.Optional(Type.Array(TitleInput, { minItems: 1, maxItems: L.titlesMax })),
}, { additionalProperties: false })
export type RoundUpdateBody = Static<typeof RoundUpdateBody>

export const StepBody = Type.Object({ to: Type.Union([Type.Literal('nominating'), Type.Literal('publicity')]) }, { additionalProperties: false })
export type StepBody = Static<typeof StepBody>

export const Title = Type.Object({ id: Type.String(), name: Type.String(), target: TitleTargetSchema, quota: Type.Integer(), sort: Type.Integer() })

export const NomineeFeedback = Type.Object({ id: Type.String(), name: Type.String(), text: Type.String(), status: Type.String(), createdAt: Type.String() })

export const Nominee = Type.Object({
  id: Type.String(),
  titleId: Type.String(),
  memberId: Type.Union([Type.String(), Type.Null()]),
  groupId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  groupName: Type.Union([Type.String(), Type.Null()]),
  citation: Type.String(),
  status: Type.Enum(NOMINEE_STATUSES),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  /** 公示 feedback: organizers see every status; approved ones only are public. */
  feedback: Type.Array(NomineeFeedback),
})
export type Nominee = Static<typeof Nominee>

export const Round = Type.Object({
  id: Type.String(),
  kind: RoundKindSchema,
  year: Type.Integer(),
  title: Type.String(),
  level: RoundLevelSchema,
  status: Type.Enum(ROUND_STATUSES),
  weights: Weights,
  publicityDays: Type.Integer(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  /** When 公示 ends (publishedAt + publicityDays), null before. */
  publicityEndsAt: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  titles: Type.Array(Title),
  nominees: Type.Array(Nominee),
})
export type Round = Static<typeof Round>
export const RoundList = Type.Array(Type.Omit(Round, ['nominees', 'titles']))

const Num = Type.Union([Type.Number(), Type.Null()])
export const Candidate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  points: Num,
  review: Num,
  pledgesKept: Num,
  grade: Type.Union([Type.Enum(GRADES), Type.Null()]),
  attendance: Num,
  score: Type.Number(),
  parts: Type.Record(Type.String(), Type.Number()),
})
export const Exclusion = Type.Object({ id: Type.String(), name: Type.String(), reason: Type.Union([Type.Literal('vetoed'), Type.Literal('departed')]) })
export const Shortlist = Type.Object({
  weights: Weights,
  titles: Type.Array(Type.Object({
    titleId: Type.String(),
    name: Type.String(),
    target: TitleTargetSchema,
    quota: Type.Integer(),
    candidates: Type.Array(Candidate),
    excluded: Type.Array(Exclusion),
  })),
})
export type Shortlist = Static<typeof Shortlist>

export const MyHonour = Type.Object({ title: Type.String(), roundTitle: Type.String(), year: Type.Integer(), decidedAt: Type.String() })
export const MyHonours = Type.Array(MyHonour)

export const HonourFeedbackBody = Type.Object({
  nomineeId: Id,
  name: Type.Optional(Line(L.feedbackNameMax)),
  text: Text(L.feedbackMax, 1),
}, { additionalProperties: false })
export type HonourFeedbackBody = Static<typeof HonourFeedbackBody>

/** 表彰公示 on the public board: names, titles and citations only, approved feedback only. */
export const BoardHonours = Type.Array(Type.Object({
  roundTitle: Type.String(),
  publicityEndsAt: IsoDateTime,
  nominees: Type.Array(Type.Object({
    id: Type.String(),
    title: Type.String(),
    name: Type.String(),
    citation: Type.String(),
    feedback: Type.Array(Type.Object({ name: Type.String(), text: Type.String(), createdAt: Type.String() }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false }))
export type BoardHonours = Static<typeof BoardHonours>
