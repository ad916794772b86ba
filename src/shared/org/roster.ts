/* eslint-disable ts/no-redeclare -- TypeBox idiom: a schema and its Static<> type share one name */
import type { Static } from 'typebox'
import type { Role } from '../roles'
import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { hasForbiddenCharacters, Id, IsoDate, IsoDateTime, Line, Login, Name, Phone, RoleSchema } from '../schemas/common'

/*
 * 名册导入 (issue 16 point 6): a branch's roster from the .xlsx template. The server reads the file
 * into cells; the rules here decide each row's fate — new, already there, or refused with every
 * problem in words — the same way for the preview and for the import that follows it.
 */

/** The template's columns, in order; a file may order them differently, the header row decides. */
export const ROSTER_COLUMNS = ['姓名', '登录名', '党小组', '手机号', '角色', '入党日期'] as const
export const ROSTER_REQUIRED = ['姓名', '登录名'] as const

export const ROSTER = {
  /** An .xlsx of a thousand rows is some 60 KB; anything far bigger is not a roster. */
  maxBytes: 1_048_576,
  maxRows: 1000,
  /** How many members one bulk-invite call may ask links for (a sheet of QR codes). */
  maxInvites: 500,
  mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const

/** The 角色 column's words: Chinese as the branch writes them, the code's names too; blank is 党员. */
const ROLE_WORDS: Record<string, Role> = {
  '': 'member',
  '党员': 'member',
  '普通党员': 'member',
  'member': 'member',
  '党小组长': 'group_leader',
  '小组长': 'group_leader',
  '组长': 'group_leader',
  'group_leader': 'group_leader',
  '支部管理员': 'branch_admin',
  '管理员': 'branch_admin',
  'branch_admin': 'branch_admin',
}
/** How the template and its 说明 sheet name each role. */
export const ROLE_IN_ROSTER: Record<Role, string> = { member: '党员', group_leader: '党小组长', branch_admin: '支部管理员' }

/** One data row as read from the file: every cell as text (a date cell as YYYY-MM-DD), `line` its row number in Excel. */
export interface RosterCells {
  line: number
  name: string
  login: string
  group: string
  phone: string
  role: string
  joinedOn: string
}

/** What a row's problems are called (codes of the shared error catalog, ORG_ERRORS), with their params. */
export type RosterProblemCode
  = | 'ROSTER_NAME_MISSING'
    | 'ROSTER_NAME_BAD'
    | 'ROSTER_LOGIN_MISSING'
    | 'ROSTER_LOGIN_BAD'
    | 'ROSTER_LOGIN_DUPLICATE'
    | 'ROSTER_LOGIN_TAKEN'
    | 'ROSTER_GROUP_UNKNOWN'
    | 'ROSTER_LEADER_NEEDS_GROUP'
    | 'ROSTER_PHONE_BAD'
    | 'ROSTER_DATE_BAD'
    | 'ROSTER_ROLE_UNKNOWN'

export interface RosterProblem { code: RosterProblemCode, params: Record<string, string | number> }

/** A row's values once they pass: what a new member is made of. */
export interface RosterValues {
  name: string
  login: string
  groupName: string | null
  phone: string | null
  role: Role
  joinedOn: string | null
}

const LOGIN_RE = /^[\w.@+-]+$/
const PHONE_RE = /^\+?[0-9 -]{5,20}$/

/** YYYY-MM-DD from the ways people type a date in Excel (2001-07-01, 2001/7/1, 2001.7.1, 2001年7月1日), or null. */
export function parseRosterDate(text: string, today: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim())
  if (!m)
    return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return null
  const iso = date.toISOString().slice(0, 10)
  // The Party was founded in 1921; a date after today is a typing mistake.
  return iso >= '1921-07-01' && iso <= today ? iso : null
}

/**
 * One row on its own: name, login, phone, role and date, each checked as the member form and the
 * Member schema would. `today` is YYYY-MM-DD (a join date cannot be later).
 */
export function checkRosterRow(cells: RosterCells, today: string): { values: RosterValues, problems: RosterProblem[] } {
  const problems: RosterProblem[] = []
  const name = cells.name.trim()
  if (!name)
    problems.push({ code: 'ROSTER_NAME_MISSING', params: {} })
  else if (name.length > LIMITS.nameMax || hasForbiddenCharacters(name))
    problems.push({ code: 'ROSTER_NAME_BAD', params: { max: LIMITS.nameMax } })
  const login = cells.login.trim()
  if (!login)
    problems.push({ code: 'ROSTER_LOGIN_MISSING', params: {} })
  else if (login.length < LIMITS.loginMin || login.length > LIMITS.loginMax || !LOGIN_RE.test(login))
    problems.push({ code: 'ROSTER_LOGIN_BAD', params: { login: login.slice(0, LIMITS.loginMax), min: LIMITS.loginMin, max: LIMITS.loginMax } })
  const phone = cells.phone.trim()
  if (phone && !PHONE_RE.test(phone))
    problems.push({ code: 'ROSTER_PHONE_BAD', params: { phone: phone.slice(0, 40) } })
  const roleWord = cells.role.trim()
  const role = ROLE_WORDS[roleWord] ?? ROLE_WORDS[roleWord.toLowerCase()]
  if (!role)
    problems.push({ code: 'ROSTER_ROLE_UNKNOWN', params: { role: roleWord.slice(0, 40) } })
  const dateText = cells.joinedOn.trim()
  const joinedOn = dateText ? parseRosterDate(dateText, today) : null
  if (dateText && !joinedOn)
    problems.push({ code: 'ROSTER_DATE_BAD', params: { date: dateText.slice(0, 40) } })
  const groupName = cells.group.trim() || null
  if (role === 'group_leader' && !groupName)
    problems.push({ code: 'ROSTER_LEADER_NEEDS_GROUP', params: {} })
  return { values: { name, login, groupName, phone: phone || null, role: role ?? 'member', joinedOn }, problems }
}

