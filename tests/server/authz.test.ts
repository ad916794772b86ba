import type { AnyRole, MatrixFixture, Prepared } from './authz-matrix'
import type { TestApp } from './helper'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matrixFixture } from './authz-fixture'
import { fullExpect, MATRIX, ROLES } from './authz-matrix'
import { FEATURE_MATRIX, itemStatus } from './authz-matrix-features'
import { buildTestApp, Client } from './helper'
import { countRows } from './org-helper'

/* One branch for the whole file: a fresh database per case costs seconds on PostgreSQL. Every
   case leaves the branch usable (unique names, the empty group removed once), the read-only
   checks run before the matrix adds anything, and logout, which ends the sessions, runs last. */
let t: TestApp
let f: MatrixFixture
beforeAll(async () => {
  t = await buildTestApp()
  f = await matrixFixture(t)
})
afterAll(async () => {
  await t.close()
})

function clientOf(role: AnyRole): Client {
  const client = (() => {
    switch (role) {
      case 'anonymous': return new Client(t.app)
      case 'member': return f.member.client
      case 'leaderOwn': return f.leader.client
      case 'leaderOther': return f.leaderOther.client
      case 'admin': return f.admin.client
      case 'otherAdmin': return f.otherAdmin.client
      case 'upper': return f.upper.client
      case 'otherUpper': return f.otherUpper.client
    }
  })()
  // Each role calls from its own address, as eight people on eight phones would (limits per address).
  client.remoteAddress = `127.0.0.${ROLES.indexOf(role) + 10}`
  return client
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

describe('what a 200 shows', () => {
  const ids = (items: { id: string }[]) => items.map(i => i.id)

  it('should show another branch\'s admin none of this branch\'s meetings, pledges, points or changes', async () => {
    const c = f.otherAdmin.client
    expect(ids((await c.get('/api/meetings?view=all')).json())).not.toContain(f.meetingId)
    expect(ids((await c.get('/api/pledges')).json())).not.toContain(f.pledgeId)
    expect(ids((await c.get('/api/pledges/archive')).json())).not.toContain(f.pledgeId)
    expect(ids((await c.get('/api/points/approvals?stage=group')).json().items)).not.toContain(f.entryId)
    const audit = JSON.stringify((await c.get('/api/points/audit')).json())
    expect(audit).not.toContain(f.entryId)
    const pulled = (await c.get('/api/sync/pull')).json().changes as { entityId: string }[]
    for (const id of [f.meetingId, f.entryId, f.pledgeId, f.member.id])
      expect(pulled.some(ch => ch.entityId === id), `another branch pulled ${id}`).toBe(false)
  })

  it('should keep a member\'s unreviewed points and draft pledge from another group\'s leader and members', async () => {
    expect(ids((await f.leaderOther.client.get('/api/points/approvals')).json().items)).not.toContain(f.entryId)
    expect(ids((await f.leader.client.get('/api/points/approvals')).json().items)).toContain(f.entryId)
    for (const who of [f.leaderOther, f.member2]) {
      expect(ids((await who.client.get('/api/pledges')).json())).not.toContain(f.pledgeId)
      const pulled = (await who.client.get('/api/sync/pull')).json().changes as { entityId: string }[]
      expect(pulled.some(ch => ch.entityId === f.entryId || ch.entityId === f.pledgeId)).toBe(false)
    }
  })
})

describe('authorization matrix: every route under every role', () => {
  const LAST = 'POST /api/auth/logout'
  const cases = [...MATRIX, ...FEATURE_MATRIX].sort((a, b) => Number(`${a.method} ${a.route}` === LAST) - Number(`${b.method} ${b.route}` === LAST))
  for (const c of cases) {
    const expected = fullExpect(c)
    const summary = ROLES.map(r => `${r} ${expected[r]}`).join(', ')
    it(`should answer ${c.method} ${c.route} with ${summary}`, async () => {
      const prepared = {} as Record<AnyRole, Prepared>
      for (const role of ROLES)
        prepared[role] = (await c.prepare?.(f)) ?? {}
      // Refusals first, and they must leave no trace; then the calls that may change something.
      const order = [...ROLES].sort((a, b) => Number(expected[a] < 300) - Number(expected[b] < 300))
      const auditBefore = await countRows(t.handle, 'audit_log')
      const got: Record<string, number> = {}
      let refusalsChecked = false
      for (const role of order) {
        if (expected[role] < 300 && !refusalsChecked) {
          expect(await countRows(t.handle, 'audit_log'), `a refused call to ${c.route} wrote an audit row`).toBe(auditBefore)
          refusalsChecked = true
        }
        const p = prepared[role]
        const res = await clientOf(role).request(c.method, c.url(f, p), c.body?.(f, p) ?? (c.method === 'GET' || c.method === 'DELETE' ? undefined : {}))
        got[role] = itemStatus(c.route, res.statusCode, () => res.json())
        if (res.statusCode >= 400)
          expect(res.json().message, `${role} ${c.method} ${c.route}`).toMatch(/\S/)
      }
      expect(got).toEqual(expected)
    })
  }

  it('should have a row for every route the server registers, so a new route cannot go untested', () => {
    const rows = [...MATRIX, ...FEATURE_MATRIX].map(c => `${c.method} ${c.route}`)
    expect(rows.filter((r, i) => rows.indexOf(r) !== i), 'routes with two rows').toEqual([])
    const registered = t.app.routeList()
    expect(registered.filter(r => !rows.includes(r)), 'registered routes missing from the matrix (tests/server/authz-matrix*.ts)').toEqual([])
    expect(rows.filter(r => !registered.includes(r)), 'matrix rows for routes that no longer exist').toEqual([])
  })
})
