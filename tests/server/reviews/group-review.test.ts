import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture } from '../meeting-helper'
import { op, push } from '../sync-helper'

let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>
const YEAR = new Date().getFullYear()
const PERIOD = `${YEAR}-Y`
const all = (n: 4 | 3 | 2 | 1) => ({ leadership: n, members: n, mechanism: n, results: n, masses: n })

beforeEach(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
})
afterEach(async () => {
  await t.close()
})

async function newReview(): Promise<string> {
  const res = await f.admin.post('/api/group-reviews', { period: PERIOD })
  expect(res.statusCode, res.body).toBe(200)
  return res.json().id
}

function ballot(reviewId: string, ratings: { groupId: string, scores: Record<string, number>, comment?: string }[]) {
  return op('group_review.ballot', { reviewId, ratings, shown: { period: `${YEAR}年度` } })
}

async function pushOne(client: typeof f.admin, o: ReturnType<typeof op>) {
  const res = await push(client, [o])
  expect(res.statusCode, res.body).toBe(200)
  return res.json().results[0] as { status: string, code?: string, message?: string }
}

describe('the branch\'s 五个好 review of groups', () => {
  it('should show each group\'s figures for the period from known data', async () => {
    // One meeting of the first group: its leader closes it (present), m1 checked in, m2 stays away.
    const meetingId = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
    expect((await f.leader1.client.post(`/api/meetings/${meetingId}/attendance/${f.m1.id}`, { action: 'checkin' })).statusCode).toBe(200)
    expect((await f.leader1.client.post(`/api/meetings/${meetingId}/close`, {})).statusCode).toBe(200)
    const id = await newReview()
    const detail = (await f.admin.get(`/api/group-reviews/${id}`)).json()
    const g1 = detail.groups.find((g: { id: string }) => g.id === f.group1)
    expect(g1.figures).toMatchObject({ members: 3, meetingsHeld: 1, attendanceRate: 67, pledgesMade: 0, itemsKept: 0, memberReview: { overall: null, rated: 0 } })
    // 参加党小组会 +2 for two of three members; the 无故缺席 deduction waits for the branch, so it does not count yet.
    expect(g1.figures.pointsPerMember.study).toBe(1.33)
    expect(g1.figures.pointsPerMember.discipline).toBe(0)
    const g2 = detail.groups.find((g: { id: string }) => g.id === f.group2)
    expect(g2.figures).toMatchObject({ members: 2, meetingsHeld: 0, attendanceRate: null })
  })

  it('should take a ballot offline, let the rater change it until closing, then refuse it and give the averages', async () => {
    const id = await newReview()
    // The admin names the first group's leader as a rater (a 支委 member).
    expect((await f.admin.post(`/api/group-reviews/${id}/raters`, { memberId: f.leader1.id })).statusCode).toBe(200)
    expect((await pushOne(f.admin, ballot(id, [{ groupId: f.group1, scores: all(4) }, { groupId: f.group2, scores: all(2), comment: '会议偏少' }]))).status).toBe('applied')
    expect((await pushOne(f.leader1.client, ballot(id, [{ groupId: f.group1, scores: all(1) }]))).status).toBe('applied')
    // A changed mind replaces the earlier ballot: one ballot per rater.
    expect((await pushOne(f.leader1.client, ballot(id, [{ groupId: f.group1, scores: { ...all(3), masses: 4 } }]))).status).toBe('applied')
    const mine = (await f.leader1.client.get(`/api/group-reviews/${id}`)).json()
    expect(mine.groups.find((g: { id: string }) => g.id === f.group1).mine.scores).toEqual({ ...all(3), masses: 4 })
    expect(mine.groups.every((g: { result: unknown }) => g.result === null)).toBe(true)

    const closed = await f.admin.post(`/api/group-reviews/${id}/close`, {})
    expect(closed.statusCode, closed.body).toBe(200)
    const g1 = closed.json().groups.find((g: { id: string }) => g.id === f.group1)
    expect(g1.result).toMatchObject({ raters: 2, averages: { leadership: 3.5, members: 3.5, mechanism: 3.5, results: 3.5, masses: 4 }, overall: 3.6 })
    const g2 = closed.json().groups.find((g: { id: string }) => g.id === f.group2)
    expect(g2.result).toMatchObject({ raters: 1, overall: 2, comments: ['会议偏少'] })

    // After closing: refused in words, nothing changed.
    const late = await pushOne(f.leader1.client, ballot(id, [{ groupId: f.group1, scores: all(1) }]))
    expect(late).toMatchObject({ status: 'rejected', code: 'GROUP_REVIEW_CLOSED' })
    expect(late.message).toContain('已由管理员结束')
    const again = await f.admin.post(`/api/group-reviews/${id}/close`, {})
    expect(again.statusCode).toBe(409)
    const after = (await f.admin.get(`/api/group-reviews/${id}`)).json()
    expect(after.groups.find((g: { id: string }) => g.id === f.group1).result.overall).toBe(3.6)
    // The export carries the result.
    const xlsx = await f.admin.get(`/api/group-reviews/${id}/export.xlsx`)
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
  })

  it('should refuse a score off the scale, a member not invited, another branch and a second review of a period', async () => {
    const id = await newReview()
    const off = await push(f.admin, [ballot(id, [{ groupId: f.group1, scores: { ...all(4), masses: 5 } }])])
    expect(off.json().results[0]).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    const missing = await pushOne(f.admin, ballot(id, [{ groupId: f.group1, scores: { leadership: 4 } as never }]))
    expect(missing.status).toBe('rejected')

    const notInvited = await pushOne(f.m1.client, ballot(id, [{ groupId: f.group2, scores: all(4) }]))
    expect(notInvited).toMatchObject({ status: 'rejected', code: 'GROUP_REVIEW_NOT_RATER' })
    expect(notInvited.message).toContain('不是本次五个好评议的评议人')
    expect((await f.m1.client.get(`/api/group-reviews/${id}`)).statusCode).toBe(403)
    expect((await f.m1.client.post(`/api/group-reviews/${id}/raters`, { memberId: f.m1.id })).statusCode).toBe(403)
    expect((await f.leader1.client.post(`/api/group-reviews/${id}/close`, {})).statusCode).toBe(403)

    // Another branch's member: the review is as good as missing; their own branch's group is not ours.
    const outsider = await pushOne(f.outsider.client, ballot(id, [{ groupId: f.group1, scores: all(4) }]))
    expect(outsider).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })
    expect((await f.outsider.client.get(`/api/group-reviews/${id}`)).statusCode).toBe(404)
    expect((await f.admin.post(`/api/group-reviews/${id}/raters`, { memberId: f.outsider.id })).statusCode).toBe(400)
    const foreignGroup = await t.handle.db.selectFrom('party_group').select('id').where('name', '=', '外支部').executeTakeFirstOrThrow()
    expect(await pushOne(f.admin, ballot(id, [{ groupId: foreignGroup.id, scores: all(4) }]))).toMatchObject({ status: 'rejected', code: 'GROUP_REVIEW_UNKNOWN_GROUP' })
    expect(await pushOne(f.admin, ballot(id, [{ groupId: f.group1, scores: all(4) }, { groupId: f.group1, scores: all(3) }]))).toMatchObject({ status: 'rejected', code: 'GROUP_REVIEW_DUPLICATE_GROUP' })
    expect(await pushOne(f.admin, ballot(randomUUID(), [{ groupId: f.group1, scores: all(4) }]))).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' })

    // Nothing of the refused ballots was stored.
    expect(await t.handle.db.selectFrom('group_review_rating').selectAll().execute()).toEqual([])
    const second = await f.admin.post('/api/group-reviews', { period: PERIOD })
    expect(second.statusCode).toBe(409)
    expect(second.json().message).toContain('已经建立')
    expect((await f.admin.post('/api/group-reviews', { period: `${YEAR}-H3` })).statusCode).toBe(400)
  })
})