/** What the branch already holds, for the checks a row cannot make alone. */
export interface RosterContext {
  /** Active groups of the branch by name. */
  groups: ReadonlyMap<string, string>
  /** Members with a login of the file (lower case), anywhere on the server: their name and whether they are of this branch. */
  existing: ReadonlyMap<string, { name: string, sameBranch: boolean }>
  today: string
}

export type RosterStatus = 'new' | 'exists' | 'invalid'

export interface RosterVerdict {
  cells: RosterCells
  values: RosterValues
  groupId: string | null
  status: RosterStatus
  problems: RosterProblem[]
}

/**
 * Every row's verdict. A login twice in the file is a problem on each of its rows (which one is
 * right is for the admin to say); a login already on the server is 已存在 when it is the same
 * person of this branch (same name), so importing a file again changes nothing, and a problem
 * otherwise.
 */
export function checkRoster(rows: readonly RosterCells[], context: RosterContext): RosterVerdict[] {
  const linesOf = new Map<string, number[]>()
  for (const row of rows) {
    const key = row.login.trim().toLowerCase()
    if (key)
      linesOf.set(key, [...(linesOf.get(key) ?? []), row.line])
  }
  return rows.map((cells) => {
    const { values, problems } = checkRosterRow(cells, context.today)
    const key = values.login.toLowerCase()
    const others = (linesOf.get(key) ?? []).filter(line => line !== cells.line)
    if (key && others.length)
      problems.push({ code: 'ROSTER_LOGIN_DUPLICATE', params: { login: values.login, lines: others.join('、') } })
    let groupId: string | null = null
    if (values.groupName) {
      groupId = context.groups.get(values.groupName) ?? null
      if (!groupId)
        problems.push({ code: 'ROSTER_GROUP_UNKNOWN', params: { group: values.groupName.slice(0, LIMITS.nameMax) } })
    }
    const existing = key ? context.existing.get(key) : undefined
    const same = existing?.sameBranch && existing.name === values.name
    if (existing && !same)
      problems.push({ code: 'ROSTER_LOGIN_TAKEN', params: { login: values.login } })
    const status: RosterStatus = problems.length ? 'invalid' : same ? 'exists' : 'new'
    return { cells, values, groupId, status, problems }
  })
}

/* ---------- the API's shapes ---------- */

const Cell = Line(200)
const ProblemParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))

export const RosterRow = Type.Object({
  /** The row's number in Excel (the header is row 1). */
  line: Type.Integer({ minimum: 1 }),
  name: Cell,
  login: Cell,
  group: Cell,
  phone: Cell,
  role: Cell,
  joinedOn: Cell,
  /** new: will be added; exists: 已存在 (the same member, nothing to do); invalid: see problems. */
  status: Type.Union([Type.Literal('new'), Type.Literal('exists'), Type.Literal('invalid')]),
  problems: Type.Array(Type.Object({
    code: Type.String(),
    params: ProblemParams,
    /** Both languages, Chinese first, for API clients; the app words the code itself. */
    message: Type.String(),
  })),
})
export type RosterRow = Static<typeof RosterRow>

export const RosterPreview = Type.Object({
  rows: Type.Array(RosterRow),
  counts: Type.Object({ new: Type.Integer(), exists: Type.Integer(), invalid: Type.Integer() }),
})
export type RosterPreview = Static<typeof RosterPreview>

/** The import's answer: the members it added (for their invites), and the preview it acted on. */
export const RosterImportResult = Type.Object({
  created: Type.Array(Type.Object({ id: Id, name: Name, login: Login, groupName: Type.Union([Type.String(), Type.Null()]), role: RoleSchema, phone: Type.Union([Phone, Type.Null()]), joinedOn: Type.Union([IsoDate, Type.Null()]) })),
  preview: RosterPreview,
})
export type RosterImportResult = Static<typeof RosterImportResult>

/** 批量邀请: one fresh link for each of these members (e.g. everyone the import just added). */
export const BulkInviteBody = Type.Object({
  memberIds: Type.Array(Id, { minItems: 1, maxItems: ROSTER.maxInvites, uniqueItems: true }),
}, { additionalProperties: false })
export type BulkInviteBody = Static<typeof BulkInviteBody>

export const BulkInviteResult = Type.Object({
  invites: Type.Array(Type.Object({ memberId: Id, name: Name, groupName: Type.Union([Type.String(), Type.Null()]), url: Type.String(), expiresAt: IsoDateTime })),
  /** False when the server has no PUBLIC_URL: the links use the address this request came to. */
  publicUrlSet: Type.Boolean(),
})
export type BulkInviteResult = Static<typeof BulkInviteResult>
