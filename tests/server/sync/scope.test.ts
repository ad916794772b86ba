import type { Client, TestApp } from '../helper'
import type { Person } from '../meeting-helper'
import { migrations } from '#server/db/migrations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture, person } from '../meeting-helper'

/* A 党小组's meeting reaches only the phones that may open it (GET /api/meetings/:id): its group,
   the branch admins and its creator. A move to another group makes the phone start over. */

interface Change { seq: number, entity: string, entityId: string, op: string, data: { status?: string, topic?: string } }
interface Pulled { changes: Change[], cursor: string, resets: number }

let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

/** Every page from `since`, as the phone's sync engine reads them. */
async function pullAll(client: Client, since = '', limit = 500): Promise<Pulled> {
  const out: Pulled = { changes: [], cursor: since, resets: 0 }
  for (;;) {
    const res = await client.get(`/api/sync/pull?since=${encodeURIComponent(out.cursor)}&limit=${limit}`)
    expect(res.statusCode).toBe(200)
    const page = res.json() as { changes: Change[], cursor: string, hasMore: boolean, reset?: boolean }
    if (page.reset) {
      out.resets++
      out.changes = []
    }
    out.changes.push(...page.changes)
    out.cursor = page.cursor
    if (!page.hasMore)
      return out
    if (out.resets > 1)
      throw new Error('pull reset more than once')
  }
}

const meetingIds = (p: Pulled) => new Set(p.changes.filter(c => c.entity === 'meeting').map(c => c.entityId))

