import type { Category, EntryStatus } from '#shared/points/categories'
import type { Entry, PointsSettings, Rule, Summary } from '#shared/points/schemas'
import type { LocalRecord } from '../db'
import type { QueuedPhoto } from '../sync/write'
import { CATEGORIES, POINTS } from '#shared/points/categories'
import { entryCreate, entryResubmit, POINTS_ENTITY } from '#shared/points/ops'
import { localDate, monthOf, resolvePoints, yearOf, yearTotal } from '#shared/points/periods'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { get } from '../api/client'
import { listRecords } from '../db'
import { registerAppOp } from '../sync/op-types'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

const RECENT_KEY = 'xf.points.recentRules'

// How points ops show in the 同步失败 list: the date and the note the member wrote.
for (const [def, label] of [[entryCreate, 'points.ops.create'], [entryResubmit, 'points.ops.resubmit']] as const) {
  registerAppOp(def.type, {
    label,
    summary: (payload) => {
      const p = payload as { date: string, note: string }
      return [p.date, p.note].filter(Boolean).join(' ')
    },
  })
}

/** An entry as the phone shows it: the server's copy, or the member's own not yet synced (待同步) or refused. */
export interface LocalEntry extends Entry {
  syncPending: boolean
  syncFailed: boolean
}

/** What the member sees on 我的积分, computed from the phone's own records so it works offline. */
export interface LocalSummary extends Pick<Summary, 'base' | 'total' | 'pending' | 'pendingCount' | 'byMonth'> {
  byCategory: { category: Category, points: number, pending: number }[]
  vetoed: string | null
}

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
  const vetoes = ref<{ year: number, decision: string, revokedAt: string | null }[]>([])
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
    entries.value = of<Entry>(POINTS_ENTITY.entry)
      .filter(r => r.data.memberId === me.id)
      .map(r => ({ ...r.data, syncPending: r.pendingOps > 0, syncFailed: r.failed }))
      .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt))
    vetoes.value = of<{ year: number, decision: string, revokedAt: string | null }>(POINTS_ENTITY.veto).map(r => r.data)
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

  const loggable = computed(() => rules.value.filter(r => r.active && !r.retired && r.selfLog && !r.veto && r.points >= 0 && r.approval !== 'checkin'))

  function summaryFor(year: number): LocalSummary {
    const byCat = Object.fromEntries(CATEGORIES.map(c => [c, { category: c, points: 0, pending: 0 }])) as Record<Category, { category: Category, points: number, pending: number }>
    const byMonth = Array.from({ length: 12 }, () => 0)
    let sum = 0
    let pending = 0
    let pendingCount = 0
    for (const e of entries.value) {
      if (yearOf(e.date) !== year)
        continue
      if (e.status === 'approved' && e.granted !== null) {
        sum += e.granted
        byCat[e.category].points += e.granted
        byMonth[monthOf(e.date) - 1]! += e.granted
      }
      else if (e.status === 'pending') {
        pending += e.points
        pendingCount++
        byCat[e.category].pending += e.points
      }
    }
    const veto = vetoes.value.find(v => v.year === year && !v.revokedAt)
    const base = settings.value.baseScore
    return { base, total: yearTotal(base, sum, Boolean(veto)), pending, pendingCount, byMonth, byCategory: CATEGORIES.map(c => byCat[c]), vetoed: veto?.decision ?? null }
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
      throw new Error('unknown rule')
    const id = crypto.randomUUID()
    const now = new Date().toISOString()
    const points = resolvePoints(rule, input.variant) ?? 0
    const photoIds = input.photos?.length ? input.photos.map(p => p.id) : undefined
    const local: Entry = {
      id,
      memberId: me.id,
      memberName: me.name,
      ruleId: rule.id,
      ruleVersionId: rule.versionId,
      ruleName: rule.name,
      category: rule.category,
      variant: input.variant,
      date: input.date,
      note: input.note,
      points,
      granted: null,
      clipped: 0,
      status: 'pending',
      stage: null,
      source: 'member',
      revision: 1,
      reviewerName: null,
      returnCode: null,
      returnReason: null,
      createdAt: now,
      updatedAt: now,
      photoIds: photoIds ?? [],
    }
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
    const points = rule ? resolvePoints(rule, variant) ?? entry.points : entry.points
    const photoIds = [...(input.keptPhotoIds ?? entry.photoIds ?? []), ...(input.photos ?? []).map(p => p.id)]
    const local: Entry = { ...entry, date, note, variant, photoIds, points, status: 'pending', returnCode: null, returnReason: null, revision: entry.revision + 1, updatedAt: new Date().toISOString() }
    const payload = { id: entry.id, date, note, ...(variant ? { variant } : {}), photoIds }
    await queueWrite(entryResubmit, payload, { entity: POINTS_ENTITY.entry, id: entry.id, data: local }, { photos: input.photos })
    await load()
  }

  const today = () => localDate(new Date())
  const thisYear = () => yearOf(today())
  const statusOf = (e: LocalEntry): EntryStatus | 'sync' | 'failed' => e.syncFailed ? 'failed' : e.syncPending ? 'sync' : e.status

  return { rules, entries, settings, recent, loaded, loggable, load, summaryFor, logEntry, resubmit, today, thisYear, statusOf }
})
