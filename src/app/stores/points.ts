import type { EntryStatus } from '#shared/points/categories'
import type { Entry, PointsSettings, Rule, Summary, Veto } from '#shared/points/schemas'
import type { YearBase, YearScore } from '#shared/points/score'
import type { LocalRecord } from '../db'
import type { QueuedPhoto } from '../sync/write'
import { POINTS } from '#shared/points/categories'
import { draftEntry, mayLog, redraftEntry } from '#shared/points/entry'
import { entryCreate, entryResubmit, POINTS_ENTITY } from '#shared/points/ops'
import { localDate, yearOf } from '#shared/points/periods'
import { summarize } from '#shared/points/score'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { get } from '../api/client'
import { listRecords } from '../db'
import { i18n } from '../i18n'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

const RECENT_KEY = 'xf.points.recentRules'

/** An entry as the phone shows it: the server's copy, or the member's own not yet synced (待同步) or refused. */
export interface LocalEntry extends Entry {
  syncPending: boolean
  syncFailed: boolean
}

/**
 * What the member sees on 我的积分, computed offline from the phone's records by the server's own
 * rule. 待审核 counts only entries the server has: one still on the phone is 待同步 (`unsynced`).
 */
export type LocalSummary = YearScore & { unsynced: number }

function recentRules(): string[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[]
  }
  catch {
    return []
  }
}

