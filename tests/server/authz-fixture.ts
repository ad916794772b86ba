import type { Client, TestApp } from './helper'
import type { OrgFixture, Person } from './org-helper'
import type { UpperPerson } from './upper-helper'
import { randomUUID } from 'node:crypto'
import { localDate } from '#shared/points/periods'
import { addPerson, orgFixture } from './org-helper'
import { pngBytes } from './photo-helper'
import { op, push } from './sync-helper'
import { addUpperAdmin } from './upper-helper'

const MIN = 60_000
export const YEAR = Number(localDate(new Date()).slice(0, 4))

/**
 * The organization cast (org-helper) plus a second group's leader, an empty group, and one record
 * of each feature that the read and edit routes target: a group 1 meeting organized by its
 * leader, a pending points entry of the group 1 member with a photo, the member's draft pledge,
 * two rules and the public board's slug.
 */
export type MatrixFixture = OrgFixture & {
  t: TestApp
  /** 上级党组织 admins: over this branch, and over the other branch (another upper organization). */
  upper: UpperPerson
  otherUpper: UpperPerson
  leaderOther: Person
  emptyGroup: string
  meetingId: string
  entryId: string
  photoId: string
  pledgeId: string
  ruleToEdit: { id: string, body: Record<string, unknown> }
  ruleToRetire: string
  slug: string
}

async function ok<T = any>(res: Promise<{ statusCode: number, body: string, json: () => any }>, what: string): Promise<T> {
  const r = await res
  if (r.statusCode >= 300)
    throw new Error(`fixture: ${what} → ${r.statusCode} ${r.body}`)
  return r.json() as T
}

export function meetingBody(groupId: string | null) {
  const now = Date.now()
  return {
    type: groupId ? 'group_meeting' : 'branch_assembly',
    groupId,
    topic: `学习会${randomUUID().slice(0, 4)}`,
    startsAt: new Date(now - 10 * MIN).toISOString(),
    endsAt: new Date(now + 80 * MIN).toISOString(),
    place: '会议室',
    agenda: '',
  }
}

export function pledgeBody() {
  return {
    ownerKind: 'member',
    year: YEAR,
    supervisor: '张书记',
    supervisorContact: '支部办公室',
    items: [{ category: 'excel', duty: '食品检验', target: `全年完成检验报告 ${randomUUID().slice(0, 4)}`, dueDate: `${YEAR}-12-31` }],
  }
}

/** The same without the owner, for PATCH, which cannot change whose pledge it is. */
export function pledgeContent() {
  const { ownerKind: _ownerKind, ...content } = pledgeBody()
  return content
}

/** A group 1 meeting its leader organizes, started ten minutes ago. */
export async function freshMeeting(f: MatrixFixture): Promise<string> {
  return (await ok<{ id: string }>(f.leader.client.post('/api/meetings', meetingBody(f.group1)), 'meeting')).id
}

let reviewYear = 2000
/** A 讲评 session of group 1 made and closed by its leader through the outbox (a year of its own, one session per period). */
export async function freshReview(f: MatrixFixture): Promise<string> {
  const id = randomUUID()
  const ops = [
    op('review.create', { id, groupId: f.group1, period: `${reviewYear++}-Y`, meetingId: null, title: '年度讲评' }),
    ...(['open', 'rating', 'closed'] as const).map(to => op('review.advance', { sessionId: id, to })),
  ]
  const res = await ok<{ results: { status: string }[] }>(push(f.leader.client, ops), 'review')
  if (res.results.some(r => r.status !== 'applied'))
    throw new Error(`fixture: review not applied: ${JSON.stringify(res.results)}`)
  return id
}

/** The group 1 member logs 志愿服务 through the outbox: pending, waiting for the group leader. */
export async function freshEntry(f: MatrixFixture, photoIds: string[] = []): Promise<string> {
  const rule = await f.t.handle.db.selectFrom('point_rule').select('id').where('branch_id', '=', f.branchId).where('key', '=', 'volunteer').executeTakeFirstOrThrow()
  const id = randomUUID()
  const res = await ok<{ results: { status: string }[] }>(push(f.member.client, [op('entry.create', { id, ruleId: rule.id, date: localDate(new Date()), note: '进社区宣传', ...(photoIds.length ? { photoIds } : {}) })]), 'entry')
  if (res.results[0]?.status !== 'applied')
    throw new Error(`fixture: entry not applied: ${JSON.stringify(res.results[0])}`)
  return id
}

