import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { GUEST_LINK } from '#shared/reviews/guest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { memberReviewResults } from '../../../src/server/reviews/results-repository'
import { buildTestApp, Client } from '../helper'
import { orgFixture } from '../org-helper'
import { allFour, guestBallot, insertReviewSession, insertStatement } from './guest-helper'

/* 讲评 guests (issue 12 items 2, 4, 7): the public link, one ballot per phone, the cap, the link's
   life, the flood limit, and the organizer's moderation of guests' comments. */
describe('讲评 guest link and ballots', () => {
  let t: TestApp
  let f: Awaited<ReturnType<typeof orgFixture>>
  let guest: Client
  let address = 0

  beforeAll(async () => {
    t = await buildTestApp()
    f = await orgFixture(t)
  })
  // Each test's guest comes from an address of its own, so the flood limit only bites where tested.
  beforeEach(() => {
    guest = new Client(t.app)
    guest.remoteAddress = `10.0.${Math.floor(++address / 200)}.${address % 200 + 1}`
  })
  afterAll(() => t.close())

  const session = (o: Partial<Parameters<typeof insertReviewSession>[1]> = {}) => insertReviewSession(t.handle, { branchId: f.branchId, groupId: f.group1, createdBy: f.leader.id, ...o })
  const ratings = async (sessionId: string) => t.handle.db.selectFrom('review_rating').selectAll().where('session_id', '=', sessionId).execute()
  const guests = async (sessionId: string) => t.handle.db.selectFrom('review_guest').selectAll().where('session_id', '=', sessionId).execute()

  it('should show a guest the session and the group\'s members with their statements, and nothing else', async () => {
    const s = await session()
    await insertStatement(t.handle, s.id, f.branchId, f.member.id, '参加了全部学习')
    const res = await guest.get(`/api/guest/${s.code}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ title: '2026年上半年讲评', groupName: '第一党小组', period: '2026-H1', status: 'rating' })
    expect(body.members.map((m: { id: string }) => m.id).sort()).toEqual([f.leader.id, f.member.id].sort())
    expect(body.members.find((m: { id: string }) => m.id === f.member.id).statement.participation).toBe('参加了全部学习')
    expect(Object.keys(body.members[0]).sort()).toEqual(['id', 'name', 'statement'])
    expect(res.body).not.toMatch(/phone|login|score|guest/i)
  })

  it('should take one ballot per phone, store the device only hashed and the comment as pending; a second try says 您已经评过分了', async () => {
    const s = await session()
    const ballot = guestBallot([{ rateeId: f.member.id, comment: '服务态度好' }, { rateeId: f.leader.id, scores: { ...allFour, serve: 3 } }])
    const ok = await guest.post(`/api/guest/${s.code}/ballot`, ballot)
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ status: 'accepted', rated: 2 })
    const stored = await ratings(s.id)
    expect(stored).toHaveLength(2)
    expect(stored.find(r => r.ratee_id === f.member.id)).toMatchObject({ rater_kind: 'guest', comment: '服务态度好', comment_status: 'pending' })
    const [g] = await guests(s.id)
    expect(g!.device_hash).not.toContain(ballot.deviceId)
    expect(g).toMatchObject({ name: '王师傅', relation: 'masses_rep' })

    const again = await guest.post(`/api/guest/${s.code}/ballot`, { ...ballot, ratings: [{ rateeId: f.member.id, scores: allFour }] })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('REVIEW_GUEST_ALREADY')
    expect(again.json().message).toContain('您已经评过分了')
    expect(await ratings(s.id)).toHaveLength(2)
  })

  it('should refuse a guest past the cap with 评分人数已满 and store nothing', async () => {
    const s = await session({ cap: 1 })
    expect((await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))).statusCode).toBe(200)
    const second = await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))
    expect(second.statusCode).toBe(409)
    expect(second.json().message).toContain('评分人数已满')
    expect(await guests(s.id)).toHaveLength(1)
  })

  it('should say 评分尚未开始 before rating opens and refuse a ballot after it closes; a closed link is gone (410)', async () => {
    const early = await session({ status: 'open' })
    expect((await guest.get(`/api/guest/${early.code}`)).json().status).toBe('open')
    const before = await guest.post(`/api/guest/${early.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))
    expect(before.statusCode).toBe(409)
    expect(before.json().message).toContain('尚未开始评分')
    const closed = await session({ status: 'closed' })
    expect((await guest.get(`/api/guest/${closed.code}`)).statusCode).toBe(410)
    const after = await guest.post(`/api/guest/${closed.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))
    expect(after.statusCode).toBe(409)
    expect(after.json().code).toBe('REVIEW_CLOSED')
    expect([...await ratings(early.id), ...await ratings(closed.id)]).toHaveLength(0)
  })

  it('should answer a forged or replaced code with 链接无效', async () => {
    const forged = await guest.get('/api/guest/AAAAAAAAAAAAAAAA')
    expect(forged.statusCode).toBe(404)
    expect(forged.json().message).toContain('链接无效')
    const s = await session()
    const renewed = await f.leader.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 5, renew: true })
    expect(renewed.statusCode).toBe(200)
    expect(renewed.json().code).not.toBe(s.code)
    const old = await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))
    expect(old.statusCode).toBe(404)
    expect(old.json().code).toBe('REVIEW_GUEST_LINK_INVALID')
    expect((await guest.get(`/api/guest/${renewed.json().code}`)).statusCode).toBe(200)
    // Not a code at all: refused by the schema, never a 5xx.
    expect((await guest.get('/api/guest/..%2F..%2Fetc')).statusCode).toBe(400)
  })

  it('should check the ballot by the shared rules: the scale, someone outside the group, an empty ballot', async () => {
    const s = await session()
    const cases: [unknown, number, string][] = [
      [guestBallot([{ rateeId: f.member.id, scores: { ...allFour, study: 5 } }]), 400, 'REVIEW_SCORE_RANGE'],
      [guestBallot([{ rateeId: f.member2.id }]), 400, 'REVIEW_NOT_IN_GROUP'],
      [guestBallot([{ rateeId: f.otherMember.id }]), 400, 'REVIEW_NOT_IN_GROUP'],
      [guestBallot([{ rateeId: f.member.id }, { rateeId: f.member.id }]), 400, 'REVIEW_DUPLICATE_RATEE'],
      [guestBallot([]), 400, 'REVIEW_EMPTY_BALLOT'],
      [{ ...guestBallot([{ rateeId: f.member.id }]), relation: 'boss' }, 400, 'VALIDATION'],
      [{ ...guestBallot([{ rateeId: f.member.id }]), deviceId: 'x' }, 400, 'VALIDATION'],
      [{ ...guestBallot([{ rateeId: f.member.id }]), name: '王\u0000' }, 400, 'VALIDATION'],
      [guestBallot([{ rateeId: f.member.id, comment: 'x'.repeat(501) }]), 400, 'VALIDATION'],
      [guestBallot([{ rateeId: f.member.id, scores: { ...allFour, study: 2 ** 40 } }]), 400, 'VALIDATION'],
    ]
    for (const [body, status, code] of cases) {
      const res = await guest.post(`/api/guest/${s.code}/ballot`, body)
      expect(res.statusCode, JSON.stringify(body).slice(0, 120)).toBe(status)
      expect(res.json().code === code || res.json().params?.reason === code, `${res.body}`).toBe(true)
    }
    const scale = await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id, scores: { ...allFour, study: 5 } }]))
    expect(scale.json().message).toContain('满意')
    expect(await ratings(s.id)).toHaveLength(0)
    expect(await guests(s.id)).toHaveLength(0)
  })

  it('should stop a flood of ballots from one address (429 with Retry-After) and store nothing more', async () => {
    const s = await session({ cap: 200 })
    guest.remoteAddress = '10.9.9.9'
    let accepted = 0
    let last = 0
    for (let i = 0; i < GUEST_LINK.perAddress + 3; i++) {
      const res = await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))
      last = res.statusCode
      if (res.statusCode === 200)
        accepted++
      else
        expect(res.headers['retry-after']).toMatch(/^\d+$/)
    }
    expect(accepted).toBe(GUEST_LINK.perAddress)
    expect(last).toBe(429)
    expect(await guests(s.id)).toHaveLength(GUEST_LINK.perAddress)
    // Another address is not held back by the flood.
    expect((await new Client(t.app).request('POST', `/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id }]))).statusCode).toBe(200)
  })

  it('should count two racing ballots of one phone once', async () => {
    const s = await session()
    const ballot = guestBallot([{ rateeId: f.member.id }])
    const [a, b] = await Promise.all([guest.post(`/api/guest/${s.code}/ballot`, ballot), guest.post(`/api/guest/${s.code}/ballot`, ballot)])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409])
    expect(await guests(s.id)).toHaveLength(1)
  })

  describe('the organizer', () => {
    it('should set the cap and make a link only for the session\'s leader or a branch admin', async () => {
      const s = await session()
      await t.handle.db.updateTable('review_session').set({ guest_code: null, guest_cap: 0 }).where('id', '=', s.id).execute()
      const off = await f.leader.client.get(`/api/reviews/${s.id}/guest-link`)
      expect(off.json()).toMatchObject({ code: null, cap: 0, guests: 0 })
      const on = await f.leader.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 12 })
      expect(on.json()).toMatchObject({ cap: 12, status: 'rating' })
      expect(on.json().code).toMatch(new RegExp(GUEST_LINK.codePattern))
      // Only the cap changes: the link printed a minute ago still works.
      const again = await f.admin.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 20 })
      expect(again.json().code).toBe(on.json().code)
      expect((await f.member.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 20 })).statusCode).toBe(403)
      expect((await f.otherAdmin.client.get(`/api/reviews/${s.id}/guest-link`)).statusCode).toBe(404)
      expect((await f.leader.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 0 })).statusCode).toBe(400)
      expect((await f.leader.client.request('PUT', `/api/reviews/${s.id}/guest-link`, { cap: 201 })).statusCode).toBe(400)
      const closed = await session({ status: 'closed' })
      expect((await f.leader.client.request('PUT', `/api/reviews/${closed.id}/guest-link`, { cap: 5 })).json().code).toBe('REVIEW_CLOSED')
    })

    it('should hold guests\' comments until let through; only approved ones reach the results; a decided one is not decided again', async () => {
      const s = await session()
      await guest.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id, comment: '热心帮助群众' }]))
      const other = new Client(t.app)
      other.remoteAddress = '10.200.0.1'
      await other.post(`/api/guest/${s.code}/ballot`, guestBallot([{ rateeId: f.member.id, comment: '广告链接' }, { rateeId: f.leader.id }]))

      const pending = (await f.leader.client.get(`/api/reviews/${s.id}/guest-comments`)).json() as { ballotId: string, rateeId: string, comment: string, rateeName: string }[]
      expect(pending.map(c => c.comment).sort()).toEqual(['广告链接', '热心帮助群众'].sort())
      expect((await f.leader.client.get(`/api/reviews/${s.id}/guest-link`)).json()).toMatchObject({ guests: 2, pendingComments: 2 })
      const good = pending.find(c => c.comment === '热心帮助群众')!
      const bad = pending.find(c => c.comment === '广告链接')!
      const url = (c: typeof good) => `/api/reviews/${s.id}/guest-comments/${c.ballotId}/${c.rateeId}/moderate`

      expect((await f.member.client.post(url(good), { decision: 'approve' })).statusCode).toBe(403)
      expect((await f.otherAdmin.client.post(url(good), { decision: 'approve' })).statusCode).toBe(404)
      expect((await f.leader.client.post(url(good), { decision: 'approve' })).json()).toEqual({ status: 'approved' })
      expect((await f.admin.client.post(url(bad), { decision: 'reject' })).json()).toEqual({ status: 'rejected' })
      const twice = await f.admin.client.post(url(good), { decision: 'reject' })
      expect(twice.statusCode).toBe(409)
      expect(twice.json().message).toContain('已经审核过了')
      expect((await f.leader.client.post(`/api/reviews/${s.id}/guest-comments/${good.ballotId}/${randomUUID()}/moderate`, { decision: 'approve' })).statusCode).toBe(404)
      expect((await f.leader.client.get(`/api/reviews/${s.id}/guest-comments`)).json()).toEqual([])
      expect((await f.leader.client.get(`/api/reviews/${s.id}/guest-comments?status=approved`)).json()).toHaveLength(1)

      await t.handle.db.updateTable('review_session').set({ status: 'closed' }).where('id', '=', s.id).execute()
      const results = await memberReviewResults(t.handle.db, f.branchId, '2026-01-01', '2026-06-30', [f.member.id])
      const m = results.get(f.member.id)!
      expect(m.raters).toEqual({ member: 0, guest: 2 })
      expect(m.comments).toEqual([{ text: '热心帮助群众', raterKind: 'guest' }])
    })
  })
})
