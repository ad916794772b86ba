import type { MatrixFixture, MatrixRole } from './authz-matrix'
import type { TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FOUNDATION_PREFIXES, MATRIX, registeredRoutes, ROLES } from './authz-matrix'
import { buildTestApp, Client } from './helper'
import { addPerson, countRows, orgFixture } from './org-helper'

/* One branch for the whole file: a fresh database per case costs seconds on PostgreSQL. Every
   case leaves the branch usable (unique names, the empty group removed once), the read-only
   checks run before the matrix adds anything, and logout, which ends the sessions, runs last. */
let t: TestApp
let f: MatrixFixture
beforeAll(async () => {
  t = await buildTestApp()
  const base = await orgFixture(t)
  const leaderOther = await addPerson(t.app, t.handle, base.branchId, 'leader2', 'group_leader', base.group2)
  const emptyGroup = randomUUID()
  await t.handle.db.insertInto('party_group').values({ id: emptyGroup, branch_id: base.branchId, name: '空小组', created_at: new Date().toISOString(), removed_at: null }).execute()
  f = { ...base, leaderOther, emptyGroup }
})
afterAll(async () => {
  await t.close()
})

function clientOf(role: MatrixRole): Client {
  switch (role) {
    case 'anonymous': return new Client(t.app)
    case 'member': return f.member.client
    case 'leaderOwn': return f.leader.client
    case 'leaderOther': return f.leaderOther.client
    case 'admin': return f.admin.client
    case 'otherAdmin': return f.otherAdmin.client
  }
}

describe('cross-site request guard', () => {
  it('should refuse a state-changing call without the x-xianfeng header (403) and change nothing', async () => {
    const before = await countRows(t.handle, 'party_group')
    const res = await t.app.inject({ method: 'POST', url: '/api/groups', payload: { name: '伪造' }, headers: { cookie: f.admin.client.cookie } })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('CSRF')
    expect(await countRows(t.handle, 'party_group')).toBe(before)
  })
})

describe('data a branch sees', () => {
  it('should never show another branch\'s members or groups to its admin (200 with only their own)', async () => {
    const members = (await f.otherAdmin.client.get('/api/members')).json() as { id: string }[]
    expect(members.map(m => m.id).sort()).toEqual([f.otherAdmin.id, f.otherMember.id].sort())
    const groups = (await f.otherAdmin.client.get('/api/groups')).json() as { id: string }[]
    expect(groups.map(g => g.id)).toEqual([f.otherGroup])
  })

  it('should refuse another branch\'s admin a member of this branch with 404, not 403', async () => {
    for (const url of [`/api/members/${f.member.id}`, `/api/members/${f.leader.id}`]) {
      const res = await f.otherAdmin.client.get(url)
      expect(res.statusCode).toBe(404)
    }
    const move = await f.otherAdmin.client.patch(`/api/members/${f.otherMember.id}`, { groupId: f.group1 })
    expect(move.statusCode).toBe(404)
    expect((await t.handle.db.selectFrom('member').select('group_id').where('id', '=', f.otherMember.id).executeTakeFirstOrThrow()).group_id).toBe(f.otherGroup)
  })
})

describe('authorization matrix: every foundation route under every role', () => {
  const LAST = 'POST /api/auth/logout'
  const cases = [...MATRIX].sort((a, b) => Number(`${a.method} ${a.route}` === LAST) - Number(`${b.method} ${b.route}` === LAST))
  for (const c of cases) {
    const summary = ROLES.map(r => `${r} ${c.expect[r]}`).join(', ')
    it(`should answer ${c.method} ${c.route} with ${summary}`, async () => {
      // Refusals first, and they must leave no trace; then the calls that may change something.
      const order = [...ROLES].sort((a, b) => Number(c.expect[a] < 300) - Number(c.expect[b] < 300))
      const auditBefore = await countRows(t.handle, 'audit_log')
      const got: Record<string, number> = {}
      let refusalsChecked = false
      for (const role of order) {
        if (c.expect[role] < 300 && !refusalsChecked) {
          expect(await countRows(t.handle, 'audit_log'), `a refused call to ${c.route} wrote an audit row`).toBe(auditBefore)
          refusalsChecked = true
        }
        const res = await clientOf(role).request(c.method, c.url(f), c.body?.(f) ?? (c.method === 'GET' || c.method === 'DELETE' ? undefined : {}))
        got[role] = res.statusCode
        if (res.statusCode >= 400)
          expect(res.json().message, `${role} ${c.method} ${c.route}`).toMatch(/\S/)
      }
      expect(got).toEqual(c.expect)
    })
  }

  it('should have a row for every foundation route the server registers', () => {
    const covered = new Set(MATRIX.map(c => `${c.method} ${c.route}`))
    const foundation = registeredRoutes(t.app).filter(r => FOUNDATION_PREFIXES.some(p => r.split(' ')[1]!.startsWith(p)))
    expect(foundation.length).toBeGreaterThanOrEqual(MATRIX.length)
    expect(foundation.filter(r => !covered.has(r))).toEqual([])
  })
})