export async function approvedEntry(f: MatrixFixture): Promise<string> {
  const id = await freshEntry(f)
  const res = await ok<{ results: { ok: boolean }[] }>(f.admin.client.post('/api/points/approvals/approve', { ids: [id] }), 'approve')
  if (!res.results[0]?.ok)
    throw new Error('fixture: entry not approved')
  return id
}

/** A new member of group 1, for decisions that may be made once per member (一票否决). */
export async function freshMember(f: MatrixFixture): Promise<string> {
  return (await addPerson(f.t.app, f.t.handle, f.branchId, `m${randomUUID().slice(0, 8)}`, 'member', f.group1)).id
}

export async function freshVeto(f: MatrixFixture): Promise<string> {
  const memberId = await freshMember(f)
  return (await ok<{ id: string }>(f.admin.client.post('/api/points/vetoes', { memberId, year: YEAR, decision: '党内警告', decidedOn: localDate(new Date()), reason: '测试' }), 'veto')).id
}

/** The group 1 member's pledge taken as far as `until`. */
export async function freshPledge(f: MatrixFixture, until: 'draft' | 'submitted' | 'approved' | 'published'): Promise<{ id: string, itemIds: string[] }> {
  const created = await ok<{ id: string }>(f.member.client.post('/api/pledges', pledgeBody()), 'pledge')
  const steps: [Client, string][] = [[f.member.client, 'submit'], [f.admin.client, 'approve'], [f.admin.client, 'publish']]
  const upTo = { draft: 0, submitted: 1, approved: 2, published: 3 }[until]
  for (const [who, step] of steps.slice(0, upTo))
    await ok(who.post(`/api/pledges/${created.id}/${step}`), `pledge ${step}`)
  const detail = await ok<{ items: { id: string }[] }>(f.admin.client.get(`/api/pledges/${created.id}`), 'pledge detail')
  return { id: created.id, itemIds: detail.items.map(i => i.id) }
}

/** Public feedback waiting for moderation, written directly: the board's per-address limit is not what is tested here. */
export async function freshFeedback(f: MatrixFixture): Promise<string> {
  const { id: pledgeId } = await freshPledge(f, 'published')
  const id = randomUUID()
  await f.t.handle.db.insertInto('pledge_feedback').values({ id, branch_id: f.branchId, pledge_id: pledgeId, name: '群众', text: '希望多进社区', status: 'pending', created_at: new Date().toISOString(), moderated_by: null, moderated_at: null }).execute()
  return id
}

let groupReviewYear = 2000

/** A fresh open 五个好 review of the branch, for a period no other case uses. */
export async function freshGroupReview(f: MatrixFixture): Promise<string> {
  const id = randomUUID()
  const year = ++groupReviewYear
  const now = new Date().toISOString()
  await f.t.handle.db.insertInto('group_review').values({ id, branch_id: f.branchId, period: `${year}-Y`, period_from: `${year}-01-01`, period_to: `${year}-12-31`, status: 'open', created_by: f.admin.id, closed_at: null, closed_by: null, created_at: now, updated_at: now }).execute()
  return id
}

/** A period no review of any case has taken yet. */
export const freshReviewPeriod = () => `${++groupReviewYear}-Y`

export async function matrixFixture(t: TestApp): Promise<MatrixFixture> {
  const base = await orgFixture(t)
  const leaderOther = await addPerson(t.app, t.handle, base.branchId, 'leader2', 'group_leader', base.group2)
  const emptyGroup = randomUUID()
  await t.handle.db.insertInto('party_group').values({ id: emptyGroup, branch_id: base.branchId, name: '空小组', created_at: new Date().toISOString(), removed_at: null }).execute()
  const upper = await addUpperAdmin(t.app, t.handle, '机关工委', 'upper.admin', [base.branchId])
  const otherUpper = await addUpperAdmin(t.app, t.handle, '另一工委', 'upper.other', [base.otherBranchId])
  const f = { ...base, t, leaderOther, emptyGroup, upper, otherUpper } as MatrixFixture
  f.meetingId = await freshMeeting(f)
  f.photoId = randomUUID()
  await ok(f.member.client.request('PUT', `/api/photos/${f.photoId}`, pngBytes()), 'photo')
  f.entryId = await freshEntry(f, [f.photoId])
  f.pledgeId = (await freshPledge(f, 'draft')).id
  const rules = (await ok<{ rules: { id: string, key: string | null, [k: string]: unknown }[] }>(f.admin.client.get('/api/points/rules'), 'rules')).rules
  const editable = rules.find(r => r.key === 'praise')!
  const { category, name, points, variants, capPoints, capPeriod, approval, evidence, selfLog, active, veto } = editable
  f.ruleToEdit = { id: editable.id, body: { category, name, points, variants, capPoints, capPeriod, approval, evidence, selfLog, active, veto } }
  f.ruleToRetire = rules.find(r => r.key === 'publicity')!.id
  f.slug = (await ok<{ slug: string }>(f.member.client.get('/api/pledges/board-link'), 'board link')).slug
  return f
}

