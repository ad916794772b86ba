import type { RoundKind, TitleTarget } from '#shared/commendations/constants'
import type { BoardHonours, HonourFeedbackBody, Round, RoundCreateBody, RoundUpdateBody, Shortlist, TitleInput, Weights } from '#shared/commendations/schemas'
import type { CandidateFigures } from '#shared/commendations/shortlist'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { NomineeRow, RoundRow } from './repository'
import { AWARD_RULE_KEY, DEFAULT_TITLES, DEFAULT_WEIGHTS, ROUND_KIND_ZH, SHORTLIST_FACTORS } from '#shared/commendations/constants'
import { groupWeights, shortlist } from '#shared/commendations/shortlist'
import { localDate } from '#shared/points/periods'
import { finalGrades } from '../appraisal/results-repository'
import { writeAudit } from '../audit/writer'
import { failure, notFound } from '../errors'
import { grantByRule } from '../points/grants'
import { branchTotals } from '../points/score'
import { baseFor } from '../points/settings'
import { memberReviewResults } from '../reviews/results-repository'
import { DAY, nowIso } from '../util/clock'
import { newId } from '../util/ids'
import * as repo from './repository'

const STATUS_ZH = { draft: '草稿', nominating: '推荐中', publicity: '公示中', decided: '已决定' } as const
const WHO = { member: { zh: '党员', en: 'members' }, group: { zh: '党小组', en: 'groups' } } as const

function weightsOf(row: RoundRow): Weights {
  try {
    const w = JSON.parse(row.weights) as Partial<Weights>
    return Object.fromEntries(SHORTLIST_FACTORS.map(f => [f, typeof w[f] === 'number' ? w[f] : DEFAULT_WEIGHTS[f]])) as Weights
  }
  catch {
    return { ...DEFAULT_WEIGHTS }
  }
}

/** When 公示 ends: publication + the round's days. */
export function publicityEndsAt(row: Pick<RoundRow, 'published_at' | 'publicity_days'>): string | null {
  return row.published_at ? new Date(Date.parse(row.published_at) + row.publicity_days * DAY).toISOString() : null
}

const stepRefused = (row: RoundRow) => failure(409, 'COMMENDATION_STEP', { status: STATUS_ZH[row.status] })

export async function requireRound(db: Db | Transaction<Database>, actor: Actor, id: string): Promise<RoundRow> {
  const row = await repo.roundRow(db, actor.branchId, id)
  if (!row)
    throw notFound('round')
  return row
}

/** Who can be a candidate at all: active members without a standing veto, or the branch's groups. */
async function eligibleCount(db: Db | Transaction<Database>, branchId: string, year: number, target: TitleTarget): Promise<number> {
  if (target === 'group')
    return (await repo.branchGroups(db, branchId)).length
  const [members, vetoed] = await Promise.all([repo.branchMembers(db, branchId), repo.vetoedMembers(db, branchId, year)])
  return members.filter(m => m.active === 1 && !vetoed.has(m.id)).length
}

async function checkTitles(db: Db | Transaction<Database>, branchId: string, year: number, titles: readonly TitleInput[]): Promise<void> {
  const seen = new Set<string>()
  for (const t of titles) {
    const name = t.name.trim()
    if (seen.has(name))
      throw failure(400, 'COMMENDATION_TITLE_DUPLICATE', { title: name })
    seen.add(name)
    const eligible = await eligibleCount(db, branchId, year, t.target)
    if (t.quota > eligible)
      throw failure(400, 'COMMENDATION_QUOTA_TOO_LARGE', { title: name, quota: t.quota, eligible, who: WHO[t.target].zh })
  }
}

const titleRowsOf = (titles: readonly TitleInput[]) => titles.map((t, i) => ({ id: newId(), name: t.name.trim(), target: t.target, quota: t.quota, sort: i }))

