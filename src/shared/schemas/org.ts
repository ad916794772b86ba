import type { Static } from 'typebox'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { Id, IsoDateTime, Login, Name, Phone, RoleSchema, Title } from './common'

/** Entities the organization routes write to the change log, as the phone stores them. */
export const ORG_ENTITY = {
  /** Branch-wide: every member of the branch pulls the group list. */
  group: 'group',
  /** Only the member themself pulls their own record (name, role, group after an admin edits it). */
  member: 'member',
} as const

/* ---------- groups (党小组) ---------- */

export const Group = Type.Object({
  id: Id,
  name: Name,
  /** Active members currently in the group. */
  memberCount: Type.Integer({ minimum: 0 }),
})
export type Group = Static<typeof Group>

export const GroupList = Type.Array(Group)
export type GroupList = Static<typeof GroupList>

/** Create or rename a group. */
export const GroupBody = Type.Object({ name: Name }, { additionalProperties: false })
export type GroupBody = Static<typeof GroupBody>

/* ---------- members (党员) ---------- */

export const Member = Type.Object({
  id: Id,
  name: Name,
  login: Login,
  phone: Type.Union([Phone, Type.Null()]),
  role: RoleSchema,
  titles: Type.Array(Title),
  groupId: Type.Union([Id, Type.Null()]),
  groupName: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  /** False until the member has set a password through an invite: the admin should send one. */
  hasPassword: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
})
export type Member = Static<typeof Member>

export const MemberList = Type.Array(Member)
export type MemberList = Static<typeof MemberList>

/** GET /api/members filters; a group leader always gets their own group whatever they ask. */
export const MemberListQuery = Type.Object({
  groupId: Type.Optional(Id),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type MemberListQuery = Static<typeof MemberListQuery>

const Titles = Type.Array(Title, { maxItems: LIMITS.titlesMax })

export const MemberCreateBody = Type.Object({
  name: Name,
  login: Login,
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  role: RoleSchema,
  titles: Type.Optional(Titles),
  /** A group leader must lead a group; null leaves a member outside any group (e.g. 支部书记). */
  groupId: Type.Union([Id, Type.Null()]),
}, { additionalProperties: false })
export type MemberCreateBody = Static<typeof MemberCreateBody>

/**
 * Edit, move (`groupId`), deactivate (`active: false`, which also logs the member out everywhere)
 * or reactivate (`active: true`). Only the fields given change; at least one is required.
 */
export const MemberUpdateBody = Type.Object({
  name: Type.Optional(Name),
  login: Type.Optional(Login),
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  role: Type.Optional(RoleSchema),
  titles: Type.Optional(Titles),
  groupId: Type.Optional(Type.Union([Id, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 })
export type MemberUpdateBody = Static<typeof MemberUpdateBody>

/** A one-time invite link; the token is in the fragment so it never reaches a server log. Show it as a QR code too. */
export const Invite = Type.Object({
  url: Type.String(),
  expiresAt: IsoDateTime,
  /** False when the server has no PUBLIC_URL: the link uses the address this request came to (the app warns). */
  publicUrlSet: Type.Optional(Type.Boolean()),
})
export type Invite = Static<typeof Invite>

/* ---------- audit log ---------- */

export const AUDIT_PAGE = { default: 50, max: 200 } as const

export const AuditQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE.max })),
}, { additionalProperties: false })
export type AuditQuery = Static<typeof AuditQuery>

export const AuditEntry = Type.Object({
  id: Id,
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  /** e.g. group.create, group.rename, group.remove, member.create, member.update, member.invite */
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  createdAt: IsoDateTime,
})
export type AuditEntry = Static<typeof AuditEntry>

/** Newest first. */
export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
})
export type AuditPage = Static<typeof AuditPage>
