import type { Role } from '#shared/roles'
import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { publishMeeting } from '#server/meetings/repository'
import { visibleTo } from '#server/sync/pull'
import { meetingVisibleTo } from '#shared/meetings/rules'
import { ROLES } from '#shared/roles'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { meetingFixture } from '../meeting-helper'

/**
 * One truth for who sees a meeting (issue 11): the pull filter is SQL over the change log
 * (src/server/sync/pull.ts, visibleTo), the list, GET /api/meetings/:id and the phone use the
 * shared predicate (meetingVisibleTo). Here both judge the same random meetings and viewers, and
 * must agree on every pair — a leak fixed in one copy only fails this test.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterAll(async () => t?.close())

/** A small seeded generator (mulberry32), so a failure is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

describe('meeting visibility', () => {
  it('the pull filter and the shared rule agree on random meetings and viewers', async () => {
    const rnd = random(20261203)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
    const people = await t.handle.db.selectFrom('member').select(['id', 'branch_id']).execute()
    const outsider = people.find(p => p.id === f.outsider.id)!
    const otherBranch = outsider.branch_id
    const otherGroup = (await t.handle.db.selectFrom('party_group').select('id').where('branch_id', '=', otherBranch).executeTakeFirstOrThrow()).id
    const groupsOf = (branch: string) => branch === f.branchId ? [null, f.group1, f.group2] : [null, otherGroup]

    const meetings: { id: string, branchId: string, groupId: string | null, createdBy: string }[] = []
    for (let i = 0; i < 40; i++) {
      const branchId = rnd() < 0.8 ? f.branchId : otherBranch
      meetings.push({ id: randomUUID(), branchId, groupId: pick(groupsOf(branchId)), createdBy: pick(people).id })
    }
    const now = new Date().toISOString()
    await t.handle.db.transaction().execute(async (trx) => {
      for (const m of meetings) {
        await trx.insertInto('meeting').values({ id: m.id, branch_id: m.branchId, group_id: m.groupId, type: 'group_meeting', topic: '可见性', starts_at: now, ends_at: now, place: '', agenda: '', status: 'scheduled', created_by: m.createdBy, created_at: now, updated_at: now, closed_at: null, closed_by: null }).execute()
        await publishMeeting(trx, m.id)
      }
    })

    // Viewers: the fixture's people, and the same ids in every other role and group (a member
    // moved or promoted sees with their new scope), in both branches.
    const viewers: { id: string, branchId: string, groupId: string | null, role: Role }[] = []
    for (let i = 0; i < 60; i++) {
      const branchId = rnd() < 0.85 ? f.branchId : otherBranch
      viewers.push({ id: pick(people).id, branchId, groupId: pick(groupsOf(branchId)), role: pick(ROLES) })
    }
    const ids = meetings.map(m => m.id)
    let seen = 0
    for (const viewer of viewers) {
      const pulled = await t.handle.db.selectFrom('change_log').select('entity_id').where('entity', '=', 'meeting').where('entity_id', 'in', ids).where(visibleTo(viewer)).execute()
      const bySql = [...new Set(pulled.map(r => r.entity_id))].sort()
      const byRule = meetings.filter(m => meetingVisibleTo(m, viewer)).map(m => m.id).sort()
      expect(bySql, `viewer ${JSON.stringify(viewer)}`).toEqual(byRule)
      seen += byRule.length
    }
    // Both sides must have had something to disagree about: some meetings seen, some not.
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(viewers.length * meetings.length)
  })
})
