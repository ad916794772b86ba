import type { AppraisalScope, AppraisalStatus, Grade } from '#shared/appraisal/constants'
import type { GradeCounts } from '#shared/appraisal/rules'
import type { Appraisal, AppraisalResults, MyAppraisal } from '#shared/appraisal/schemas'
import type { MemberYearRecord } from '#shared/records/schemas'
import type { Static } from 'typebox'
import type { LocalRecord } from '../db'
import { APPRAISAL_ENTITY, appraisalBallot, appraisalDecide, appraisalOpen, appraisalStep, appraisalSummary } from '#shared/appraisal/ops'
import { APPRAISAL_NEXT, ballotGrade, checkAppraisalBallot, gradeWords, mayWriteSummary, reasonNeeded, STATUS_ZH } from '#shared/appraisal/rules'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { wordRefusal } from '../api/errors'
import { appraisalApi } from '../components/appraisal/appraisal-api'
import { getMeta, getRecord, listRecords, setMeta } from '../db'
import { ballotSecret, keepBallot, savedBallot } from '../db/secrets'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

export type AppraisalData = Static<typeof Appraisal>
type Mine = Static<typeof MyAppraisal>
export type AppraisalResultRow = Static<typeof AppraisalResults>['members'][number]
export type YearRecord = Static<typeof MemberYearRecord>

/** Local records only this feature writes (the server never sends them back by pull). */
export const APPRAISAL_LOCAL = {
  /** Marks a queued ballot 待同步 / 同步失败; the grades themselves stay beside the secret (db/secrets). */
  ballot: 'appraisal-ballot',
  /** A 支委会 decision queued on this phone, by `${appraisalId}.${memberId}`. */
  decision: 'appraisal-decision',
} as const

type Flags = Pick<LocalRecord, 'pendingOps' | 'failed'>
const pending = (r?: Flags) => (r?.pendingOps ?? 0) > 0
const isOffline = (err: unknown) => err instanceof ApiError && err.isNetwork

export interface ShownAppraisal {
  year: number
  /** The year's appraisal as this phone knows it, with a step taken here and not yet synced laid over it. */
  appraisal: (AppraisalData & { syncPending: boolean, syncFailed: boolean }) | null
  summary: { text: string, updatedAt: string, syncPending: boolean, syncFailed: boolean } | null
  /** Whom this member grades and the quota: from the server (kept for offline); null when never fetched. */
  ballot: Mine['ballot'] | null
  /** The member's own ballot as saved on this phone. */
  myBallot: { grades: Record<string, Grade>, savedAt: string, syncPending: boolean, syncFailed: boolean } | null
  /** The server has a ballot of this member (perhaps cast on another phone). */
  voted: boolean
  result: Mine['result'] | null
  offline: boolean
}

export interface ShownResultRow extends AppraisalResultRow {
  syncPending: boolean
  syncFailed: boolean
}

export interface OpenInput {
  year: number
  scope: AppraisalScope
  startsOn: string
  endsOn: string
  excellentNum: number
  excellentDen: number
}

interface LocalDecision { appraisalId: string, memberId: string, finalGrade: Grade, reason: string }

/**
 * 民主评议党员 on the phone (issue 13). The year's appraisal and the member's 个人总结 arrive by pull
 * and the server's last answer is kept, so the screens open offline; every write is an op
 * (queueWrite) shown at once as 待同步, and a refused one lands in 同步失败. A ballot is checked
 * with the shared checkAppraisalBallot before it is queued, so an over-quota ballot is refused
 * here at once in the server's own words, and it is filed under a secret made and kept on this
 * phone (db/secrets), which is what lets the member change it until the ballot closes.
 */
