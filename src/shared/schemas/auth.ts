import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Id, Line, Login, Name, Password, RoleSchema, Title } from './common'

export const LoginBody = Type.Object({
  login: Line(64, 1),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false })
export type LoginBody = Static<typeof LoginBody>

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Password,
}, { additionalProperties: false })
export type ChangePasswordBody = Static<typeof ChangePasswordBody>

/** Who is logged in, as the app needs it to draw tabs and decide what to offer. */
export const Me = Type.Object({
  id: Id,
  name: Name,
  login: Login,
  role: RoleSchema,
  titles: Type.Array(Title),
  branchId: Id,
  branchName: Type.String(),
  groupId: Type.Union([Id, Type.Null()]),
  groupName: Type.Union([Type.String(), Type.Null()]),
})
export type Me = Static<typeof Me>

export const SetupStatus = Type.Object({ needsSetup: Type.Boolean() })

/** Whether one setup link still works; a branch's link (from its upper organization) names the branch. */
export const SetupLinkStatus = Type.Object({ needsSetup: Type.Boolean(), branchName: Type.Union([Type.String(), Type.Null()]) })
export type SetupLinkStatus = Static<typeof SetupLinkStatus>

export const SetupBody = Type.Object({
  token: Line(128, 10),
  branchName: Name,
  adminName: Name,
  login: Login,
  password: Password,
}, { additionalProperties: false })
export type SetupBody = Static<typeof SetupBody>

export const InviteInfo = Type.Object({
  memberName: Name,
  login: Login,
  branchName: Type.String(),
  expiresAt: Type.String(),
})
export type InviteInfo = Static<typeof InviteInfo>

export const AcceptInviteBody = Type.Object({
  password: Password,
}, { additionalProperties: false })
export type AcceptInviteBody = Static<typeof AcceptInviteBody>

export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) })
