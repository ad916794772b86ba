import { defineOp } from '../sync/protocol'
import { AdjustmentPayload, EntryApprovePayload, EntryCreatePayload, EntryResubmitPayload, EntryReturnPayload } from './schemas'

/** A member logs an activity for points (saved on the phone first, then pushed). */
export const entryCreate = defineOp('entry.create', EntryCreatePayload)
/** A member corrects a returned entry and sends it again. */
export const entryResubmit = defineOp('entry.resubmit', EntryResubmitPayload)
/** An organizer grants or deducts points (加分/扣分) for a member of their group or branch. */
export const pointsAdjust = defineOp('points.adjust', AdjustmentPayload)

/** An organizer approves a pending entry (审核通过), from the approval queue kept on the phone. */
export const entryApprove = defineOp('entry.approve', EntryApprovePayload)
/** An organizer returns a pending entry to its member with a reason (退回). */
export const entryReturn = defineOp('entry.return', EntryReturnPayload)

/** Entities of points as they appear in pulled changes and in the phone's records. */
export const POINTS_ENTITY = {
  entry: 'point_entry',
  rule: 'point_rule',
  settings: 'point_settings',
  veto: 'point_veto',
  /** A year's own base score (entity id `branchId:year`), which overrides the settings' default. */
  yearBase: 'point_year_base',
} as const

/** Why an entry op was refused, for good: shown in the member's 同步失败 list. */
export const ENTRY_REJECT = {
  unknownRule: 'ENTRY_UNKNOWN_RULE',
  ruleRetired: 'ENTRY_RULE_RETIRED',
  ruleInactive: 'ENTRY_RULE_INACTIVE',
  notSelfLog: 'ENTRY_NOT_SELF_LOG',
  pointsNotAllowed: 'ENTRY_POINTS_NOT_ALLOWED',
  variant: 'ENTRY_VARIANT',
  dateInvalid: 'ENTRY_DATE_INVALID',
  dateFuture: 'ENTRY_DATE_FUTURE',
  dateBeforeOpen: 'ENTRY_DATE_BEFORE_OPEN',
  yearClosed: 'ENTRY_YEAR_CLOSED',
  idTaken: 'ENTRY_ID_TAKEN',
  notFound: 'ENTRY_NOT_FOUND',
  notReturned: 'ENTRY_NOT_RETURNED',
  /** Approved, returned or revoked already (by someone else): the message names who and what. */
  notPending: 'ENTRY_NOT_PENDING',
  /** Corrected and sent again since the organizer saw it: they decide on the new version. */
  changed: 'ENTRY_CHANGED',
} as const

/**
 * Why an organizer's 加分/扣分 was refused, by the REST route (with its HTTP status) and the
 * `points.adjust` op alike: shown in the organizer's 同步失败 list.
 */
export const ADJUST_REJECT = {
  memberUnknown: 'ADJUSTMENT_MEMBER_UNKNOWN',
  memberLeft: 'ADJUSTMENT_MEMBER_LEFT',
  notInScope: 'ADJUSTMENT_NOT_IN_SCOPE',
  own: 'OWN_ENTRY',
  ruleUnknown: 'RULE_UNKNOWN',
  ruleInactive: 'RULE_INACTIVE',
  ruleIsVeto: 'RULE_IS_VETO',
  variant: 'RULE_VARIANT',
  pointsNotAllowed: 'POINTS_NOT_ALLOWED',
  incomplete: 'ADJUSTMENT_INCOMPLETE',
  date: 'ADJUSTMENT_DATE',
  idTaken: 'ENTRY_ID_TAKEN',
} as const
