/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import type { RhythmSettings as RhythmSettingsT } from './rhythm'
import { Type } from 'typebox'
import { Id, IsoDate, IsoDateTime } from '../schemas/common'
import { RHYTHM_LIMITS } from './rhythm'
import { MeetingStatusSchema, MeetingTypeSchema } from './schemas'

/** 三会一课 execution (issue 14 point 3): the branch's rhythm settings and the year's report. */

const L = Type.Literal
const RhythmPeriodSchema = Type.Union([L('month'), L('quarter'), L('year')])
const RhythmRuleSchema = Type.Object({
  period: RhythmPeriodSchema,
  count: Type.Integer({ minimum: 0, maximum: RHYTHM_LIMITS.countMax }),
}, { additionalProperties: false })

/** What the branch admin sets: every type's rhythm, and the minutes after the start before a check-in is 迟到. */
export const RhythmSettings = Type.Object({
  rhythm: Type.Object({
    branch_assembly: RhythmRuleSchema,
    committee: RhythmRuleSchema,
    group_meeting: RhythmRuleSchema,
    party_lecture: RhythmRuleSchema,
    theme_day: RhythmRuleSchema,
    life_meeting: RhythmRuleSchema,
  }, { additionalProperties: false }),
  lateGraceMinutes: Type.Integer({ minimum: 0, maximum: RHYTHM_LIMITS.graceMaxMinutes }),
}, { additionalProperties: false })
// The schema and the shared rules' type must stay the same shape.
export type RhythmSettings = Static<typeof RhythmSettings> & RhythmSettingsT

export const RhythmQuery = Type.Object({
  /** The calendar year (China time); the current one when left out. */
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
}, { additionalProperties: false })
export type RhythmQuery = Static<typeof RhythmQuery>

const PeriodCell = Type.Object({
  index: Type.Integer(),
  from: IsoDate,
  to: IsoDate,
  held: Type.Integer(),
  planned: Type.Integer(),
  state: Type.Union([L('held'), L('missed'), L('open'), L('future'), L('none')]),
})
const Tally = {
  present: Type.Integer(),
  leave: Type.Integer(),
  absent: Type.Integer(),
  late: Type.Integer(),
  rate: Type.Union([Type.Number(), Type.Null()]),
}

/** The report without anyone's name: what an upper organization may be shown too. */
export const RhythmReport = Type.Object({
  year: Type.Integer(),
  today: IsoDate,
  settings: RhythmSettings,
  types: Type.Array(Type.Object({ type: MeetingTypeSchema, period: RhythmPeriodSchema, required: Type.Integer(), periods: Type.Array(PeriodCell), missed: Type.Integer() })),
  groups: Type.Array(Type.Object({ groupId: Id, period: RhythmPeriodSchema, required: Type.Integer(), periods: Type.Array(PeriodCell), missed: Type.Integer(), flagged: Type.Boolean() })),
  meetings: Type.Array(Type.Object({ meetingId: Id, type: MeetingTypeSchema, groupId: Type.Union([Id, Type.Null()]), startsAt: IsoDateTime, expected: Type.Union([Type.Integer(), Type.Null()]), ...Tally })),
  members: Type.Array(Type.Object({ memberId: Id, groupId: Type.Union([Id, Type.Null()]), expected: Type.Integer(), ...Tally })),
  missedTypes: Type.Integer(),
  flaggedGroups: Type.Integer(),
})
export type RhythmReport = Static<typeof RhythmReport>

/** The branch admin's (or a group leader's) 三会一课 执行情况: the report and the names to show it with. */
export const RhythmView = Type.Object({
  /** branch: the whole branch (branch admin); group: one group's members and meetings (its leader). */
  scope: Type.Union([L('branch'), L('group')]),
  report: RhythmReport,
  groups: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  meetings: Type.Array(Type.Object({ id: Id, topic: Type.String(), status: MeetingStatusSchema })),
  members: Type.Array(Type.Object({ id: Id, name: Type.String() })),
})
export type RhythmView = Static<typeof RhythmView>