export async function createRound(trx: Transaction<Database>, actor: Actor, body: RoundCreateBody): Promise<Round> {
  if (await repo.roundExists(trx, actor.branchId, body.kind, body.year))
    throw failure(409, 'COMMENDATION_ROUND_EXISTS', { year: body.year, kind: ROUND_KIND_ZH[body.kind] })
  const titles = body.titles ?? DEFAULT_TITLES
  await checkTitles(trx, actor.branchId, body.year, titles)
  const now = nowIso()
  const id = newId()
  await repo.insertRound(trx, {
    id,
    branch_id: actor.branchId,
    kind: body.kind,
    year: body.year,
    title: body.title?.trim() || defaultRoundTitle(body.kind, body.year),
    level: body.level ?? 'institute',
    status: 'draft',
    weights: JSON.stringify(DEFAULT_WEIGHTS),
    publicity_days: body.publicityDays ?? 5,
    published_at: null,
    decided_at: null,
    created_by: actor.id,
    created_at: now,
  })
  await repo.replaceTitles(trx, id, actor.branchId, titleRowsOf(titles))
  await writeAudit(trx, actor, { action: 'commendation.round.create', entity: 'commendation_round', entityId: id, data: { kind: body.kind, year: body.year } })
  return loadRound(trx, actor, id)
}

export function defaultRoundTitle(kind: RoundKind, year: number): string {
  return kind === 'year_end' ? `${year} 年度评选表彰` : `${year} 年「${ROUND_KIND_ZH[kind]}」评选表彰`
}

/** Titles only before nominating starts; weights, level, days and the name until 公示. */
export async function updateRound(trx: Transaction<Database>, actor: Actor, id: string, body: RoundUpdateBody): Promise<Round> {
  const row = await requireRound(trx, actor, id)
  if (row.status === 'publicity' || row.status === 'decided' || (body.titles && row.status !== 'draft'))
    throw stepRefused(row)
  if (body.weights && SHORTLIST_FACTORS.every(f => body.weights![f] === 0))
    throw failure(400, 'COMMENDATION_WEIGHTS_ZERO')
  if (body.titles) {
    await checkTitles(trx, actor.branchId, row.year, body.titles)
    await repo.replaceTitles(trx, id, actor.branchId, titleRowsOf(body.titles))
  }
  await repo.updateRound(trx, id, {
    ...(body.title ? { title: body.title.trim() } : {}),
    ...(body.level ? { level: body.level } : {}),
    ...(body.publicityDays ? { publicity_days: body.publicityDays } : {}),
    ...(body.weights ? { weights: JSON.stringify(body.weights) } : {}),
    updated_at: nowIso(),
  })
  await writeAudit(trx, actor, { action: 'commendation.round.update', entity: 'commendation_round', entityId: id, data: body })
  return loadRound(trx, actor, id)
}

/** draft → nominating; nominating → publicity (公示 starts now, with at least one nominee). */
export async function stepRound(trx: Transaction<Database>, actor: Actor, id: string, to: 'nominating' | 'publicity'): Promise<Round> {
  const row = await requireRound(trx, actor, id)
  if ((to === 'nominating' && row.status !== 'draft') || (to === 'publicity' && row.status !== 'nominating'))
    throw stepRefused(row)
  const now = nowIso()
  if (to === 'publicity' && (await repo.nomineeRows(trx, [id])).length === 0)
    throw failure(409, 'COMMENDATION_NO_NOMINEES')
  await repo.updateRound(trx, id, { status: to, ...(to === 'publicity' ? { published_at: now } : {}), updated_at: now })
  await writeAudit(trx, actor, { action: `commendation.round.${to}`, entity: 'commendation_round', entityId: id, data: {} })
  return loadRound(trx, actor, id)
}

function roundView(row: RoundRow, titles: Round['titles'], nominees: Round['nominees']): Round {
  return {
    id: row.id,
    kind: row.kind,
    year: row.year,
    title: row.title,
    level: row.level,
    status: row.status,
    weights: weightsOf(row),
    publicityDays: row.publicity_days,
    publishedAt: row.published_at,
    publicityEndsAt: publicityEndsAt(row),
    decidedAt: row.decided_at,
    titles,
    nominees,
  }
}

/** A round with its titles and nominees; organizers also see each nominee's 公示 feedback, every status (the 支委会 moderates it there). */
export async function loadRound(db: Db | Transaction<Database>, actor: Actor, id: string): Promise<Round> {
  const row = await requireRound(db, actor, id)
  const [titles, nominees, feedback] = await Promise.all([
    repo.titleRows(db, id),
    repo.nomineeRows(db, [id]),
    actor.role === 'member' ? Promise.resolve([]) : repo.feedbackRows(db, [id], ['pending', 'approved', 'rejected']),
  ])
  const visible = actor.role === 'member' ? nominees.filter(n => row.status !== 'draft' && row.status !== 'nominating' ? true : n.member_id === actor.id) : nominees
  return roundView(row, titles, visible.map(n => nomineeView(n, feedback.filter(f => f.nominee_id === n.id))))
}

