import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { REJECT } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting } from '../meeting-helper'
import { advance, createSession, pulled, pushOne, rating, reviewFixture } from '../review-helper'

/**
 * 定期讲评 (issue 12, items 1, 3–6): the organizer's session ops, members' 陈述 and ballots
 * offline, the rules of the scale, self-rating, the group, closing, and who sees what.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof reviewFixture>>

beforeAll(async () => {
  t = await buildTestApp()
  f = await reviewFixture(t)
})
afterAll(async () => t?.close())

const sessionRow = (id: string) => t.handle.db.selectFrom('review_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const ratingsOf = (sessionId: string) => t.handle.db.selectFrom('review_rating').selectAll().where('session_id', '=', sessionId).execute()

describe('review.create', () => {
  it('creates a draft session under the phone\'s id, tied to the group\'s 组织生活会; pulled by the group only; the same op id is answered once', async () => {
    const id = randomUUID()
    const opId = randomUUID()
    const payload = { id, groupId: f.group1, period: '2026-H2', meetingId: f.lifeMeeting, title: '下半年讲评' }
    const first = await pushOne(f.leader1, 'review.create', payload, opId)
    expect(first).toMatchObject({ status: 'applied', entity: { id, status: 'draft', periodFrom: '2026-07-01', periodTo: '2026-12-31', meetingTopic: '2026年上半年专题组织生活会', groupName: '第一党小组' } })
    expect(first.entity.members.map((m: { name: string }) => m.name).sort()).toEqual(['leader1', 'm1', 'm2', 'm3'])
    expect((await pushOne(f.leader1, 'review.create', payload, opId)).status).toBe('duplicate')
    expect(await t.handle.db.selectFrom('review_session').select('id').where('title', '=', '下半年讲评').execute()).toHaveLength(1)
    expect((await pulled(f.m1.client, 'review-session')).has(id)).toBe(true)
    expect((await pulled(f.admin, 'review-session')).has(id)).toBe(true)
    expect((await pulled(f.g2.client, 'review-session')).has(id)).toBe(false)
    expect((await pulled(f.leader2.client, 'review-session')).has(id)).toBe(false)
    expect((await f.g2.client.get(`/api/reviews/${id}`)).statusCode).toBe(404)
    expect((await f.outsider.client.get(`/api/reviews/${id}`)).statusCode).toBe(404)
  })

  it('refuses another group\'s leader, a branch-wide session by a leader, a member, a second session of the period, a foreign meeting, a bad period', async () => {
    const base = { groupId: f.group1, period: '2026-Q1', meetingId: null, title: '一季度讲评' }
    const other = await pushOne(f.leader2, 'review.create', { id: randomUUID(), ...base })
    expect(other).toMatchObject({ status: 'rejected', code: 'FORBIDDEN', params: { reason: 'REVIEW_OWN_GROUP_ONLY' } })
    expect(other.message).toContain('党小组长只能组织本小组的讲评')
    expect(await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base, groupId: null })).toMatchObject({ status: 'rejected', params: { reason: 'REVIEW_OWN_GROUP_ONLY' } })
    expect(await pushOne(f.m1, 'review.create', { id: randomUUID(), ...base })).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    expect(await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base })).toMatchObject({ status: 'applied' })
    const twice = await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base })
    expect(twice).toMatchObject({ status: 'rejected', code: 'REVIEW_PERIOD_TAKEN' })
    expect(twice.message).toContain('本期已有讲评')
    const group2Meeting = await createMeeting(f.leader2.client, { type: 'life_meeting', groupId: f.group2 })
    expect(await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base, period: '2026-Q2', meetingId: group2Meeting })).toMatchObject({ status: 'rejected', code: 'REVIEW_MEETING' })
    const plainMeeting = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    expect(await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base, period: '2026-Q2', meetingId: plainMeeting })).toMatchObject({ status: 'rejected', code: 'REVIEW_MEETING' })
    expect(await pushOne(f.leader1, 'review.create', { id: randomUUID(), ...base, period: '2026-H3' })).toMatchObject({ status: 'rejected', code: REJECT.invalidPayload })
    // A branch admin holds branch-wide sessions.
    expect(await pushOne(f.admin, 'review.create', { id: randomUUID(), ...base, groupId: null })).toMatchObject({ status: 'applied', entity: { groupId: null } })
  })
})

describe('review.advance', () => {
  it('moves draft → open → rating → closed once each; a step not allowed and closing twice are refused by name', async () => {
    const id = await createSession(f, { period: '2025-H1' })
    expect(await advance(f.leader1, id, 'closed')).toMatchObject({ status: 'rejected', code: 'REVIEW_STATUS_STEP' })
    expect(await advance(f.m1, id, 'open')).toMatchObject({ status: 'rejected', code: REJECT.forbidden })
    expect(await advance(f.leader2, id, 'open')).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect(await advance(f.leader1, id, 'open')).toMatchObject({ status: 'applied', entity: { status: 'open' } })
    expect(await advance(f.leader1, id, 'open')).toMatchObject({ status: 'rejected', code: 'REVIEW_STATUS_STEP' })
    expect(await advance(f.leader1, id, 'rating')).toMatchObject({ status: 'applied', entity: { status: 'rating' } })
    expect(await advance(f.admin, id, 'closed')).toMatchObject({ status: 'applied', entity: { status: 'closed', closedByName: '管理员' } })
    // Another organizer closed it first: the leader's close, queued offline, is refused naming who.
    const late = await advance(f.leader1, id, 'closed')
    expect(late).toMatchObject({ status: 'rejected', code: 'REVIEW_CLOSED', params: { reason: 'REVIEW_CLOSED_BY', name: '管理员' } })
    expect(late.message).toContain('讲评已由管理员结束')
    expect((await sessionRow(id)).closed_by).not.toBe(f.leader1.id)
  })
})

describe('statements and ballots', () => {
  let id: string
  beforeAll(async () => {
    id = await createSession(f, { period: '2025-H2' })
  })

  it('a member writes a 陈述 offline with the period\'s record attached; the group pulls it; saved again replaces it', async () => {
    const parts = { participation: '参加了全部组织生活', pledges: '三项承诺都已兑现', improvement: '加强理论学习' }
    const first = await pushOne(f.m1, 'review.statement', { sessionId: id, ...parts })
    expect(first).toMatchObject({ status: 'applied', entity: { memberId: f.m1.id, memberName: 'm1', ...parts, record: { from: '2025-07-01', to: '2025-12-31', attendance: { expected: 0 }, pledges: { items: 0 } } } })
    await pushOne(f.m1, 'review.statement', { sessionId: id, ...parts, improvement: '带头服务群众' })
    const statements = await pulled(f.m2.client, 'review-statement')
    expect(statements.get(`${id}.${f.m1.id}`)).toMatchObject({ improvement: '带头服务群众' })
    expect((await pulled(f.g2.client, 'review-statement')).has(`${id}.${f.m1.id}`)).toBe(false)
    expect(await pushOne(f.g2, 'review.statement', { sessionId: id, ...parts })).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect(await pushOne(f.admin, 'review.statement', { sessionId: id, ...parts })).toMatchObject({ status: 'rejected', code: 'FORBIDDEN', params: { reason: 'REVIEW_NOT_MEMBER' } })
  })

  it('refuses ballots before rating, outside the scale, for oneself, for someone outside the group; nothing is stored', async () => {
    expect(await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id)] })).toMatchObject({ status: 'rejected', code: 'REVIEW_NOT_RATING' })
    await advance(f.leader1, id, 'open', 'rating')
    const range = await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id, 5)] })
    expect(range).toMatchObject({ status: 'rejected', code: 'REVIEW_SCORE_RANGE', params: { name: 'm2' } })
    expect(range.message).toContain('满意、比较满意、基本满意、不满意')
    expect(await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id, 0)] })).toMatchObject({ code: 'REVIEW_SCORE_RANGE' })
    const self = await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id), rating(f.m1.id)] })
    expect(self).toMatchObject({ status: 'rejected', code: 'REVIEW_SELF_RATING' })
    expect(self.message).toContain('不能给自己评分')
    expect(await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.g2.id)] })).toMatchObject({ status: 'rejected', code: 'REVIEW_NOT_IN_GROUP' })
    expect(await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [] })).toMatchObject({ status: 'rejected', code: 'REVIEW_EMPTY_BALLOT' })
    expect(await pushOne(f.g2, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id)] })).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect(await pushOne(f.outsider, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id)] })).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect(await ratingsOf(id)).toHaveLength(0)
  })

  it('one ballot per member, replaced when changed until rating closes; only the rater pulls it', async () => {
    const opId = randomUUID()
    const firstBallot = { sessionId: id, ratings: [rating(f.m2.id, 2, '多参加活动'), rating(f.m3.id, 3)] }
    expect(await pushOne(f.m1, 'review.ballot', firstBallot, opId)).toMatchObject({ status: 'applied' })
    expect((await pushOne(f.m1, 'review.ballot', firstBallot, opId)).status).toBe('duplicate')
    const changed = await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id, 4, '带头作用明显'), rating(f.m3.id, 3), rating(f.leader1.id, 4)] })
    expect(changed).toMatchObject({ status: 'applied', entity: { sessionId: id } })
    expect(changed.entity.ratings).toHaveLength(3)
    expect(await t.handle.db.selectFrom('review_ballot').select('id').where('session_id', '=', id).execute()).toHaveLength(1)
    expect((await ratingsOf(id)).find(r => r.ratee_id === f.m2.id)).toMatchObject({ study: 4, comment: '带头作用明显' })
    expect((await pulled(f.m1.client, 'review-ballot')).get(id).ratings).toHaveLength(3)
    for (const other of [f.m2, f.leader1, f.leader2])
      expect((await pulled(other.client, 'review-ballot')).has(id)).toBe(false)
    expect((await pulled(f.admin, 'review-ballot')).has(id)).toBe(false)
    // Nobody's detail shows another's ballot.
    expect((await f.m2.client.get(`/api/reviews/${id}`)).json().myBallot).toBeNull()
    expect((await f.m1.client.get(`/api/reviews/${id}`)).json()).toMatchObject({ ballots: 1, myBallot: { sessionId: id } })
  })

  it('results: the member sees their own only after close, the organizer all, a ballot or 陈述 after close is refused', async () => {
    await pushOne(f.m2, 'review.ballot', { sessionId: id, ratings: [rating(f.m1.id, 3, '学习认真'), rating(f.m3.id, 2)] })
    await pushOne(f.m3, 'review.ballot', { sessionId: id, ratings: [{ rateeId: f.m1.id, scores: { study: 4, excel: 4, serve: 3, discipline: 4, uphold: 4 } }, rating(f.m2.id, 3)] })
    expect((await f.m1.client.get(`/api/reviews/${id}/my-result`)).json()).toMatchObject({ code: 'REVIEW_NOT_CLOSED' })
    expect((await f.leader1.client.get(`/api/reviews/${id}/results`)).statusCode).toBe(409)
    expect((await pulled(f.m1.client, 'review-result')).has(id)).toBe(false)
    await advance(f.leader1, id, 'closed')

    const mine = (await f.m1.client.get(`/api/reviews/${id}/my-result`)).json()
    expect(mine).toMatchObject({ memberId: f.m1.id, raters: { member: 2, guest: 0 }, averages: { study: 3.5, serve: 3 }, overall: 3.4, comments: [{ text: '学习认真', raterKind: 'member' }] })
    expect(JSON.stringify(mine)).not.toContain(f.m2.id)
    expect((await pulled(f.m1.client, 'review-result')).get(id)).toMatchObject({ sessionId: id, result: { overall: 3.4 } })
    // Another's result reaches nobody else's phone.
    expect((await pulled(f.m2.client, 'review-result')).get(id).result.memberId).toBe(f.m2.id)
    expect((await f.m1.client.get(`/api/reviews/${id}/results`)).statusCode).toBe(403)
    expect((await f.leader2.client.get(`/api/reviews/${id}/results`)).statusCode).toBe(404)

    const all = (await f.leader1.client.get(`/api/reviews/${id}/results`)).json()
    expect(all.rows.map((r: { name: string }) => r.name)).toEqual(['leader1', 'm1', 'm2', 'm3'])
    expect(all.rows.find((r: { memberId: string }) => r.memberId === f.m2.id)).toMatchObject({ overall: 3.5, raters: { member: 2 }, comments: [{ text: '带头作用明显' }] })
    const xlsx = await f.leader1.client.get(`/api/reviews/${id}/results.xlsx`)
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')

    const late = await pushOne(f.m1, 'review.ballot', { sessionId: id, ratings: [rating(f.m2.id, 1)] })
    expect(late).toMatchObject({ status: 'rejected', code: 'REVIEW_CLOSED' })
    expect(late.message).toContain('讲评已由leader1结束')
    expect(await pushOne(f.m1, 'review.statement', { sessionId: id, participation: '补写', pledges: '', improvement: '' })).toMatchObject({ status: 'rejected', code: 'REVIEW_CLOSED' })
    expect((await ratingsOf(id)).find(r => r.ratee_id === f.m2.id && r.study === 1)).toBeUndefined()
  })

  it('the detail shows who attended the 组织生活会 and the member\'s own record; the list is scoped', async () => {
    const detail = (await f.leader1.client.get(`/api/reviews/${id}`)).json()
    expect(detail).toMatchObject({ canOrganize: true, session: { meetingId: f.lifeMeeting } })
    expect(detail.attendance.map((a: { name: string }) => a.name)).toEqual(['leader1', 'm1', 'm2', 'm3'])
    expect((await f.m1.client.get(`/api/reviews/${id}`)).json()).toMatchObject({ canOrganize: false, myRecord: { from: '2025-07-01' }, myResult: { memberId: f.m1.id } })
    const listed = (await f.g2.client.get('/api/reviews')).json() as { id: string }[]
    expect(listed.some(s => s.id === id)).toBe(false)
    expect(((await f.m1.client.get('/api/reviews?period=2025-H2')).json() as { id: string }[]).map(s => s.id)).toEqual([id])
    expect((await f.m1.client.get('/api/reviews?period=bad')).statusCode).toBe(400)
  })
})