/** A year's 民主评议 of the branch, opened through its op (one per branch and year, so each case takes its own year). */
let appraisalYear = 2090
export async function freshAppraisal(f: MatrixFixture): Promise<string> {
  const id = randomUUID()
  const res = await push(f.admin.client, [op('appraisal.open', { id, year: appraisalYear++, scope: 'branch', startsOn: '2090-12-01', endsOn: '2090-12-31', excellentNum: 1, excellentDen: 3 })])
  if (res.json().results[0].status !== 'applied')
    throw new Error(`appraisal: ${res.body}`)
  return id
}

let roundSeq = 0
/**
 * A fresh draft round of the branch, written directly in a year of its own (a branch has one
 * round per kind and year; the fuzz test asks for many more than the API's years allow).
 */
export async function freshRound(f: MatrixFixture): Promise<string> {
  const now = new Date().toISOString()
  const id = randomUUID()
  await f.t.handle.db.insertInto('commendation_round').values({ id, branch_id: f.branchId, kind: 'year_end', year: 10_000 + ++roundSeq, title: '年终评选', status: 'draft', weights: '{}', publicity_days: 5, published_at: null, decided_at: null, created_by: f.admin.id, created_at: now, updated_at: now }).execute()
  await f.t.handle.db.insertInto('commendation_title').values({ id: randomUUID(), round_id: id, branch_id: f.branchId, name: '优秀共产党员', target: 'member', quota: 1, sort: 0 }).execute()
  return id
}

/** A round to create through the API: the kinds and the API's years give 303 before one repeats (then 409, still below 500). */
export function roundBody() {
  const n = roundSeq++
  return { kind: (['july1', 'oct1', 'year_end'] as const)[Math.floor(n / 101) % 3], year: 2000 + (n % 101), titles: [{ name: '优秀共产党员', target: 'member', quota: 1 }] }
}

/** A round in 公示 with the group 1 member nominated, written directly (the ops are tested in tests/server/commendations). */
export async function publicNominee(f: MatrixFixture): Promise<{ roundId: string, nomineeId: string }> {
  const db = f.t.handle.db
  const now = new Date().toISOString()
  const roundId = randomUUID()
  const titleId = randomUUID()
  const nomineeId = randomUUID()
  await db.insertInto('commendation_round').values({ id: roundId, branch_id: f.branchId, kind: 'oct1', year: 10_000 + ++roundSeq, title: '十一评选', status: 'publicity', weights: '{}', publicity_days: 5, published_at: now, decided_at: null, created_by: f.admin.id, created_at: now, updated_at: now }).execute()
  await db.insertInto('commendation_title').values({ id: titleId, round_id: roundId, branch_id: f.branchId, name: '优秀共产党员', target: 'member', quota: 1, sort: 0 }).execute()
  await db.insertInto('commendation_nominee').values({ id: nomineeId, round_id: roundId, title_id: titleId, branch_id: f.branchId, member_id: f.member.id, group_id: null, citation: '事迹', status: 'nominated', nominated_by: f.admin.id, points_entry_id: null, decided_by: null, decided_at: null, created_at: now, updated_at: now }).execute()
  return { roundId, nomineeId }
}

export async function freshHonourFeedback(f: MatrixFixture): Promise<string> {
  const { roundId, nomineeId } = await publicNominee(f)
  const id = randomUUID()
  await f.t.handle.db.insertInto('commendation_feedback').values({ id, nominee_id: nomineeId, round_id: roundId, branch_id: f.branchId, name: '群众', text: '名副其实', status: 'pending', created_at: new Date().toISOString(), moderated_by: null, moderated_at: null }).execute()
  return id
}
