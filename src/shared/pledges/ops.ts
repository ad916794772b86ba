import { Type } from 'typebox'
import { PhotoIds } from '../photos/constants'
import { Id, IsoDateTime, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { PLEDGE_LIMITS } from './constants'
import { EvaluateBody, PledgeCreateBody, ProgressStatusSchema } from './schemas'

/**
 * 践诺: the owner records progress on one item from the phone, offline through the outbox. The
 * record's id is made on the phone, so a record pushed twice is stored once. 已完成 counts as
 * 100% and 未开始 as 0% whatever percentage is sent.
 */
export const pledgeProgress = defineOp('pledge.progress', Type.Object({
  id: Id,
  itemId: Id,
  status: ProgressStatusSchema,
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  note: Text(PLEDGE_LIMITS.noteMax),
  /** Evidence photos, uploaded by this member before the op is pushed. */
  photoIds: Type.Optional(PhotoIds),
}, { additionalProperties: false }))

/**
 * 公开承诺: write or rewrite a draft (or a returned pledge) from the phone, offline. The pledge's
 * id is made on the phone, so the member opens and edits it before it reaches the server; the
 * first save creates it, later ones replace its content (whose pledge it is never changes).
 */
export const pledgeSave = defineOp('pledge.save', Type.Object({
  id: Id,
  ...PledgeCreateBody.properties,
}, { additionalProperties: false }))

/** Sends a draft or a returned pledge to the branch for review. */
export const pledgeSubmit = defineOp('pledge.submit', Type.Object({ id: Id }, { additionalProperties: false }))

/**
 * The branch's decision on a pledge: approve, return with a reason, publish. `submittedAt` is the
 * submission the organizer decided on: a pledge the member has since rewritten and sent again is
 * refused, never approved unseen.
 */
export const pledgeReview = defineOp('pledge.review', Type.Union([
  Type.Object({ id: Id, move: Type.Literal('approve'), submittedAt: IsoDateTime }, { additionalProperties: false }),
  Type.Object({ id: Id, move: Type.Literal('publish'), submittedAt: IsoDateTime }, { additionalProperties: false }),
  Type.Object({ id: Id, move: Type.Literal('return'), submittedAt: IsoDateTime, reason: Text(PLEDGE_LIMITS.reasonMax, 1) }, { additionalProperties: false }),
]))

/**
 * 评诺 by the branch, offline too: a result per item, each item once. An item another organizer
 * evaluated first is refused with who and what, never overwritten.
 */
export const pledgeEvaluate = defineOp('pledge.evaluate', Type.Object({
  id: Id,
  items: EvaluateBody.properties.items,
}, { additionalProperties: false }))

/** Entities pledges write to the change log, as the phone stores them. */
export const PLEDGE_ENTITY = {
  /** The whole pledge with its items (data: Pledge). */
  pledge: 'pledge',
  /** One 践诺 record (data: Progress). */
  progress: 'pledge_progress',
} as const

/** Why a progress op is refused for good. */
export const PLEDGE_REJECT = {
  notFound: 'PLEDGE_ITEM_NOT_FOUND',
  notOpen: 'PLEDGE_NOT_OPEN',
  evaluated: 'PLEDGE_ITEM_EVALUATED',
  idTaken: 'PLEDGE_PROGRESS_ID_TAKEN',
  /** pledge.save / submit / review: */
  pledgeNotFound: 'PLEDGE_NOT_FOUND',
  pledgeIdTaken: 'PLEDGE_ID_TAKEN',
  locked: 'PLEDGE_LOCKED',
  /** Another organizer decided it first (returned, approved, published): the message says who and what. */
  decided: 'PLEDGE_DECIDED',
  /** The member rewrote and sent it again after the organizer's copy was made. */
  changed: 'PLEDGE_CHANGED',
} as const
