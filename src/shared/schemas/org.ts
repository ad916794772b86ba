import type { Static } from 'typebox'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { Id, Login, Name, Phone, RoleSchema, Title } from './common'

export const Group = Type.Object({
  id: Id,
  name: Name,
  memberCount: Type.Integer(),
})
export type Group = Static<typeof Group>

export const GroupBody = Type.Object({ name: Name }, { additionalProperties: false })
export type GroupBody = Static<typeof GroupBody>

export const Member = Type.Object({
  id: Id,
  name: Name,
  login: Login,
  phone: Type.Union([Phone, Type.Null()]),
  role: RoleSchema,
  titles: Type.Array(Title),
  groupId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
  hasPassword: Type.Boolean(),
})
export type Member = Static<typeof Member>

export const MemberCreateBody = Type.Object({
  name: Name,
  login: Login,
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  role: RoleSchema,
  titles: Type.Optional(Type.Array(Title, { maxItems: LIMITS.titlesMax })),
  groupId: Type.Union([Id, Type.Null()]),
}, { additionalProperties: false })
export type MemberCreateBody = Static<typeof MemberCreateBody>

export const MemberUpdateBody = Type.Partial(Type.Object({
  name: Name,
  login: Login,
  phone: Type.Union([Phone, Type.Null()]),
  role: RoleSchema,
  titles: Type.Array(Title, { maxItems: LIMITS.titlesMax }),
  groupId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
}), { additionalProperties: false, minProperties: 1 })
export type MemberUpdateBody = Static<typeof MemberUpdateBody>

export const Invite = Type.Object({
  url: Type.String(),
  expiresAt: Type.String(),
})
export type Invite = Static<typeof Invite>