export const usePointsStore = defineStore('points', () => {
  const session = useSessionStore()
  const rules = ref<Rule[]>([])
  const entries = ref<LocalEntry[]>([])
  const settings = ref<PointsSettings>({ baseScore: POINTS.baseScore, ranking: false, opensOn: null })
  /** What the score counts: each entry as the server has it, or as the member changed it while that waits to be sent. */
  const counted = ref<Entry[]>([])
  /** Entries written or changed here whose op has not reached the server yet. */
  const waitingIds = ref<ReadonlySet<string>>(new Set())
  const vetoes = ref<Veto[]>([])
  const yearBases = ref<YearBase[]>([])
  const recent = ref<string[]>(recentRules())
  const loaded = ref(false)

  /** Reads the phone's records (pulled from the server, or written here); asks the server for rules only if none were pulled yet. */
  async function load(): Promise<void> {
    const me = session.me
    if (!me)
      return
    const records = await listRecords<unknown>(me.id)
    const of = <T>(entity: string) => records.filter(r => r.entity === entity) as LocalRecord<T>[]
    rules.value = of<Rule>(POINTS_ENTITY.rule).map(r => r.data).sort((a, b) => a.sort - b.sort)
    const mine = of<Entry>(POINTS_ENTITY.entry).filter(r => r.data.memberId === me.id)
    // A change the server refused counts for nothing: the entry counts as the server has it (if at
    // all) — e.g. amy corrected it on her other phone first, and a reviewer approved that.
    counted.value = mine.flatMap(r => !r.failed ? [r.data] : r.server ? [r.server as Entry] : [])
    waitingIds.value = new Set(mine.filter(r => r.pendingOps > 0 && !r.failed).map(r => r.id))
    entries.value = mine
      .map(r => ({ ...r.data, syncPending: r.pendingOps > 0, syncFailed: r.failed }))
      .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt))
    vetoes.value = of<Veto>(POINTS_ENTITY.veto).map(r => r.data).filter(v => v.memberId === me.id)
    yearBases.value = of<YearBase>(POINTS_ENTITY.yearBase).map(r => r.data)
    const s = of<PointsSettings>(POINTS_ENTITY.settings)[0]
    if (s)
      settings.value = s.data
    if (rules.value.length === 0) {
      try {
        rules.value = (await get<{ rules: Rule[] }>('/points/rules')).rules
      }
      catch {}
    }
    loaded.value = true
  }

  /** The rules 记积分 offers: exactly those the server accepts an entry for. */
  const loggable = computed(() => rules.value.filter(mayLog))

  /** The same computation as the server's summary, on the phone's pulled copies of the same records. */
  function summaryFor(year: number): LocalSummary {
    const records = { vetoes: vetoes.value, settings: settings.value, yearBases: yearBases.value }
    const all = summarize(year, { ...records, entries: counted.value })
    const synced = summarize(year, { ...records, entries: counted.value.filter(e => !waitingIds.value.has(e.id)) })
    const unsynced = counted.value.filter(e => waitingIds.value.has(e.id) && yearOf(e.date) === year).length
    return {
      ...all,
      pending: synced.pending,
      pendingCount: synced.pendingCount,
      byCategory: all.byCategory.map((c, i) => ({ ...c, pending: synced.byCategory[i]!.pending })),
      unsynced,
    }
  }

  function remember(ruleId: string): void {
    recent.value = [ruleId, ...recent.value.filter(id => id !== ruleId)].slice(0, 6)
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent.value))
  }

  /** 记积分: saved on the phone at once (待同步) and queued for the server. */
  async function logEntry(input: { ruleId: string, variant: string | null, date: string, note: string, photos?: QueuedPhoto[] }): Promise<void> {
    const me = session.me!
    const rule = rules.value.find(r => r.id === input.ruleId)
    if (!rule)
      throw new Error(i18n.global.t('points.ruleGone'))
    const id = crypto.randomUUID()
    const photoIds = input.photos?.length ? input.photos.map(p => p.id) : undefined
    const local = draftEntry({ id, member: me, rule, variant: input.variant, date: input.date, note: input.note, photoIds, now: new Date().toISOString() })
    if (!local)
      throw new Error(i18n.global.t('points.chooseTier'))
    const payload = { id, ruleId: rule.id, date: input.date, note: input.note, ...(input.variant ? { variant: input.variant } : {}), ...(photoIds ? { photoIds } : {}) }
    await queueWrite(entryCreate, payload, { entity: POINTS_ENTITY.entry, id, data: local }, { photos: input.photos })
    remember(rule.id)
    await load()
  }

  /**
   * Sends a returned entry again, corrected. Its photos are the kept ones then the new ones; the
   * list always goes with the op (it replaces the server's), and the new photos are written in
   * the op's own transaction, so a removed photo is never shown to the reviewer again.
   */
  async function resubmit(entry: Entry, input: { date: string, note: string, variant: string | null, keptPhotoIds?: string[], photos?: QueuedPhoto[] }): Promise<void> {
    const { date, note, variant } = input
    const rule = rules.value.find(r => r.id === entry.ruleId)
    const photoIds = [...(input.keptPhotoIds ?? entry.photoIds ?? []), ...(input.photos ?? []).map(p => p.id)]
    const now = new Date().toISOString()
    const groupId = session.me?.groupId ?? null
    // Without the rule on the phone (not pulled yet) the entry keeps its points until the server answers.
    const local: Entry = (rule && redraftEntry(entry, { rule, groupId, variant, date, note, photoIds, now }))
      ?? { ...entry, date, note, variant, photoIds, status: 'pending', returnCode: null, returnReason: null, revision: entry.revision + 1, updatedAt: now }
    const payload = { id: entry.id, date, note, ...(variant ? { variant } : {}), photoIds }
    await queueWrite(entryResubmit, payload, { entity: POINTS_ENTITY.entry, id: entry.id, data: local }, { photos: input.photos })
    await load()
  }

  /** The member's rank in the branch (where the branch shows ranks): it needs every member's total, so it comes from the server. */
  async function rankFor(year: number): Promise<Summary['rank']> {
    return (await get<Summary>(`/points/summary?year=${year}`)).rank
  }

  const today = () => localDate(new Date())
  const thisYear = () => yearOf(today())
  const statusOf = (e: LocalEntry): EntryStatus | 'sync' | 'failed' => e.syncFailed ? 'failed' : e.syncPending ? 'sync' : e.status

  return { rules, entries, settings, recent, loaded, loggable, load, summaryFor, logEntry, resubmit, rankFor, today, thisYear, statusOf }
})
