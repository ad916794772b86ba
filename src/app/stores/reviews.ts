import type { BallotRating } from '#shared/reviews/rules'
import type { MyReviewResult, PeriodRecord, ReviewBallot, ReviewCreateBody, ReviewDetail, ReviewResult, ReviewResults, ReviewSession, ReviewStatement } from '#shared/reviews/schemas'
import type { LocalRecord } from '../db'
import { reviewPeriodBounds } from '#shared/reviews/constants'
import { REVIEW_ENTITY, reviewAdvance, reviewBallot, reviewCreate, reviewStatement, statementId } from '#shared/reviews/ops'
import { checkBallot, mayOrganizeReview, reviewVisibleTo } from '#shared/reviews/rules'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { wordRefusal } from '../api/errors'
import { reviewsApi } from '../components/reviews/reviews-api'
import { getRecord, listRecords } from '../db'
import { queueWrite } from '../sync/write'
import { useMeetingsStore } from './meetings'
import { useSessionStore } from './session'

/** A session as the phone shows it: the server's copy or one changed here not yet synced (待同步) or refused. */
export interface LocalReview extends ReviewSession {
  canOrganize: boolean
  syncPending: boolean
  syncFailed: boolean
}

/** What a session's page shows, online or from the phone's records. */
export interface ShownReview {
  session: LocalReview
  statements: (ReviewStatement & { syncPending: boolean })[]
  /** Who attended the tied 组织生活会: from the server only (null offline). */
  attendance: ReviewDetail['attendance'] | null
  myRecord: PeriodRecord | null
  myStatement: ReviewStatement | null
  myBallot: (ReviewBallot & { syncPending: boolean }) | null
  myResult: ReviewResult | null
  ballots: number | null
  offline: boolean
}

const isOffline = (err: unknown) => err instanceof ApiError && err.isNetwork

type Flags = Pick<LocalRecord, 'pendingOps' | 'failed'>
const pending = (r?: Flags) => (r?.pendingOps ?? 0) > 0

/**
 * 定期讲评 on the phone (issue 12). Sessions, 陈述, the member's own ballot and result arrive by
 * pull and are read from the phone's records, so the pages open offline; every write is an op
 * (queueWrite) shown at once as 待同步, and a refused one lands in 同步失败. A ballot is checked
 * with the shared checkBallot before it is queued, so the member sees the server's words at once.
 */
