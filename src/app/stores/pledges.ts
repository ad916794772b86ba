import type { OwnerKind } from '#shared/pledges/constants'
import type { Pledge, PledgeDetail, PledgeItem, PledgeItemBody, PledgeQuery, Progress } from '#shared/pledges/schemas'
import type { ItemEvaluation, ReviewMove } from '#shared/pledges/status'
import type { Me } from '#shared/schemas/auth'
import type { LocalRecord } from '../db'
import type { QueuedPhoto } from '../sync/write'
import { PLEDGE_LIMITS } from '#shared/pledges/constants'
import { PLEDGE_ENTITY, pledgeEvaluate, pledgeReview, pledgeSave, pledgeSubmit } from '#shared/pledges/ops'
import { applyEvaluation, applyMove, dueDateProblem, isAuthor, isEditable, liveStatus, mayReview, todayIn } from '#shared/pledges/status'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { pledgesApi, recordProgress, withLocalLog, withLocalProgress } from '../components/pledges/pledges-api'
import { listRecords } from '../db'
import { readPledgeQueue, writePledgeQueue } from '../db/pledges'
import { i18n } from '../i18n'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

/** A pledge as the phone shows it: the server's copy, or this phone's change not yet synced (待同步) or refused (同步失败). */
export type LocalPledge = Pledge & { syncPending: boolean, syncFailed: boolean }
/** A 践诺 record as the detail page lists it: the server's, or this phone's not yet synced. */
export type LogRecord = Progress & { pending?: boolean }
export type LocalDetail = Omit<PledgeDetail, 'progress'> & { progress: LogRecord[], syncPending: boolean, syncFailed: boolean }

/** Public feedback waiting for the branch, with whose pledge it is about. */
export type ModerationRow = PledgeDetail['feedback'][number] & { ownerName: string }

/** What the editor hands over: the pledge's content, and for a new one whose it is. */
export interface PledgeInput {
  ownerKind: OwnerKind
  year: number
  stage: string | null
  supervisor: string
  supervisorContact: string
  items: PledgeItemBody[]
}

/** The statuses an organizer's review queue holds: waiting for a decision, or approved and waiting to be published. */
const QUEUED = new Set(['submitted', 'approved'])

const isNetwork = (err: unknown) => err instanceof ApiError && err.isNetwork
const busy = (r: LocalRecord) => r.pendingOps > 0 || r.failed

/**
 * Lays this phone's records over a list from the server (or its cached copy): a record still
 * waiting to sync, refused, or newer than the listed copy is what the member sees. `keep` says
 * which pledges belong in the list (a record not listed is added if it does).
 */
