import type { MatrixFixture } from './authz-fixture'
import { randomUUID } from 'node:crypto'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import ExcelJS from 'exceljs'

export type { MatrixFixture } from './authz-fixture'

/** Who calls: nobody, a member, the leader of the target's group, a leader of another group, the branch admin, another branch's admin. */
export const BRANCH_ROLES = ['anonymous', 'member', 'leaderOwn', 'leaderOther', 'admin', 'otherAdmin'] as const
export type MatrixRole = (typeof BRANCH_ROLES)[number]
/** The upper organization's admin over the fixture's branch, and another upper organization's (over the other branch). */
export const UPPER_ROLES = ['upper', 'otherUpper'] as const
export type UpperRole = (typeof UPPER_ROLES)[number]
export const ROLES = [...BRANCH_ROLES, ...UPPER_ROLES] as const
export type AnyRole = (typeof ROLES)[number]

/** What `prepare` made for one request: fresh records, so a route that changes its target can be called by every role. */
export type Prepared = Record<string, any>

export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** The route as Fastify registers it, e.g. /api/members/:id. */
  route: string
  /** Runs once per role before any of the route's requests (and before the audit count). */
  prepare?: (f: MatrixFixture) => Promise<Prepared>
  url: (f: MatrixFixture, p: Prepared) => string
  /** Called once per request, so creating routes get fresh values. */
  body?: (f: MatrixFixture, p: Prepared) => unknown
  /**
   * The upper roles may be left out: a route for logged-in members then refuses them (403
   * UPPER_READ_ONLY), a public read answers them as anyone, and a public write refuses them (403).
   */
  expect: Record<MatrixRole, number> & Partial<Record<UpperRole, number>>
}

/** What the upper roles get when a row does not say (see RouteCase.expect). */
export function fullExpect(c: RouteCase): Record<AnyRole, number> {
  const derived = c.expect.anonymous === 401 ? 403 : c.method === 'GET' ? c.expect.anonymous : 403
  return { ...c.expect, upper: c.expect.upper ?? derived, otherUpper: c.expect.otherUpper ?? derived }
}

/** An upper organization's route: members of every role refused (403), its admin `own`, another organization's `other`. */
export const upperOnly = (own: number, other: number) => ({ anonymous: 401, member: 403, leaderOwn: 403, leaderOther: 403, admin: 403, otherAdmin: 403, upper: own, otherUpper: other })
export const all = (status: number): Record<MatrixRole, number> => ({ anonymous: status, member: status, leaderOwn: status, leaderOther: status, admin: status, otherAdmin: status })
export const loggedIn = (status: number): Record<MatrixRole, number> => ({ ...all(status), anonymous: 401 })
/** A branch admin's route on a record of the branch: another branch's admin must not learn it exists. */
export const adminOnRecord = { anonymous: 401, member: 403, leaderOwn: 403, leaderOther: 403, admin: 200, otherAdmin: 404 }
/** A branch admin's route that is not about one record: another branch's admin acts on their own branch. */
export const adminOnBranch = { anonymous: 401, member: 403, leaderOwn: 403, leaderOther: 403, admin: 200, otherAdmin: 200 }
const BAD_TOKEN = 'no-such-token-0123456789'

/** A one-row roster .xlsx with a login nobody has. */
async function rosterFile(): Promise<Prepared> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('名册').addRows([['姓名', '登录名'], ['新成员', `r${randomUUID().slice(0, 8)}`]])
  return { file: Buffer.from(await wb.xlsx.writeBuffer()) }
}

