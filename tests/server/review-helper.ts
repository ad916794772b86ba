import type { TestApp } from './helper'
import type { Person } from './meeting-helper'
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { createMeeting, meetingFixture } from './meeting-helper'
import { op, push } from './sync-helper'

/** What the push answers for one op. */
export interface OpAnswer { status: string, code?: string, message?: string, params?: Record<string, unknown>, entity?: any }

/** A branch with two groups (meetingFixture) plus a third member in group 1 and its 专题组织生活会. */
export async function reviewFixture(t: TestApp) {
  const f = await meetingFixture(t)
  const { person } = await import('./meeting-helper')
  const m3 = await person(t.app, t.handle, f.branchId, 'm3', 'member', f.group1)
  const lifeMeeting = await createMeeting(f.leader1.client, { type: 'life_meeting', groupId: f.group1, topic: '2026年上半年专题组织生活会' })
  return { ...f, m3, lifeMeeting }
}

export async function pushOne(who: Person | Person['client'], type: string, payload: unknown, opId?: string): Promise<OpAnswer> {
  const client = 'client' in who ? who.client : who
  const res = await push(client, [op(type, payload, opId ? { opId } : {})])
  expect(res.statusCode).toBe(200)
  return res.json().results[0] as OpAnswer
}

const SCORES = (n: number) => ({ study: n, excel: n, serve: n, discipline: n, uphold: n })
export function rating(rateeId: string, n = 4, comment?: string) {
  return { rateeId, scores: SCORES(n), ...(comment ? { comment } : {}) }
}

/** Creates a session of group 1 for 2026-H1 as its leader and returns its id. */
export async function createSession(f: Awaited<ReturnType<typeof reviewFixture>>, over: Record<string, unknown> = {}, who: Person | Person['client'] = f.leader1): Promise<string> {
  const id = randomUUID()
  const answer = await pushOne(who, 'review.create', { id, groupId: f.group1, period: '2026-H1', meetingId: f.lifeMeeting, title: '2026年上半年讲评', ...over })
  expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'applied' })
  return id
}

export async function advance(who: Person | Person['client'], sessionId: string, ...steps: ('open' | 'rating' | 'closed')[]): Promise<OpAnswer> {
  let last: OpAnswer = { status: 'none' }
  for (const to of steps)
    last = await pushOne(who, 'review.advance', { sessionId, to })
  return last
}

/** The changes of one entity a client pulls, the last of each id. */
export async function pulled(client: Person['client'], entity: string): Promise<Map<string, any>> {
  const changes = (await client.get('/api/sync/pull?limit=500')).json().changes as { entity: string, entityId: string, data: unknown }[]
  const out = new Map<string, any>()
  for (const c of changes.filter(c => c.entity === entity))
    out.set(c.entityId, c.data)
  return out
}