export function overlay(base: Pledge[], records: LocalRecord<Pledge>[], keep: (p: Pledge, listed: boolean) => boolean): LocalPledge[] {
  const listedIds = new Set(base.map(p => p.id))
  const shown = new Map<string, LocalPledge>(base.map(p => [p.id, { ...p, syncPending: false, syncFailed: false }]))
  for (const r of records) {
    const listed = shown.get(r.id)
    if (listed ? !busy(r) && r.data.updatedAt <= listed.updatedAt : !keep(r.data, false))
      continue
    shown.set(r.id, { ...r.data, syncPending: r.pendingOps > 0, syncFailed: r.failed })
  }
  const added = [...shown.values()].filter(p => !listedIds.has(p.id)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  return [...added, ...base.map(p => shown.get(p.id)!)].filter(p => keep(p, listedIds.has(p.id)) || p.syncPending || p.syncFailed)
}

/**
 * The pledge as the member wrote it, built on the phone the way the server will store it
 * (trimmed, items in order, not started): shown at once, offline too, as 待同步.
 */
export function localPledge(me: Me, id: string, input: PledgeInput, before: Pledge | undefined, now: string): Pledge {
  const items: PledgeItem[] = input.items.map((item, sort) => ({
    id: before?.items[sort]?.id ?? crypto.randomUUID(),
    sort,
    category: item.category,
    duty: item.duty.trim(),
    target: item.target.trim(),
    dueDate: item.dueDate,
    progressStatus: 'not_started',
    percent: 0,
    progressNote: '',
    progressAt: null,
    result: null,
    resultComment: '',
    excused: false,
    pointsRuleKey: null,
    pointsAmount: null,
    evaluatedAt: null,
  }))
  const ownerKind = before?.ownerKind ?? input.ownerKind
  return {
    id,
    ownerKind,
    ownerName: before?.ownerName ?? (ownerKind === 'member' ? me.name : ownerKind === 'group' ? me.groupName ?? '' : me.branchName),
    memberId: before ? before.memberId : ownerKind === 'member' ? me.id : null,
    groupId: before ? before.groupId : ownerKind === 'group' ? me.groupId : null,
    groupName: before ? before.groupName : ownerKind === 'group' ? me.groupName : null,
    year: input.year,
    stage: input.stage?.trim() || null,
    supervisor: input.supervisor.trim(),
    supervisorContact: input.supervisorContact.trim(),
    status: before?.status ?? 'draft',
    returnReason: before?.returnReason ?? null,
    liveStatus: liveStatus(items, todayIn(new Date(now))),
    createdBy: before?.createdBy ?? me.id,
    submittedAt: before?.submittedAt ?? null,
    reviewedAt: before?.reviewedAt ?? null,
    publishedAt: before?.publishedAt ?? null,
    updatedAt: now,
    items,
  }
}

/** The pledge alone, as the server sends it: what a local record holds (no log, feedback or sync marks). */
function bare(p: Pledge | LocalPledge | LocalDetail): Pledge {
  const { progress: _progress, feedback: _feedback, syncPending: _pending, syncFailed: _failed, ...pledge } = p as LocalDetail
  return pledge
}

/** What is wrong with the editor's content, in the member's words, before anything is queued; null when it can be saved. */
export function inputProblem(input: PledgeInput): string | null {
  const t = i18n.global.t
  if (!Number.isInteger(input.year) || input.year < PLEDGE_LIMITS.yearMin || input.year > PLEDGE_LIMITS.yearMax)
    return t('pledges.editor.problems.year')
  if (!input.supervisor.trim() || !input.supervisorContact.trim())
    return t('pledges.editor.problems.supervisor')
  for (const [n, item] of input.items.entries()) {
    if (!item.duty.trim() || !item.target.trim())
      return t('pledges.editor.problems.item', { n: n + 1 })
    const problem = dueDateProblem(item.dueDate, input.year)
    if (problem)
      return t(`pledges.editor.problems.${problem === 'invalid' ? 'date' : 'period'}`, { n: n + 1, year: input.year })
  }
  return null
}

/**
 * 公开承诺 on the phone: the member's own pledges and an organizer's review queue, kept on the
 * phone so they are written, submitted and decided offline. Every write is an op (pledge.save,
 * pledge.submit, pledge.review, pledge.evaluate, pledge.progress) shown at once as 待同步; a refused
 * one shows as 同步失败. Archive, feedback moderation and the board link stay online calls.
 */
export const usePledgesStore = defineStore('pledges', () => {
  const session = useSessionStore()
  const mine = ref<LocalPledge[]>([])
  const queue = ref<LocalPledge[]>([])
  /** The lists show the phone's copy: the server was not reachable. */
  const offline = ref(false)

  const me = () => {
    if (!session.me)
      throw new Error('not logged in')
    return session.me
  }
  const myRecords = async () => listRecords<Pledge>(me().id, PLEDGE_ENTITY.pledge)

  /** 我的承诺: the server's list when online, else the copies pulled to this phone; this phone's changes laid over either. */
  async function loadMine(): Promise<void> {
    const m = me()
    let base: Pledge[] = []
    offline.value = false
    try {
      base = await pledgesApi.list({ mine: true })
    }
    catch (err) {
      if (!isNetwork(err))
        throw err
      offline.value = true
    }
    const records = await myRecords()
    mine.value = await withLocalProgress(m.id, overlay(base, records, p => isAuthor(p, m.id)))
  }

  /** The organizer's queue: fetched and kept on the phone when online, the kept copy offline; pending decisions laid over. */
  async function loadQueue(): Promise<void> {
    const m = me()
    let base: Pledge[]
    offline.value = false
    try {
      const [submitted, approved] = await Promise.all([pledgesApi.list({ status: 'submitted' }), pledgesApi.list({ status: 'approved' })])
      base = [...submitted, ...approved]
      await writePledgeQueue(m.id, base)
    }
    catch (err) {
      if (!isNetwork(err))
        throw err
      offline.value = true
      base = ((await readPledgeQueue(m.id))?.pledges ?? []) as Pledge[]
    }
    const records = await myRecords()
    queue.value = overlay(base, records, (p, listed) => listed && QUEUED.has(p.status))
  }

  /** A pledge this phone has a copy of: the member's own, or one of the queue. */
  async function localCopy(id: string): Promise<LocalPledge | undefined> {
    const m = me()
    const record = (await myRecords()).find(r => r.id === id)
    if (record)
      return { ...record.data, syncPending: record.pendingOps > 0, syncFailed: record.failed }
    const cached = ((await readPledgeQueue(m.id))?.pledges ?? []) as Pledge[]
    const found = cached.find(p => p.id === id)
    return found ? { ...found, syncPending: false, syncFailed: false } : undefined
  }

  /**
   * One pledge with its 践诺 log: the server's when online, this phone's copy offline (or the one
   * on screen, `current`, with records made here since); changes made here shown at once.
   */
  async function loadDetail(id: string, current?: LocalDetail | null): Promise<LocalDetail> {
    const m = me()
    const local = await localCopy(id)
    try {
      const server = await pledgesApi.detail(id)
      const mark = local && (local.syncPending || local.syncFailed || local.updatedAt > server.updatedAt) ? local : null
      const chosen = mark ? { ...bare(mark), progress: server.progress, feedback: server.feedback } : server
      const [withProgress] = await withLocalProgress(m.id, [chosen])
      const marks = { syncPending: mark?.syncPending ?? false, syncFailed: mark?.syncFailed ?? false }
      return { ...await withLocalLog(m.id, withProgress!), ...marks }
    }
    catch (err) {
      const known = current?.id === id ? current : null
      const copy = local ?? known
      // Offline; or a draft written here that the server has not been sent yet (404 until it is).
      const notYetSent = err instanceof ApiError && err.status === 404 && !!local && (local.syncPending || local.syncFailed)
      if (!copy || !(isNetwork(err) || notYetSent))
        throw err
      const [withProgress] = await withLocalProgress(m.id, [copy])
      const fromServer = { progress: known?.progress.filter(p => !p.pending) ?? [], feedback: known?.feedback ?? [] }
      return { ...await withLocalLog(m.id, { ...withProgress!, ...fromServer }), syncPending: copy.syncPending, syncFailed: copy.syncFailed }
    }
  }

  /**
   * 保存草稿 / 提交支部审核: the pledge is on the phone at once (待同步) and its ops queued. A new
   * pledge gets its id here, so it opens offline. `replacesRejected`: the refused save this one fixes.
   */
  async function save(input: PledgeInput, options: { id?: string, submit?: boolean, replacesRejected?: string } = {}): Promise<string> {
    const m = me()
    const problem = inputProblem(input)
    if (problem)
      throw new Error(problem)
    const id = options.id ?? crypto.randomUUID()
    const before = options.id ? await localCopy(options.id) : undefined
    if (before && !isEditable(before.status))
      throw new Error(i18n.global.t('pledges.locked'))
    const now = new Date().toISOString()
    const draft = localPledge(m, id, input, before && bare(before), now)
    const payload = {
      id,
      ownerKind: draft.ownerKind,
      ...(draft.ownerKind === 'group' ? { groupId: draft.groupId } : {}),
      year: input.year,
      stage: draft.stage,
      supervisor: input.supervisor,
      supervisorContact: input.supervisorContact,
      items: input.items,
    }
    await queueWrite(pledgeSave, payload, { entity: PLEDGE_ENTITY.pledge, id, data: draft }, { replacesRejected: options.replacesRejected })
    if (options.submit) {
      const sent = applyMove(draft, 'submit', now)!
      await queueWrite(pledgeSubmit, { id }, { entity: PLEDGE_ENTITY.pledge, id, data: sent })
    }
    return id
  }

  /** The branch's decision, made offline too: shown at once (待同步); refused if someone decided first. */
  async function decide(pledge: Pledge, move: ReviewMove, reason = ''): Promise<void> {
    if (!mayReview(me().role))
      throw new Error('not a branch admin')
    const decided = applyMove(bare(pledge), move, new Date().toISOString(), reason)
    if (!decided || !pledge.submittedAt)
      throw new Error(i18n.global.t('pledges.review.notNow'))
    const base = { id: pledge.id, submittedAt: pledge.submittedAt }
    const payload = move === 'return' ? { ...base, move, reason: reason.trim() } : { ...base, move }
    await queueWrite(pledgeReview, payload, { entity: PLEDGE_ENTITY.pledge, id: pledge.id, data: decided })
  }

  /** 评诺, offline too: the results show at once (待同步); the points are granted when the server takes it. */
  async function evaluate(pledge: Pledge, items: ItemEvaluation[]): Promise<void> {
    if (!mayReview(me().role))
      throw new Error('not a branch admin')
    const now = new Date().toISOString()
    const evaluated = applyEvaluation(bare(pledge), items, now, todayIn(new Date(now)))
    if (!evaluated)
      throw new Error(i18n.global.t('pledges.review.notNow'))
    await queueWrite(pledgeEvaluate, { id: pledge.id, items }, { entity: PLEDGE_ENTITY.pledge, id: pledge.id, data: evaluated })
  }

  async function progress(itemId: string, status: Progress['status'], percent: number, note: string, photos: QueuedPhoto[] = []): Promise<void> {
    await recordProgress(me().id, itemId, status, percent, note, photos)
  }

  return {
    mine,
    queue,
    offline,
    loadMine,
    loadQueue,
    loadDetail,
    localCopy,
    save,
    decide,
    progress,
    evaluate,
    archive: (q?: PledgeQuery) => pledgesApi.archive(q),
    archiveXlsxUrl: (q?: PledgeQuery) => pledgesApi.archiveXlsxUrl(q),
    groups: () => pledgesApi.groups(),
    boardLink: () => pledgesApi.boardLink(),
    feedback: () => pledgesApi.feedback(),
    moderate: (id: string, decision: 'approve' | 'reject') => pledgesApi.moderate(id, decision),
  }
})