async function counter(): Promise<number> {
  return (await t.handle.db.selectFrom('sync_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq
}

async function memberId(login: string): Promise<string> {
  return (await t.handle.db.selectFrom('member').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id
}

describe('group-scoped sync', () => {
  it('sends a group meeting to its group, its leader and the branch admin only, as GET /api/meetings/:id allows (200)', async () => {
    const groupMeeting = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '第一小组会' })
    const branchMeeting = await createMeeting(f.admin, { topic: '支部党员大会' })
    const who: [string, Client, boolean][] = [
      ['admin', f.admin, true],
      ['leader1', f.leader1.client, true],
      ['m1', f.m1.client, true],
      ['m2', f.m2.client, true],
      ['leader2', f.leader2.client, false],
      ['g2', f.g2.client, false],
    ]
    for (const [name, client, sees] of who) {
      const pulled = meetingIds(await pullAll(client))
      expect({ name, group: pulled.has(groupMeeting) }).toEqual({ name, group: sees })
      expect({ name, branch: pulled.has(branchMeeting) }).toEqual({ name, branch: true })
      expect({ name, get: (await client.get(`/api/meetings/${groupMeeting}`)).statusCode }).toEqual({ name, get: sees ? 200 : 404 })
    }
    const outsider = meetingIds(await pullAll(f.outsider.client))
    expect(outsider.has(groupMeeting) || outsider.has(branchMeeting)).toBe(false)
  })

  it('never sends another group\'s meeting through edits and cancel, while the cursor still moves past them (200)', async () => {
    const before = await pullAll(f.g2.client)
    const leader1Before = await pullAll(f.leader1.client)
    const id = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '小组学习' })
    const edited = await f.leader1.client.patch(`/api/meetings/${id}`, { type: 'group_meeting', groupId: f.group1, topic: '小组学习（改）', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), place: '二楼', agenda: '' })
    expect(edited.statusCode).toBe(200)
    expect((await f.leader1.client.post(`/api/meetings/${id}/cancel`)).statusCode).toBe(200)

    const after = await pullAll(f.g2.client, before.cursor)
    expect(after.resets).toBe(0)
    expect(meetingIds(after).has(id)).toBe(false)
    expect(Number(after.cursor.split('.').at(-1))).toBe(await counter())
    // Paged one change at a time, the hidden rows still never appear and the pull ends.
    expect(meetingIds(await pullAll(f.g2.client, before.cursor, 1)).has(id)).toBe(false)

    const leader1 = await pullAll(f.leader1.client, leader1Before.cursor)
    expect(leader1.changes.filter(c => c.entityId === id).map(c => c.data.status)).toEqual(['scheduled', 'scheduled', 'cancelled'])
  })

  it('starts a moved member\'s phone over: the new group\'s meetings arrive, the old group\'s are gone (200 reset)', async () => {
    const mover = await person(t.app, t.handle, f.branchId, 'mover', 'member', f.group1)
    const oldGroup = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1, topic: '一组会' })
    const newGroup = await createMeeting(f.leader2.client, { type: 'group_meeting', groupId: f.group2, topic: '二组会' })
    const before = await pullAll(mover.client)
    expect(meetingIds(before).has(oldGroup)).toBe(true)
    expect(meetingIds(before).has(newGroup)).toBe(false)

    expect((await f.admin.patch(`/api/members/${mover.id}`, { groupId: f.group2 })).statusCode).toBe(200)
    // Small pages: the pages after the reset carry on from it rather than starting over again.
    const after = await pullAll(mover.client, before.cursor, 2)
    expect(after.resets).toBe(1)
    expect(meetingIds(after).has(newGroup)).toBe(true)
    expect(meetingIds(after).has(oldGroup)).toBe(false)
    expect(after.changes.find(c => c.entity === 'member' && c.entityId === mover.id)?.data).toMatchObject({ groupId: f.group2 })
    expect((await mover.client.get(`/api/meetings/${newGroup}`)).statusCode).toBe(200)
    expect((await mover.client.get(`/api/meetings/${oldGroup}`)).statusCode).toBe(404)

    const again = await pullAll(mover.client, after.cursor)
    expect(again).toMatchObject({ resets: 0, changes: [] })
    // An edit of a member that does not change what they see keeps their cursor.
    expect((await f.admin.patch(`/api/members/${mover.id}`, { name: '调动者' })).statusCode).toBe(200)
    expect((await pullAll(mover.client, after.cursor)).resets).toBe(0)
  })

  it('keeps sending a meeting to whoever created it after they leave its group and role (200)', async () => {
    const creator: Person = await person(t.app, t.handle, f.branchId, 'admin2', 'branch_admin', null)
    const id = await createMeeting(creator.client, { type: 'group_meeting', groupId: f.group2, topic: '二组专题会' })
    const before = await pullAll(creator.client)
    expect(meetingIds(before).has(id)).toBe(true)

    expect((await f.admin.patch(`/api/members/${await memberId('admin2')}`, { role: 'member', groupId: f.group1 })).statusCode).toBe(200)
    expect((await creator.client.get(`/api/meetings/${id}`)).statusCode).toBe(200)
    const after = await pullAll(creator.client, before.cursor)
    expect(after.resets).toBe(1)
    expect(meetingIds(after).has(id)).toBe(true)
    // Another second-group meeting it did not create is no longer its to pull.
    const other = await createMeeting(f.leader2.client, { type: 'group_meeting', groupId: f.group2, topic: '二组另一会' })
    expect(meetingIds(await pullAll(creator.client, after.cursor)).has(other)).toBe(false)
    expect((await creator.client.get(`/api/meetings/${other}`)).statusCode).toBe(404)
  })

  it('takes a meeting moved to another group off the old group\'s phones (200 delete)', async () => {
    const m1Before = await pullAll(f.m1.client)
    const g2Before = await pullAll(f.g2.client)
    const id = await createMeeting(f.admin, { type: 'group_meeting', groupId: f.group1, topic: '调整前' })
    const moved = await f.admin.patch(`/api/meetings/${id}`, { type: 'group_meeting', groupId: f.group2, topic: '调整后', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), place: '二楼', agenda: '' })
    expect(moved.statusCode).toBe(200)
    const m1 = (await pullAll(f.m1.client, m1Before.cursor)).changes.filter(c => c.entityId === id)
    expect(m1.map(c => c.op)).toEqual(['upsert', 'delete'])
    const g2 = (await pullAll(f.g2.client, g2Before.cursor)).changes.filter(c => c.entityId === id)
    expect(g2.map(c => [c.op, c.data.topic])).toEqual([['upsert', '调整后']])
    // The organizer who sees both scopes ends with the meeting, not a delete.
    expect((await pullAll(f.admin)).changes.filter(c => c.entityId === id).at(-1)).toMatchObject({ op: 'upsert', data: { topic: '调整后' } })
  })
})

describe('group meetings logged before the change log had group scope', () => {
  it('are scoped by the migration, so a phone starting over gets only its own group\'s (200)', async () => {
    const own = await buildTestApp()
    try {
      const g = await meetingFixture(own)
      const groupMeeting = await createMeeting(g.leader1.client, { type: 'group_meeting', groupId: g.group1 })
      const branchMeeting = await createMeeting(g.admin, {})
      const migration = migrations['2026_11_28_0810_sync_scope']!
      // The later scope column (2026_12_03_1810) is generated from group_id: undone first, redone last, as an upgrade runs them.
      const scopeColumn = migrations['2026_12_03_1810_change_log_scope']!
      await scopeColumn.down!(own.handle.db)
      await migration.down!(own.handle.db)
      await own.handle.db.updateTable('change_log').set({ member_id: null }).where('entity', '=', 'meeting').execute()
      await migration.up(own.handle.db)
      await scopeColumn.up(own.handle.db)
      const g2 = meetingIds(await pullAll(g.g2.client))
      expect([g2.has(groupMeeting), g2.has(branchMeeting)]).toEqual([false, true])
      const m1 = meetingIds(await pullAll(g.m1.client))
      expect([m1.has(groupMeeting), m1.has(branchMeeting)]).toEqual([true, true])
    }
    finally {
      await own.close()
    }
  })
})
