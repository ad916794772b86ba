import { Type } from 'typebox'
import { GradeSchema } from '../appraisal/schemas'
import { Id } from '../schemas/common'

/*
 * 年度积分与表现记录 (issue 13 item 7): one member's year on one A4 page. The server computes it;
 * the phone shows and prints what it is sent.
 */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Cat = { study: Type.Number(), excel: Type.Number(), serve: Type.Number(), discipline: Type.Number(), uphold: Type.Number() }

export const RecordQuery = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  scope: Type.Optional(Type.Union([Type.Literal('member'), Type.Literal('group'), Type.Literal('branch')])),
  id: Type.Optional(Id),
})

export const MemberYearRecord = Type.Object({
  memberId: Id,
  name: Type.String(),
  groupName: Nullable(Type.String()),
  /** The year's base plus every ledger row; 0 with a standing veto (一票否决). */
  total: Type.Number(),
  byCategory: Type.Object(Cat),
  /** Points gained per month, January first (12 numbers). */
  months: Type.Array(Type.Number()),
  pledges: Type.Object({ made: Type.Integer(), kept: Type.Integer() }),
  /** Present ÷ expected over the year's closed meetings (leave not counted); null with none. */
  attendance: Type.Object({ present: Type.Integer(), expected: Type.Integer(), rate: Nullable(Type.Number()) }),
  review: Nullable(Type.Object({ overall: Nullable(Type.Number()), averages: Type.Object({ study: Nullable(Type.Number()), excel: Nullable(Type.Number()), serve: Nullable(Type.Number()), discipline: Nullable(Type.Number()), uphold: Nullable(Type.Number()) }) })),
  appraisalGrade: Nullable(GradeSchema),
  commendations: Type.Array(Type.Object({ title: Type.String(), roundTitle: Type.String() })),
  veto: Nullable(Type.Object({ decision: Type.String(), decidedOn: Type.String() })),
})

export const YearRecords = Type.Object({
  year: Type.Integer(),
  branchName: Type.String(),
  base: Type.Number(),
  members: Type.Array(MemberYearRecord),
})
