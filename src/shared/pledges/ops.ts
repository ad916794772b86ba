import { Type } from 'typebox'
import { PhotoIds } from '../photos/constants'
import { Id, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { PLEDGE_LIMITS } from './constants'
import { ProgressStatusSchema } from './schemas'

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
} as const
