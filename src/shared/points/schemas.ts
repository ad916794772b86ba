/* eslint-disable ts/no-redeclare -- the TypeBox idiom of src/shared/schemas: a schema and its Static<> type share one name */
import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { PhotoIds } from '../photos/constants'
import { Id, IsoDate, IsoDateTime, Line, Text } from '../schemas/common'
import { APPROVALS, CAP_PERIODS, CATEGORIES, ENTRY_SOURCES, ENTRY_STATUSES, POINTS, RETURN_REASONS, STAGES } from './categories'

export const CategorySchema = Type.Enum(CATEGORIES)
export const ApprovalSchema = Type.Enum(APPROVALS)
export const CapPeriodSchema = Type.Enum(CAP_PERIODS)
export const EntryStatusSchema = Type.Enum(ENTRY_STATUSES)
export const StageSchema = Type.Enum(STAGES)
export const EntrySourceSchema = Type.Enum(ENTRY_SOURCES)
export const ReturnReasonSchema = Type.Enum(RETURN_REASONS)
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()])

const Points = Type.Integer({ minimum: -POINTS.pointsMax, maximum: POINTS.pointsMax })
const Note = Text(LIMITS.noteMax)
const Reason = Text(POINTS.reasonMax, 1)
const VariantKey = Type.String({ minLength: 1, maxLength: 20, pattern: '^[a-z0-9-]+$' })

export const RuleVariantSchema = Type.Object({
  key: VariantKey,
  label: Line(30, 1),
  points: Points,
}, { additionalProperties: false })

/** What an organizer sends to add or edit a rule. */
export const RuleBody = Type.Object({
  category: CategorySchema,
  name: Line(POINTS.ruleNameMax, 1),
  points: Points,
  variants: Type.Array(RuleVariantSchema, { maxItems: POINTS.variantsMax }),
  capPoints: Nullable(Type.Integer({ minimum: 1, maximum: 1000 })),
  capPeriod: Nullable(CapPeriodSchema),
  approval: ApprovalSchema,
  evidence: Line(60),
  selfLog: Type.Boolean(),
  active: Type.Boolean(),
  veto: Type.Boolean(),
}, { additionalProperties: false })
export type RuleBody = Static<typeof RuleBody>

export const Rule = Type.Object({
  id: Type.String(),
  key: Nullable(Type.String()),
  versionId: Type.String(),
  version: Type.Integer(),
  ...RuleBody.properties,
  retired: Type.Boolean(),
  sort: Type.Integer(),
  updatedAt: Type.String(),
})
export type Rule = Static<typeof Rule>
export const RuleList = Type.Object({ rules: Type.Array(Rule) })

/** Payload of the `entry.create` op: the id is made on the phone; the member is the session's. */
export const EntryCreatePayload = Type.Object({
  id: Id,
  ruleId: Line(36, 1),
  date: IsoDate,
  note: Note,
  variant: Type.Optional(Nullable(VariantKey)),
  /** Only to say which points the phone showed: a value other than the rule's is refused. */
  points: Type.Optional(Points),
  /** Evidence photos, uploaded by this member before the op is pushed. */
  photoIds: Type.Optional(PhotoIds),
}, { additionalProperties: false })
export type EntryCreatePayload = Static<typeof EntryCreatePayload>

/** Payload of `entry.resubmit`: a returned entry, corrected (its history is kept). */
export const EntryResubmitPayload = Type.Object({
  id: Id,
  date: IsoDate,
  note: Note,
  variant: Type.Optional(Nullable(VariantKey)),
  /** Absent: the photos stay as they were; a list replaces them. */
  photoIds: Type.Optional(PhotoIds),
}, { additionalProperties: false })
export type EntryResubmitPayload = Static<typeof EntryResubmitPayload>

export const Entry = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  memberName: Type.String(),
  ruleId: Nullable(Type.String()),
  ruleVersionId: Nullable(Type.String()),
  ruleName: Type.String(),
  category: CategorySchema,
  variant: Nullable(Type.String()),
  date: IsoDate,
  note: Type.String(),
  /** Points asked for (the rule's, or the tier's). */
  points: Type.Integer(),
  /** Points granted once approved (after a cap or the floor clipped them); null before. */
  granted: Nullable(Type.Integer()),
  clipped: Type.Integer(),
  status: EntryStatusSchema,
  stage: Nullable(StageSchema),
  source: EntrySourceSchema,
  revision: Type.Integer(),
  reviewerName: Nullable(Type.String()),
  returnCode: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Evidence photos (GET /api/photos/:id); absent on copies a phone stored before photos existed. */
  photoIds: Type.Optional(Type.Array(Type.String())),
})
export type Entry = Static<typeof Entry>