export const useAppraisalStore = defineStore('appraisal', () => {
  const session = useSessionStore()
  const shown = ref<ShownAppraisal | null>(null)
  const me = () => session.me!
  const cacheKey = (kind: string, year: number) => `appraisal:${kind}:${me().id}:${year}`

  async function ownRecord<T>(entity: string, id: string): Promise<LocalRecord<T> | undefined> {
    const record = await getRecord<T>(entity, id)
    return record?.owner === me().id ? record : undefined
  }

  /** The server's answer when online (kept for offline), else the last one kept; null if never fetched. */
  async function serverOrKept<T>(key: string, fetch: () => Promise<T>): Promise<{ value: T | null, offline: boolean }> {
    try {
      const value = await fetch()
      await setMeta(key, value)
      return { value, offline: false }
    }
    catch (err) {
      if (!isOffline(err))
        throw err
      return { value: (await getMeta<T>(key)) ?? null, offline: true }
    }
  }

  /** The appraisal of the year: one written here and not yet synced wins, then the server's, then the pulled one. */
  async function localAppraisal(year: number, server: AppraisalData | null) {
    const records = (await listRecords<AppraisalData>(me().id, APPRAISAL_ENTITY.appraisal)).filter(r => r.data.year === year)
    const busy = records.find(r => pending(r) || r.failed)
    const base = busy?.data ?? server ?? records[0]?.data ?? null
    if (!base)
      return null
    const record = busy ?? records.find(r => r.id === base.id)
    return { ...base, syncPending: pending(record), syncFailed: record?.failed ?? false }
  }

  async function localSummary(appraisalId: string, server: Mine['summary'] | undefined): Promise<ShownAppraisal['summary']> {
    const records = (await listRecords<{ appraisalId: string, memberId: string, text: string, updatedAt: string }>(me().id, APPRAISAL_ENTITY.summary))
      .filter(r => r.data.appraisalId === appraisalId && r.data.memberId === me().id)
      .sort((a, b) => b.data.updatedAt.localeCompare(a.data.updatedAt))
    const busy = records.find(r => pending(r) || r.failed)
    if (busy)
      return { text: busy.data.text, updatedAt: busy.data.updatedAt, syncPending: pending(busy), syncFailed: busy.failed }
    if (server)
      return { ...server, syncPending: false, syncFailed: false }
    const pulled = records[0]
    return pulled ? { text: pulled.data.text, updatedAt: pulled.data.updatedAt, syncPending: false, syncFailed: false } : null
  }

  /** The year's appraisal as this member sees it: their step, 个人总结, ballot and, once counted, result. */
  async function load(year: number): Promise<ShownAppraisal> {
    const { value: server, offline } = await serverOrKept(cacheKey('mine', year), () => appraisalApi.year(year))
    const appraisal = await localAppraisal(year, server?.appraisal ?? null)
    // The server's ballot scope belongs to the appraisal it came with, not to one opened here since.
    const sameAppraisal = !!appraisal && server?.appraisal?.id === appraisal.id
    let myBallot: ShownAppraisal['myBallot'] = null
    if (appraisal) {
      const saved = await savedBallot(me().id, appraisal.id)
      const record = await ownRecord(APPRAISAL_LOCAL.ballot, appraisal.id)
      if (saved)
        myBallot = { grades: saved.grades as Record<string, Grade>, savedAt: saved.savedAt, syncPending: pending(record), syncFailed: record?.failed ?? false }
    }
    shown.value = {
      year,
      appraisal,
      summary: appraisal ? await localSummary(appraisal.id, sameAppraisal ? server?.summary : undefined) : null,
      ballot: sameAppraisal ? server?.ballot ?? null : null,
      myBallot,
      voted: (sameAppraisal && !!server?.voted) || !!myBallot,
      result: sameAppraisal ? server?.result ?? null : null,
      offline,
    }
    return shown.value
  }

  /** The member's own 年度积分与表现记录 for the 个人总结: the server's, kept for offline. */
  async function myRecord(year: number): Promise<{ record: YearRecord | null, offline: boolean }> {
    const { value, offline } = await serverOrKept(cacheKey('record', year), () => appraisalApi.myRecord(year))
    return { record: value?.members.find(m => m.memberId === me().id) ?? null, offline }
  }

  /** 开启民主评议: the id is made here, so the year's page shows it before it reaches the server. */
  async function open(input: OpenInput): Promise<string> {
    const id = crypto.randomUUID()
    const data: AppraisalData = { id, ...input, status: 'summaries', ballotOpenedAt: null, ballotClosedAt: null, decidedAt: null }
    await queueWrite(appraisalOpen, { id, ...input }, { entity: APPRAISAL_ENTITY.appraisal, id, data })
    return id
  }

  /** 下一步: shown at once (待同步); the server refuses a step another admin already took. */
  async function step(a: AppraisalData): Promise<AppraisalStatus | null> {
    // Every step after the first; 'summaries' is never a step's target.
    const to = APPRAISAL_NEXT[a.status] as Exclude<AppraisalStatus, 'summaries'> | null
    if (!to)
      return null
    const { syncPending: _p, syncFailed: _f, ...data } = a as AppraisalData & Partial<{ syncPending: boolean, syncFailed: boolean }>
    const now = new Date().toISOString()
    const stamp = to === 'ballot' ? { ballotOpenedAt: now } : to === 'counted' ? { ballotClosedAt: now } : { decidedAt: now }
    await queueWrite(appraisalStep, { appraisalId: a.id, to }, { entity: APPRAISAL_ENTITY.appraisal, id: a.id, data: { ...data, ...stamp, status: to } })
    return to
  }

  /** 个人总结: queued offline, written again it replaces the earlier one until the ballot closes. */
  async function saveSummary(a: AppraisalData, text: string): Promise<string | null> {
    if (!mayWriteSummary(a.status))
      return wordRefusal('APPRAISAL_SUMMARY_CLOSED', {}, STATUS_ZH[a.status])
    const existing = (await listRecords<{ appraisalId: string, memberId: string }>(me().id, APPRAISAL_ENTITY.summary)).find(r => r.data.appraisalId === a.id && r.data.memberId === me().id)
    const id = existing?.id ?? `${a.id}.${me().id}`
    const data = { id, appraisalId: a.id, memberId: me().id, text, updatedAt: new Date().toISOString() }
    await queueWrite(appraisalSummary, { appraisalId: a.id, text }, { entity: APPRAISAL_ENTITY.summary, id, data })
    return null
  }

  /**
   * The ballot: checked by the shared rule first — an over-quota, incomplete or vetoed-优秀 ballot
   * answers in the server's words and nothing is queued — then queued under this phone's secret
   * for the appraisal; saved again it replaces the earlier one until the ballot closes.
   */
  async function saveBallot(s: ShownAppraisal, grades: Record<string, Grade>): Promise<string | null> {
    const a = s.appraisal
    if (!a || !s.ballot)
      return wordRefusal('APPRAISAL_BALLOT_NOT_OPEN', {}, '')
    const scope = new Map([[me().id, me().name], ...s.ballot.members.map(m => [m.id, m.name] as [string, string])])
    const vetoed = new Set(s.ballot.members.filter(m => m.vetoed).map(m => m.id))
    const problem = checkAppraisalBallot({ status: a.status, voterId: me().id, scope, vetoed, num: a.excellentNum, den: a.excellentDen }, grades)
    if (problem)
      return wordRefusal(problem.code, problem.params ?? {}, problem.code)
    const secret = await ballotSecret(me().id, a.id)
    await queueWrite(appraisalBallot, { appraisalId: a.id, secret, grades }, { entity: APPRAISAL_LOCAL.ballot, id: a.id, data: { appraisalId: a.id, voted: true } })
    await keepBallot(me().id, a.id, grades)
    return null
  }

  /** The 支委会's table, online, with decisions queued on this phone laid over it. */
  async function results(appraisalId: string): Promise<{ appraisal: AppraisalData, voters: number, members: ShownResultRow[] }> {
    const r = await appraisalApi.results(appraisalId)
    const members: ShownResultRow[] = []
    for (const m of r.members) {
      const record = await ownRecord<LocalDecision>(APPRAISAL_LOCAL.decision, `${appraisalId}.${m.memberId}`)
      const mine = record && (pending(record) || record.failed) ? { finalGrade: record.data.finalGrade, reason: record.data.reason } : {}
      members.push({ ...m, ...mine, syncPending: pending(record), syncFailed: record?.failed ?? false })
    }
    return { appraisal: r.appraisal, voters: r.voters, members }
  }

  /**
   * The 支委会's final grade of one member: a reason is required where it differs from the ballot's
   * grade (refused here in the server's words, nothing queued); shown at once as 待同步.
   */
  async function decide(appraisalId: string, row: Pick<AppraisalResultRow, 'memberId' | 'name'> & GradeCounts, grade: Grade, reason: string): Promise<string | null> {
    if (reasonNeeded(row, grade) && reason.trim() === '')
      return wordRefusal('APPRAISAL_REASON_NEEDED', { name: row.name, ballot: gradeWords(ballotGrade(row)) }, '')
    const data: LocalDecision = { appraisalId, memberId: row.memberId, finalGrade: grade, reason: reason.trim() }
    await queueWrite(appraisalDecide, { appraisalId, memberId: row.memberId, grade, reason: reason.trim(), memberName: row.name }, { entity: APPRAISAL_LOCAL.decision, id: `${appraisalId}.${row.memberId}`, data })
    return null
  }

  return { shown, load, myRecord, open, step, saveSummary, saveBallot, results, decide }
})
