import type { Static } from 'typebox'
import { Type } from 'typebox'
import { CATEGORIES } from '../points/categories'
import { Id, Login, Name } from './common'

/** 上级党组织管理员 as login and /auth/me answer for them (a member gets `Me`). */
export const UpperMe = Type.Object({
  kind: Type.Literal('upper'),
  id: Id,
  name: Name,
  login: Login,
  upperOrgId: Id,
  upperOrgName: Type.String(),
})
export type UpperMe = Static<typeof UpperMe>

/** Points per 五带头 category as a per-member average (one decimal): never one member's total. */
export const CategoryAverages = Type.Object(Object.fromEntries(CATEGORIES.map(c => [c, Type.Number()])) as Record<(typeof CATEGORIES)[number], ReturnType<typeof Type.Number>>)
export type CategoryAverages = Static<typeof CategoryAverages>

/** Pledge items of the year's approved or published pledges: made, kept (评诺 kept) and overdue (due, not done, not assessed). */
export const PledgeFigures = Type.Object({ made: Type.Integer(), kept: Type.Integer(), overdue: Type.Integer() })
export type PledgeFigures = Static<typeof PledgeFigures>

/** The figures of one unit (a branch, or a group of it): aggregates only, no names of people. */
const UnitFigures = {
  members: Type.Integer(),
  points: CategoryAverages,
  /** The sum of the five averages. */
  pointsTotal: Type.Number(),
  pledges: PledgeFigures,
  /** 讲评 sessions closed in the year. */
  reviewsHeld: Type.Integer(),
}

export const BranchOverview = Type.Object({
  id: Id,
  name: Type.String(),
  /** false until the branch's first admin used the setup link. */
  setUp: Type.Boolean(),
  groups: Type.Integer(),
  ...UnitFigures,
  /** 民主评议 of the year counted or decided. */
  appraisalHeld: Type.Boolean(),
  /**
   * 三会一课 执行 of the year (src/server/meetings/rhythm*): counts only (rhythmSummary). Null in the
   * all-branches overview, which would read every branch's year of attendance; a branch's page has it.
   */
  rhythm: Type.Union([Type.Object({
    meetingsHeld: Type.Integer(),
    missedTypes: Type.Integer(),
    flaggedGroups: Type.Integer(),
    attendanceRate: Type.Union([Type.Integer(), Type.Null()]),
    late: Type.Integer(),
  }), Type.Null()]),
})
export type BranchOverview = Static<typeof BranchOverview>

export const Overview = Type.Object({
  upperOrgName: Type.String(),
  year: Type.Integer(),
  branches: Type.Array(BranchOverview),
})
export type Overview = Static<typeof Overview>

export const GroupOverview = Type.Object({ id: Type.Union([Id, Type.Null()]), name: Type.Union([Type.String(), Type.Null()]), ...UnitFigures })
export type GroupOverview = Static<typeof GroupOverview>

/** A branch drilled into: its groups side by side (null group: members in no group). */
export const BranchDetail = Type.Object({
  branch: BranchOverview,
  year: Type.Integer(),
  groups: Type.Array(GroupOverview),
})
export type BranchDetail = Static<typeof BranchDetail>

export const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false })
export type YearQuery = Static<typeof YearQuery>

export const CreateBranchBody = Type.Object({ name: Name }, { additionalProperties: false })
export type CreateBranchBody = Static<typeof CreateBranchBody>

/** A branch's one-time setup link, shown once to the upper admin to send to the branch's first admin. */
export const BranchSetupLink = Type.Object({
  branchId: Id,
  branchName: Type.String(),
  setupUrl: Type.String(),
  expiresAt: Type.String(),
  /** false: the link's origin came from the request, not PUBLIC_URL (warn before sending it to phones). */
  publicUrlSet: Type.Boolean(),
})
export type BranchSetupLink = Static<typeof BranchSetupLink>