function nomineeView(n: NomineeRow, feedback: repo.FeedbackRow[]): Round['nominees'][number] {
  return {
    id: n.id,
    titleId: n.title_id,
    memberId: n.member_id,
    groupId: n.group_id,
    name: n.name,
    groupName: n.group_name,
    citation: n.citation,
    status: n.status,
    decidedAt: n.decided_at,
    feedback: feedback.map(f => ({ id: f.id, name: f.name, text: f.text, status: f.status, createdAt: f.created_at })),
  }
}

export async function listRounds(db: Db, actor: Actor) {
  return (await repo.listRoundRows(db, actor.branchId)).map((r) => {
    const { titles: _t, nominees: _n, ...rest } = roundView(r, [], [])
    return rest
  })
}

/**
 * The shortlist per title from the year's record: members by points, 讲评 average, pledges kept
 * and 民主评议 grade; groups by points per member, pledges kept and attendance. Departed and vetoed
 * members are listed apart with the reason; members already nominated stay in (the organizer sees
 * them marked by the nominee list).
 */
export async function computeShortlist(db: Db, actor: Actor, id: string, weightsOverride?: Weights): Promise<Shortlist> {
  const row = await requireRound(db, actor, id)
  const weights = weightsOverride ?? weightsOf(row)
  const { year } = row
  const base = await baseFor(db, actor.branchId, year)
  const [titles, members, vetoed, totals, reviews, kept, grades, groups, attendance] = await Promise.all([
    repo.titleRows(db, id),
    repo.branchMembers(db, actor.branchId),
    repo.vetoedMembers(db, actor.branchId, year),
    branchTotals(db, actor.branchId, year, base),
    memberReviewResults(db, actor.branchId, `${year}-01-01`, `${year}-12-31`),
    repo.pledgesKept(db, actor.branchId, year),
    finalGrades(db, actor.branchId, year),
    repo.branchGroups(db, actor.branchId),
    repo.attendanceCounts(db, actor.branchId, year),
  ])
  const excluded = members.filter(m => m.active !== 1 || vetoed.has(m.id))
    .map(m => ({ id: m.id, name: m.name, reason: m.active !== 1 ? 'departed' as const : 'vetoed' as const }))
  const eligible = members.filter(m => m.active === 1 && !vetoed.has(m.id))
  const memberFigures: CandidateFigures[] = eligible.map(m => ({
    id: m.id,
    name: m.name,
    points: totals.get(m.id) ?? null,
    review: reviews.get(m.id)?.overall ?? null,
    pledgesKept: kept.byMember.get(m.id) ?? 0,
    grade: grades.get(m.id) ?? null,
    attendance: null,
  }))
  const groupFigures: CandidateFigures[] = groups.map((g) => {
    const inGroup = members.filter(m => m.active === 1 && m.group_id === g.id)
    const sum = inGroup.reduce((s, m) => s + (totals.get(m.id) ?? 0), 0)
    let present = 0
    let expected = 0
    for (const m of inGroup) {
      const a = attendance.get(m.id)
      present += a?.present ?? 0
      expected += a?.expected ?? 0
    }
    return {
      id: g.id,
      name: g.name,
      points: inGroup.length > 0 ? Math.round((sum / inGroup.length) * 10) / 10 : null,
      review: null,
      pledgesKept: (kept.byGroup.get(g.id) ?? 0) + inGroup.reduce((s, m) => s + (kept.byMember.get(m.id) ?? 0), 0),
      grade: null,
      attendance: expected > 0 ? Math.round((present / expected) * 1000) / 1000 : null,
    }
  })
  const memberList = shortlist(memberFigures, weights)
  const groupList = shortlist(groupFigures, groupWeights(weights))
  const plain = (c: ReturnType<typeof shortlist>[number]) => ({
    id: c.id,
    name: c.name,
    points: c.points,
    review: c.review ?? null,
    pledgesKept: c.pledgesKept,
    grade: c.grade ?? null,
    attendance: c.attendance ?? null,
    score: c.score,
    parts: c.parts as Record<string, number>,
  })
  return {
    weights,
    titles: titles.map(t => ({
      titleId: t.id,
      name: t.name,
      target: t.target,
      quota: t.quota,
      candidates: (t.target === 'group' ? groupList : memberList).map(plain),
      excluded: t.target === 'group' ? [] : excluded,
    })),
  }
}

