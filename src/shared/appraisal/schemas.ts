import { Type } from 'typebox'
import { Id, IsoDate } from '../schemas/common'
import { APPRAISAL_SCOPES, APPRAISAL_STATUSES, GRADES } from './constants'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
/** Written out so the static type is the four grades (a mapped array would widen to string). */
export const GradeSchema = Type.Union([Type.Literal(GRADES[0]), Type.Literal(GRADES[1]), Type.Literal(GRADES[2]), Type.Literal(GRADES[3])])
/** Written out for the same reason: the step and the scope as their literal types, not never. */
export const StatusSchema = Type.Union([Type.Literal(APPRAISAL_STATUSES[0]), Type.Literal(APPRAISAL_STATUSES[1]), Type.Literal(APPRAISAL_STATUSES[2]), Type.Literal(APPRAISAL_STATUSES[3])])
export const ScopeSchema = Type.Union([Type.Literal(APPRAISAL_SCOPES[0]), Type.Literal(APPRAISAL_SCOPES[1])])
const Counts = { excellent: Type.Integer(), qualified: Type.Integer(), basic: Type.Integer(), unqualified: Type.Integer() }

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) })

export const Appraisal = Type.Object({
  id: Id,
  year: Type.Integer(),
  status: StatusSchema,
  scope: ScopeSchema,
  startsOn: IsoDate,
  endsOn: IsoDate,
  excellentNum: Type.Integer(),
  excellentDen: Type.Integer(),
  ballotOpenedAt: Nullable(Type.String()),
  ballotClosedAt: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
})

/** What a member sees of the year's appraisal; never anyone's ballot. */
export const MyAppraisal = Type.Object({
  appraisal: Nullable(Appraisal),
  summary: Type.Optional(Nullable(Type.Object({ text: Type.String(), updatedAt: Type.String() }))),
  voted: Type.Optional(Type.Boolean()),
  ballot: Type.Optional(Type.Object({
    quota: Type.Integer(),
    members: Type.Array(Type.Object({ id: Id, name: Type.String(), vetoed: Type.Boolean() })),
  })),
  result: Type.Optional(Nullable(Type.Object({ ...Counts, finalGrade: Nullable(GradeSchema), reason: Type.String() }))),
})

/** The 支委会's table: counts per member, never a ballot. */
export const AppraisalResults = Type.Object({
  appraisal: Appraisal,
  voters: Type.Integer(),
  members: Type.Array(Type.Object({
    memberId: Id,
    name: Type.String(),
    ...Counts,
    ballotGrade: Nullable(GradeSchema),
    finalGrade: Nullable(GradeSchema),
    reason: Type.String(),
    decidedByName: Nullable(Type.String()),
    summary: Type.String(),
  })),
})