export const MATRIX: RouteCase[] = [
  { method: 'GET', route: '/api/health', url: () => '/api/health', expect: all(200) },
  { method: 'GET', route: '/api/setup', url: () => '/api/setup', expect: all(200) },
  // Setup is closed once an admin exists, for everybody.
  { method: 'POST', route: '/api/setup', url: () => '/api/setup', body: () => ({ token: BAD_TOKEN, branchName: '支部', adminName: '某', login: 'intruder', password: 'password-1' }), expect: all(409) },
  { method: 'GET', route: '/api/setup/:token', url: () => `/api/setup/${BAD_TOKEN}`, expect: all(404) },
  // Logging in and out are the upper admin's too (one login page for every account).
  { method: 'POST', route: '/api/auth/login', url: () => '/api/auth/login', body: () => ({ login: 'nobody', password: 'wrong-password' }), expect: { ...all(401), upper: 401, otherUpper: 401 } },
  { method: 'POST', route: '/api/auth/logout', url: () => '/api/auth/logout', expect: { ...all(200), upper: 200, otherUpper: 200 } },
  { method: 'GET', route: '/api/auth/me', url: () => '/api/auth/me', expect: { ...loggedIn(200), upper: 200, otherUpper: 200 } },
  // Nobody logged in is a normal answer to the app's session check.
  { method: 'GET', route: '/api/auth/session', url: () => '/api/auth/session', expect: { ...all(200), upper: 200, otherUpper: 200 } },
  // A wrong current password gets past the session gate and stops at the check: 400, not 401.
  // An upper admin changes their own password here too.
  { method: 'POST', route: '/api/auth/password', url: () => '/api/auth/password', body: () => ({ currentPassword: 'wrong-current', newPassword: 'new-password-1' }), expect: { ...loggedIn(400), upper: 400, otherUpper: 400 } },
  { method: 'GET', route: '/api/invites/:token', url: () => `/api/invites/${BAD_TOKEN}`, expect: all(404) },
  { method: 'POST', route: '/api/invites/:token/accept', url: () => `/api/invites/${BAD_TOKEN}/accept`, body: () => ({ password: 'password-1' }), expect: all(404) },
  {
    method: 'POST',
    route: '/api/sync/push',
    url: () => '/api/sync/push',
    body: () => ({ protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [{ opId: randomUUID(), seq: 1, type: 'profile.update', payload: { phone: null }, clientTime: new Date().toISOString() }] }),
    expect: loggedIn(200),
  },
  { method: 'GET', route: '/api/sync/pull', url: () => '/api/sync/pull', expect: loggedIn(200) },

  { method: 'GET', route: '/api/groups', url: () => '/api/groups', expect: loggedIn(200) },
  { method: 'POST', route: '/api/groups', url: () => '/api/groups', body: () => ({ name: `小组${randomUUID().slice(0, 6)}` }), expect: adminOnBranch },
  { method: 'PATCH', route: '/api/groups/:id', url: f => `/api/groups/${f.group1}`, body: () => ({ name: `改名${randomUUID().slice(0, 6)}` }), expect: adminOnRecord },
  { method: 'DELETE', route: '/api/groups/:id', url: f => `/api/groups/${f.emptyGroup}`, expect: adminOnRecord },

  // A leader lists their own group (whichever it is); a member may not list anyone.
  { method: 'GET', route: '/api/members', url: () => '/api/members', expect: { anonymous: 401, member: 403, leaderOwn: 200, leaderOther: 200, admin: 200, otherAdmin: 200 } },
  { method: 'GET', route: '/api/members/:id', url: f => `/api/members/${f.member.id}`, expect: { anonymous: 401, member: 403, leaderOwn: 200, leaderOther: 403, admin: 200, otherAdmin: 404 } },
  { method: 'POST', route: '/api/members', url: () => '/api/members', body: () => ({ name: '新成员', login: `m${randomUUID().slice(0, 8)}`, role: 'member', groupId: null }), expect: adminOnBranch },
  { method: 'PATCH', route: '/api/members/:id', url: f => `/api/members/${f.member.id}`, body: () => ({ name: `改名${randomUUID().slice(0, 6)}` }), expect: adminOnRecord },
  { method: 'POST', route: '/api/members/:id/invite', url: f => `/api/members/${f.member.id}/invite`, expect: adminOnRecord },
  { method: 'POST', route: '/api/members/invites', url: () => '/api/members/invites', body: f => ({ memberIds: [f.member.id] }), expect: adminOnRecord },
  { method: 'GET', route: '/api/members/roster/template', url: () => '/api/members/roster/template', expect: adminOnBranch },
  // Another branch's admin previews and imports into their own branch: fresh logins, no group.
  { method: 'POST', route: '/api/members/roster/preview', prepare: rosterFile, url: () => '/api/members/roster/preview', body: (_f, p) => p.file, expect: adminOnBranch },
  { method: 'POST', route: '/api/members/roster/import', prepare: rosterFile, url: () => '/api/members/roster/import', body: (_f, p) => p.file, expect: adminOnBranch },
  { method: 'GET', route: '/api/audit', url: () => '/api/audit', expect: adminOnBranch },

  // 上级党组织 (issue 14): only its admins; another organization's branch is as absent as a missing one.
  { method: 'GET', route: '/api/upper/overview', url: () => '/api/upper/overview', expect: upperOnly(200, 200) },
  { method: 'GET', route: '/api/upper/branches/:id', url: f => `/api/upper/branches/${f.branchId}`, expect: upperOnly(200, 404) },
  { method: 'POST', route: '/api/upper/branches', url: () => '/api/upper/branches', body: () => ({ name: `支部${randomUUID().slice(0, 6)}` }), expect: upperOnly(200, 200) },
  {
    method: 'POST',
    route: '/api/upper/branches/:id/setup-link',
    prepare: async f => ({ id: (await f.upper.client.post('/api/upper/branches', { name: `待设置${randomUUID().slice(0, 6)}` })).json().branchId }),
    url: (_f, p) => `/api/upper/branches/${p.id}/setup-link`,
    expect: upperOnly(200, 404),
  },
  // 支部争先 and the 评诺 of a branch's pledge to the organization (issue 14 point 4).
  { method: 'GET', route: '/api/upper/assessments', url: () => '/api/upper/assessments', expect: upperOnly(200, 200) },
  { method: 'POST', route: '/api/upper/assessments', url: () => '/api/upper/assessments', body: () => ({ period: freshAssessmentPeriod() }), expect: upperOnly(200, 200) },
  { method: 'GET', route: '/api/upper/assessments/:id', prepare: freshAssessment, url: (_f, p) => `/api/upper/assessments/${p.id}`, expect: upperOnly(200, 404) },
  {
    method: 'POST',
    route: '/api/upper/assessments/:id/branches/:branchId',
    prepare: freshAssessment,
    url: (f, p) => `/api/upper/assessments/${p.id}/branches/${f.branchId}`,
    body: () => ({ scores: { leadership: 4, members: 3, mechanism: 3, results: 4, masses: 3 } }),
    expect: upperOnly(200, 404),
  },
  { method: 'POST', route: '/api/upper/assessments/:id/close', prepare: freshAssessment, url: (_f, p) => `/api/upper/assessments/${p.id}/close`, expect: upperOnly(200, 404) },
  { method: 'GET', route: '/api/upper/branches/:id/pledges', url: f => `/api/upper/branches/${f.branchId}/pledges`, expect: upperOnly(200, 404) },
  {
    method: 'POST',
    route: '/api/upper/branches/:id/pledges/:pledgeId/evaluate',
    prepare: freshBranchPledge,
    url: (f, p) => `/api/upper/branches/${f.branchId}/pledges/${p.id}/evaluate`,
    body: (_f, p) => ({ items: [{ itemId: p.itemId, result: 'kept' }] }),
    expect: upperOnly(200, 404),
  },
  { method: 'GET', route: '/api/branch-assessments', url: () => '/api/branch-assessments', expect: adminOnBranch },
]