export interface NominateInput { id: string, roundId: string, titleId: string, memberId?: string, groupId?: string, citation: string }

/**
 * 推荐: branch admins anyone eligible, group leaders members of their own group. Refused in words:
 * a round past nominating, the wrong kind of candidate, a vetoed or departed member, twice for
 * one title, over the quota.
 */
export async function nominate(trx: Transaction<Database>, actor: Actor, input: NominateInput): Promise<Round['nominees'][number]> {
  const row = await requireRound(trx, actor, input.roundId)
  await repo.lockRound(trx, row.id)
  if (row.status !== 'nominating')
    throw stepRefused(row)
  const title = (await repo.titleRows(trx, row.id)).find(t => t.id === input.titleId)
  if (!title)
    throw notFound('round')
  if (title.target === 'member' && !input.memberId)
    throw failure(400, 'COMMENDATION_WRONG_TARGET', { title: title.name, who: WHO.member.zh })
  if (title.target === 'group' && !input.groupId)
    throw failure(400, 'COMMENDATION_WRONG_TARGET', { title: title.name, who: WHO.group.zh })
  let name: string
  if (title.target === 'member') {
    const m = await repo.memberRow(trx, actor.branchId, input.memberId!)
    if (!m)
      throw notFound('member')
    name = m.name
    if (actor.role !== 'branch_admin' && (actor.groupId === null || m.group_id !== actor.groupId))
      throw failure(403, 'COMMENDATION_NOT_IN_SCOPE')
    if (m.active !== 1)
      throw failure(409, 'COMMENDATION_DEPARTED', { name })
    if ((await repo.vetoedMembers(trx, actor.branchId, row.year)).has(m.id))
      throw failure(409, 'COMMENDATION_VETOED', { name })
  }
  else {
    if (actor.role !== 'branch_admin')
      throw failure(403, 'COMMENDATION_NOT_IN_SCOPE')
    const g = await repo.groupRow(trx, actor.branchId, input.groupId!)
    if (!g || g.removed_at)
      throw notFound('group')
    name = g.name
  }
  const inTitle = (await repo.nomineeRows(trx, [row.id])).filter(n => n.title_id === title.id)
  if (inTitle.some(n => (title.target === 'member' ? n.member_id === input.memberId : n.group_id === input.groupId)))
    throw failure(409, 'COMMENDATION_ALREADY_NOMINATED', { name, title: title.name })
  if (inTitle.length >= title.quota)
    throw failure(409, 'COMMENDATION_QUOTA_FULL', { title: title.name, quota: title.quota })
  await repo.insertNominee(trx, {
    id: input.id,
    round_id: row.id,
    title_id: title.id,
    branch_id: actor.branchId,
    member_id: title.target === 'member' ? input.memberId! : null,
    group_id: title.target === 'group' ? input.groupId! : null,
    citation: input.citation.trim(),
    nominated_by: actor.id,
    created_at: nowIso(),
  })
  await writeAudit(trx, actor, { action: 'commendation.nominate', entity: 'commendation_nominee', entityId: input.id, data: { roundId: row.id, title: title.name, name } })
  return nomineeView((await repo.nomineeRow(trx, actor.branchId, input.id))!, [])
}

const RESULT_ZH = { awarded: '授予', not_awarded: '不授予' } as const

/**
 * The 支委会's decision after 公示, once per nominee. An award to a member grants 岗位业绩受表彰
 * at the round's level through the points ledger (caps apply; the same nominee never grants
 * twice). The round is decided when its last nominee is.
 */