export const useReviewsStore = defineStore('reviews', () => {
  const session = useSessionStore()
  const reviews = ref<LocalReview[]>([])
  /** The last detail the server gave for each session opened, for when the signal goes. */
  const details = new Map<string, ReviewDetail>()

  function toLocal(s: ReviewSession, record?: Flags): LocalReview {
    const me = session.me!
    return { ...s, canOrganize: mayOrganizeReview(me, { branchId: me.branchId, groupId: s.groupId }), syncPending: pending(record), syncFailed: record?.failed ?? false }
  }

  async function localReviews(): Promise<LocalReview[]> {
    const me = session.me
    if (!me)
      return []
    const records = await listRecords<ReviewSession>(me.id, REVIEW_ENTITY.session)
    return records.filter(r => reviewVisibleTo(me, { branchId: me.branchId, groupId: r.data.groupId })).map(r => toLocal(r.data, r))
  }

  /** The sessions this member may see: the phone's records, with the server's list added when online. */
  async function load(): Promise<void> {
    const byId = new Map((await localReviews()).map(s => [s.id, s]))
    try {
      for (const s of await reviewsApi.list()) {
        const mine = byId.get(s.id)
        if (!mine || (!mine.syncPending && !mine.syncFailed))
          byId.set(s.id, toLocal(s))
      }
    }
    catch (err) {
      if (!isOffline(err))
        throw err
    }
    reviews.value = [...byId.values()].sort((a, b) => b.period.localeCompare(a.period) || a.title.localeCompare(b.title, 'zh-CN'))
  }

  async function ownRecord<T>(entity: string, id: string): Promise<LocalRecord<T> | undefined> {
    const record = await getRecord<T>(entity, id)
    return record?.owner === session.me?.id ? record : undefined
  }

  /**
   * One session's page: the server's detail when online (kept for offline), with what this phone
   * wrote and has not synced laid over it; offline, the pulled records alone.
   */
  async function detail(id: string): Promise<ShownReview | null> {
    const me = session.me!
    let offline = false
    try {
      details.set(id, await reviewsApi.detail(id))
    }
    catch (err) {
      const local = await ownRecord<ReviewSession>(REVIEW_ENTITY.session, id)
      const notThereYet = pending(local) && err instanceof ApiError && err.status === 404
      if (!isOffline(err) && !notThereYet)
        throw err
      offline = isOffline(err)
    }
    const server = details.get(id)
    const sessionRecord = await ownRecord<ReviewSession>(REVIEW_ENTITY.session, id)
    const base = sessionRecord && (pending(sessionRecord) || sessionRecord.failed || !server) ? sessionRecord.data : server?.session
    if (!base)
      return null
    const records = (await listRecords<ReviewStatement>(me.id, REVIEW_ENTITY.statement)).filter(r => r.data.sessionId === id)
    const byMember = new Map((server?.statements ?? []).map(s => [s.memberId, { ...s, syncPending: false }]))
    for (const r of records) {
      if (pending(r) || !byMember.has(r.data.memberId))
        byMember.set(r.data.memberId, { ...r.data, syncPending: pending(r) })
    }
    const statements = [...byMember.values()].sort((a, b) => a.memberName.localeCompare(b.memberName, 'zh-CN'))
    const ballotRecord = await ownRecord<ReviewBallot>(REVIEW_ENTITY.ballot, id)
    const myBallot = ballotRecord && (pending(ballotRecord) || !server) ? { ...ballotRecord.data, syncPending: pending(ballotRecord) } : server?.myBallot ? { ...server.myBallot, syncPending: false } : null
    const resultRecord = await ownRecord<MyReviewResult>(REVIEW_ENTITY.result, id)
    return {
      session: toLocal(base, sessionRecord),
      statements,
      attendance: server?.attendance ?? null,
      myRecord: server?.myRecord ?? statements.find(s => s.memberId === me.id)?.record ?? null,
      myStatement: statements.find(s => s.memberId === me.id) ?? null,
      myBallot,
      myResult: server?.myResult ?? resultRecord?.data.result ?? null,
      ballots: server?.ballots ?? null,
      offline,
    }
  }

  /** 新建讲评: the id is made here, so its page opens before it reaches the server. */
  async function create(body: ReviewCreateBody, names: { groupName: string | null, meetingTopic: string | null, members: ReviewSession['members'] }): Promise<string> {
    const me = session.me!
    const id = crypto.randomUUID()
    const bounds = reviewPeriodBounds(body.period)!
    const now = new Date().toISOString()
    const local: ReviewSession = { id, ...body, ...names, periodFrom: bounds.from, periodTo: bounds.to, status: 'draft', createdBy: me.id, openedAt: null, ratingOpenedAt: null, closedAt: null, closedByName: null, updatedAt: now }
    await queueWrite(reviewCreate, { id, ...body }, { entity: REVIEW_ENTITY.session, id, data: local })
    await load()
    return id
  }

  /** 开始 / 开始评分 / 结束: shown at once (待同步); the server refuses a step another organizer already took. */
  async function advance(s: LocalReview, to: 'open' | 'rating' | 'closed'): Promise<void> {
    const { canOrganize: _c, syncPending: _p, syncFailed: _f, ...data } = s
    const now = new Date().toISOString()
    const stamps = to === 'open' ? { openedAt: now } : to === 'rating' ? { ratingOpenedAt: now } : { closedAt: now, closedByName: session.me!.name }
    await queueWrite(reviewAdvance, { sessionId: s.id, to, title: s.title }, { entity: REVIEW_ENTITY.session, id: s.id, data: { ...data, ...stamps, status: to, updatedAt: now } })
  }

  /** 我的陈述: queued offline; the record shown with it is the one the server computed last. */
  async function saveStatement(sessionId: string, parts: { participation: string, pledges: string, improvement: string }, record: PeriodRecord | null): Promise<void> {
    const me = session.me!
    const data: ReviewStatement = { sessionId, memberId: me.id, memberName: me.name, ...parts, record: record ?? emptyRecord(), updatedAt: new Date().toISOString() }
    await queueWrite(reviewStatement, { sessionId, ...parts }, { entity: REVIEW_ENTITY.statement, id: statementId(sessionId, me.id), data })
  }

  /**
   * 评议他人: the whole ballot, checked by the shared rule first (the problem is returned in the
   * member's words, the server's own, and nothing queued); sent again it replaces the earlier one
   * until rating closes.
   */
  async function saveBallot(s: LocalReview, ratings: BallotRating[]): Promise<string | null> {
    const me = session.me!
    const problem = checkBallot(s.status, me.id, new Map(s.members.map(m => [m.id, m.name])), ratings)
    if (problem)
      return wordRefusal(problem.code, problem.params ?? {}, problem.code)
    const payload = { sessionId: s.id, ratings: ratings.map(r => ({ rateeId: r.rateeId, scores: r.scores as Record<'study' | 'excel' | 'serve' | 'discipline' | 'uphold', number>, ...(r.comment?.trim() ? { comment: r.comment.trim() } : {}) })) }
    await queueWrite(reviewBallot, payload, { entity: REVIEW_ENTITY.ballot, id: s.id, data: { ...payload, updatedAt: new Date().toISOString() } satisfies ReviewBallot })
    return null
  }

  /** The organizer's results of a closed session: online. */
  const results = (id: string): Promise<ReviewResults> => reviewsApi.results(id)
  const xlsxUrl = (id: string) => reviewsApi.xlsxUrl(id)

  /** The 专题组织生活会 a session may be tied to, from the organizer's meetings (the phone's, and the server's online). */
  async function lifeMeetings(groupId: string | null) {
    const meetings = useMeetingsStore()
    await meetings.load()
    return meetings.organized.filter(m => m.type === 'life_meeting' && m.groupId === groupId && m.status !== 'cancelled')
  }
  const groups = () => useMeetingsStore().groups()

  return { reviews, load, detail, create, advance, saveStatement, saveBallot, results, xlsxUrl, lifeMeetings, groups }
})

function emptyRecord(): PeriodRecord {
  return { from: '', to: '', points: { study: 0, excel: 0, serve: 0, discipline: 0, uphold: 0 }, pointsTotal: 0, pledges: { items: 0, kept: 0, partial: 0, broken: 0, open: 0 }, attendance: { expected: 0, present: 0, leave: 0 } }
}
