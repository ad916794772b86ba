import { appraisalBallot, appraisalDecide, appraisalOpen, appraisalStep, appraisalSummary } from '../appraisal/ops'
import { commendationDecide, commendationNominate } from '../commendations/ops'
import { checkinCheckout, checkinCreate, checkinScan, leaveRequest, meetingAttendance, meetingClose, meetingCreate } from '../meetings/ops'
import { pledgeEvaluate, pledgeProgress, pledgeReview, pledgeSave, pledgeSubmit } from '../pledges/ops'
import { entryApprove, entryCreate, entryResubmit, entryReturn, pointsAdjust } from '../points/ops'
import { groupReviewBallot } from '../reviews/group-schemas'
import { reviewAdvance, reviewBallot, reviewCreate, reviewStatement } from '../reviews/ops'
import { profileUpdate } from './ops'

/**
 * Every op type the phone may push, listed once: the server registers exactly one handler for
 * each (and refuses a handler for any other), the app has a label and a way out of 同步失败 for
 * each. Each definition lives next to its feature's schemas; a new op type is added here too.
 */
export const OP_DEFINITIONS = [
  profileUpdate,
  entryCreate,
  entryResubmit,
  checkinCreate,
  leaveRequest,
  pledgeProgress,
  pointsAdjust,
  meetingCreate,
  meetingClose,
  meetingAttendance,
  entryApprove,
  entryReturn,
  pledgeSave,
  pledgeSubmit,
  pledgeReview,
  pledgeEvaluate,
  checkinScan,
  checkinCheckout,
  groupReviewBallot,
  reviewCreate,
  reviewAdvance,
  reviewStatement,
  reviewBallot,
  appraisalOpen,
  appraisalStep,
  appraisalSummary,
  appraisalBallot,
  appraisalDecide,
  commendationNominate,
  commendationDecide,
] as const

export type OpType = typeof OP_DEFINITIONS[number]['type']

export const OP_TYPES: readonly OpType[] = OP_DEFINITIONS.map(d => d.type)