let assessmentYear = 2040
/** A period no assessment of the organization has yet (one per organization and period). */
function freshAssessmentPeriod(): string {
  return `${assessmentYear++}-Y`
}

/** A new open assessment of the fixture branch's upper organization. */
async function freshAssessment(f: MatrixFixture): Promise<Prepared> {
  const res = await f.upper.client.post('/api/upper/assessments', { period: freshAssessmentPeriod() })
  if (res.statusCode !== 200)
    throw new Error(`fixture: assessment → ${res.statusCode} ${res.body}`)
  return { id: res.json().id }
}

/** A published pledge of the branch itself (owner 'branch'), to the upper organization. */
async function freshBranchPledge(f: MatrixFixture): Promise<Prepared> {
  const year = Number(new Date().toISOString().slice(0, 4))
  const created = await f.admin.client.post('/api/pledges', { ownerKind: 'branch', year, supervisor: '机关工委', supervisorContact: '0351-1234567', items: [{ category: 'excel', duty: '支部建设', target: '全年三会一课按期召开', dueDate: `${year}-12-31` }] })
  if (created.statusCode !== 200)
    throw new Error(`fixture: branch pledge → ${created.statusCode} ${created.body}`)
  const id = created.json().id as string
  for (const step of ['submit', 'approve', 'publish']) {
    const res = await f.admin.client.post(`/api/pledges/${id}/${step}`)
    if (res.statusCode !== 200)
      throw new Error(`fixture: branch pledge ${step} → ${res.statusCode} ${res.body}`)
  }
  return { id, itemId: created.json().items[0].id }
}