export const EntryEvent = Type.Object({
  at: Type.String(),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  data: Type.Unknown(),
})
export const EntryDetail = Type.Object({ entry: Entry, events: Type.Array(EntryEvent) })

export const MemberYearQuery = Type.Object({
  memberId: Type.Optional(Id),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
})
export type MemberYearQuery = Static<typeof MemberYearQuery>

export const EntriesQuery = Type.Object({
  ...MemberYearQuery.properties,
  status: Type.Optional(EntryStatusSchema),
  /** Opaque cursor from the previous page. */
  after: Type.Optional(Line(200)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: POINTS.historyPageMax })),
})
export type EntriesQuery = Static<typeof EntriesQuery>
export const EntryPage = Type.Object({ items: Type.Array(Entry), next: Nullable(Type.String()) })

export const Summary = Type.Object({
  memberId: Type.String(),
  year: Type.Integer(),
  base: Type.Integer(),
  /** Sum of the ledger for the year (grants, deductions, reversals). */
  ledger: Type.Integer(),
  total: Type.Integer(),
  /** Points asked for and still under review: never counted in the total. */
  pending: Type.Integer(),
  pendingCount: Type.Integer(),
  byCategory: Type.Array(Type.Object({ category: CategorySchema, points: Type.Integer(), pending: Type.Integer() })),
  /** Twelve values: the ledger's sum for each month. */
  byMonth: Type.Array(Type.Integer()),
  veto: Nullable(Type.Object({ id: Type.String(), decision: Type.String(), decidedOn: Type.String(), reason: Type.String() })),
  /** Only where the branch turned ranking on. */
  rank: Nullable(Type.Object({ position: Type.Integer(), of: Type.Integer() })),
})
export type Summary = Static<typeof Summary>

export const ApprovalQuery = Type.Object({
  stage: Type.Optional(StageSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: POINTS.approvalPageMax })),
})
export type ApprovalQuery = Static<typeof ApprovalQuery>
export const ApprovalList = Type.Object({ items: Type.Array(Entry), total: Type.Integer() })

export const ApproveBody = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: POINTS.approveManyMax }) }, { additionalProperties: false })
export type ApproveBody = Static<typeof ApproveBody>
export const ApprovalResult = Type.Object({
  id: Type.String(),
  ok: Type.Boolean(),
  entry: Type.Optional(Entry),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
})
export type ApprovalResult = Static<typeof ApprovalResult>
export const ApproveResponse = Type.Object({ results: Type.Array(ApprovalResult) })

export const ReturnBody = Type.Object({
  reason: ReturnReasonSchema,
  text: Type.Optional(Text(POINTS.reasonMax)),
}, { additionalProperties: false })
export type ReturnBody = Static<typeof ReturnBody>

/**
 * The entry as the organizer saw it when deciding, for their own 同步失败 list only (the op's
 * summary names the member and the item). The server never reads it: it loads the entry itself.
 */
export const EntryShown = Type.Object({
  memberName: Text(LIMITS.nameMax),
  ruleName: Text(POINTS.reasonMax),
  date: IsoDate,
}, { additionalProperties: false })
export type EntryShown = Static<typeof EntryShown>

/**
 * Payload of `entry.approve`: an organizer's 通过, decided on the phone, perhaps offline. `revision`
 * is the one the organizer saw: an entry corrected and sent again since is not approved unseen.
 */
export const EntryApprovePayload = Type.Object({
  id: Id,
  revision: Type.Integer({ minimum: 1 }),
  shown: EntryShown,
}, { additionalProperties: false })
export type EntryApprovePayload = Static<typeof EntryApprovePayload>

/** Payload of `entry.return`: an organizer's 退回 with a standard reason (and text, required for 其他). */
export const EntryReturnPayload = Type.Object({
  id: Id,
  revision: Type.Integer({ minimum: 1 }),
  reason: ReturnReasonSchema,
  text: Type.Optional(Text(POINTS.reasonMax)),
  shown: EntryShown,
}, { additionalProperties: false })
export type EntryReturnPayload = Static<typeof EntryReturnPayload>