export async function decide(trx: Transaction<Database>, actor: Actor, nomineeId: string, awarded: boolean, now = new Date()): Promise<Round['nominees'][number]> {
  const n = await repo.nomineeRow(trx, actor.branchId, nomineeId)
  if (!n)
    throw notFound('nominee')
  const row = (await repo.roundRow(trx, actor.branchId, n.round_id))!
  await repo.lockRound(trx, row.id)
  const fresh = (await repo.nomineeRow(trx, actor.branchId, nomineeId))!
  if (fresh.status !== 'nominated')
    throw failure(409, 'COMMENDATION_DECIDED', { name: fresh.name, result: RESULT_ZH[fresh.status] })
  if (row.status !== 'publicity')
    throw stepRefused(row)
  const ends = publicityEndsAt(row)!
  if (Date.parse(ends) > now.getTime())
    throw failure(409, 'COMMENDATION_PUBLICITY_RUNNING', { until: localDate(new Date(ends)) })
  let entryId: string | null = null
  if (awarded && fresh.member_id) {
    const title = (await repo.titleRows(trx, row.id)).find(t => t.id === fresh.title_id)
    const outcome = await grantByRule(trx, {
      branchId: actor.branchId,
      memberId: fresh.member_id,
      ruleKey: AWARD_RULE_KEY,
      variant: row.level,
      date: localDate(now),
      source: `commendation:${fresh.id}`,
      kind: 'organizer',
      note: `${row.title}：${title?.name ?? ''}`,
      actorId: actor.id,
      reviewed: true,
    })
    entryId = outcome ? `commendation:${fresh.id}` : null
  }
  const at = nowIso(now)
  await repo.decideNominee(trx, fresh.id, { status: awarded ? 'awarded' : 'not_awarded', decided_by: actor.id, decided_at: at, points_entry_id: entryId })
  if (await repo.undecidedCount(trx, row.id) === 0)
    await repo.updateRound(trx, row.id, { status: 'decided', decided_at: at, updated_at: at })
  await writeAudit(trx, actor, { action: awarded ? 'commendation.award' : 'commendation.not_awarded', entity: 'commendation_nominee', entityId: fresh.id, data: { name: fresh.name } })
  return nomineeView((await repo.nomineeRow(trx, actor.branchId, fresh.id))!, [])
}

/** 表彰公示 for the public board: rounds in 公示, their nominees and citations, approved feedback only. */
export async function boardHonours(db: Db, branchId: string): Promise<BoardHonours> {
  const rounds = await repo.publicityRounds(db, branchId)
  const ids = rounds.map(r => r.id)
  const [nominees, feedback, titles] = await Promise.all([
    repo.nomineeRows(db, ids),
    repo.feedbackRows(db, ids, ['approved']),
    Promise.all(rounds.map(r => repo.titleRows(db, r.id))),
  ])
  const titleName = new Map(titles.flat().map(t => [t.id, t.name]))
  return rounds.map(r => ({
    roundTitle: r.title,
    publicityEndsAt: publicityEndsAt(r)!,
    nominees: nominees.filter(n => n.round_id === r.id).map(n => ({
      id: n.id,
      title: titleName.get(n.title_id) ?? '',
      name: n.name,
      citation: n.citation,
      feedback: feedback.filter(f => f.nominee_id === n.id).map(f => ({ name: f.name, text: f.text, createdAt: f.created_at })),
    })),
  }))
}

/** The public's word on a nominee in 公示: pending until the branch approves it (the caller rate-limits). */
export async function addHonourFeedback(db: Db, branchId: string, body: HonourFeedbackBody): Promise<void> {
  const n = await repo.publicNominee(db, branchId, body.nomineeId)
  if (!n)
    throw notFound('nominee')
  await repo.insertFeedback(db, { id: newId(), nominee_id: n.id, round_id: n.round_id, branch_id: branchId, name: (body.name ?? '').trim(), text: body.text.trim(), created_at: nowIso() })
}

export async function moderateHonourFeedback(trx: Transaction<Database>, actor: Actor, id: string, decision: 'approve' | 'reject'): Promise<void> {
  const row = await repo.feedbackRow(trx, actor.branchId, id)
  if (!row)
    throw notFound('feedback')
  if (row.status !== 'pending')
    throw failure(409, 'COMMENDATION_FEEDBACK_MODERATED')
  await repo.moderateFeedbackRow(trx, id, decision === 'approve' ? 'approved' : 'rejected', actor.id, nowIso())
  await writeAudit(trx, actor, { action: `commendation.feedback.${decision}`, entity: 'commendation_feedback', entityId: id, data: {} })
}
