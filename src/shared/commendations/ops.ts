import { Type } from 'typebox'
import { Id, Text } from '../schemas/common'
import { defineOp } from '../sync/protocol'
import { COMMENDATION_LIMITS as L } from './constants'

/**
 * 推荐: an organizer nominates a member (or, for 先进党小组, a group) for a title with the 事迹,
 * offline. The nominee's id is made on the phone: pushed twice, stored once. Over the quota, a
 * vetoed or departed member, or a round past nominating is refused in words.
 */
export const commendationNominate = defineOp('commendation.nominate', Type.Object({
  id: Id,
  roundId: Id,
  titleId: Id,
  memberId: Type.Optional(Id),
  groupId: Type.Optional(Id),
  citation: Text(L.citationMax),
}, { additionalProperties: false }))

/** 支委会 decision after 公示: awarded (points by 岗位业绩受表彰) or not, once per nominee. */
export const commendationDecide = defineOp('commendation.decide', Type.Object({
  nomineeId: Id,
  awarded: Type.Boolean(),
}, { additionalProperties: false }))