/** An organizer's grant or deduction: by a rule (its points), or free points with a category; always with a reason. */
export const AdjustmentBody = Type.Object({
  id: Type.Optional(Id),
  memberId: Id,
  date: IsoDate,
  reason: Reason,
  ruleId: Type.Optional(Line(36, 1)),
  variant: Type.Optional(Nullable(VariantKey)),
  category: Type.Optional(CategorySchema),
  points: Type.Optional(Points),
}, { additionalProperties: false })
export type AdjustmentBody = Static<typeof AdjustmentBody>

/** Payload of the `points.adjust` op: an adjustment whose id the phone made, so a resend cannot grant twice. */
export const AdjustmentPayload = Type.Object({
  ...AdjustmentBody.properties,
  id: Id,
}, { additionalProperties: false })
export type AdjustmentPayload = Static<typeof AdjustmentPayload>

export const ReverseBody = Type.Object({ reason: Reason }, { additionalProperties: false })
export type ReverseBody = Static<typeof ReverseBody>

export const VetoBody = Type.Object({
  memberId: Id,
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  decision: Line(POINTS.decisionMax, 1),
  decidedOn: IsoDate,
  reason: Text(POINTS.reasonMax),
}, { additionalProperties: false })
export type VetoBody = Static<typeof VetoBody>
export const Veto = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  year: Type.Integer(),
  decision: Type.String(),
  decidedOn: Type.String(),
  reason: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
})
export type Veto = Static<typeof Veto>

export const PointsSettings = Type.Object({
  baseScore: Type.Integer({ minimum: 0, maximum: 1000 }),
  ranking: Type.Boolean(),
  /** No entry may be dated before this day; null = only the year rule applies. */
  opensOn: Nullable(IsoDate),
}, { additionalProperties: false })
export type PointsSettings = Static<typeof PointsSettings>
export const YearBaseBody = Type.Object({ baseScore: Type.Integer({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false })
export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) })

export const SheetQuery = Type.Object({
  scope: Type.Union([Type.Literal('member'), Type.Literal('group'), Type.Literal('branch')]),
  /** The member or group; the branch is the actor's own. */
  id: Type.Optional(Id),
  period: CapPeriodSchema,
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  /** Month (1–12) or quarter (1–4). */
  index: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
}, { additionalProperties: false })
export type SheetQuery = Static<typeof SheetQuery>

export const SheetRow = Type.Object({
  date: Type.String(),
  item: Type.String(),
  category: CategorySchema,
  points: Type.Integer(),
  clipped: Type.Integer(),
  kind: Type.String(),
  reviewer: Type.String(),
  note: Type.String(),
  running: Type.Integer(),
})
export type SheetRow = Static<typeof SheetRow>
export const SheetMember = Type.Object({
  memberId: Type.String(),
  name: Type.String(),
  groupName: Type.String(),
  base: Type.Integer(),
  /** Base plus the year's ledger before the period starts. */
  opening: Type.Integer(),
  rows: Type.Array(SheetRow),
  periodSum: Type.Integer(),
  /** Year total at the end of the period: never below 0, 0 under 一票否决. */
  total: Type.Integer(),
  veto: Nullable(Type.String()),
})
export type SheetMember = Static<typeof SheetMember>
export const Sheet = Type.Object({
  branchName: Type.String(),
  title: Type.String(),
  from: Type.String(),
  to: Type.String(),
  members: Type.Array(SheetMember),
})
export type Sheet = Static<typeof Sheet>

export const AuditQuery = Type.Object({
  memberId: Type.Optional(Id),
  before: Type.Optional(Line(80)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false })
export type AuditQuery = Static<typeof AuditQuery>
export const AuditPage = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(),
    at: Type.String(),
    actorName: Nullable(Type.String()),
    action: Type.String(),
    entity: Type.String(),
    entityId: Nullable(Type.String()),
    data: Type.Unknown(),
  })),
  next: Nullable(Type.String()),
})

export const LedgerRow = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  entryId: Nullable(Type.String()),
  kind: Type.String(),
  amount: Type.Integer(),
  clipped: Type.Integer(),
  reason: Type.String(),
  actorName: Nullable(Type.String()),
  createdAt: IsoDateTime,
})
