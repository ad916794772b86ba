import type { Records, RecordsQuery } from '../components/records/records-api'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { recordsApi } from '../components/records/records-api'
import { getMeta, setMeta } from '../db'
import { useSessionStore } from './session'

export type { Records, RecordsQuery }

/** A member's own year as last loaded on this phone, with when. */
interface SavedRecord { records: Records, loadedAt: string }

/**
 * 年度积分与表现记录 (issue 13 item 7): the year's records of the chosen scope, one A4 page per
 * member. A member's own year is kept on the phone each time it loads, so with no signal the page
 * shows what was last loaded and says when. Organizers' scopes are read online only: a whole
 * branch of other members' figures is not kept on a phone that may be lost.
 */
export const useRecordsStore = defineStore('records', () => {
  const session = useSessionStore()
  const records = ref<Records | null>(null)
  /** When the shown records came from the server (ISO). */
  const loadedAt = ref<string | null>(null)
  /** The shown records are this phone's saved copy: the server could not be reached. */
  const saved = ref(false)

  const ownKey = (memberId: string, year: number) => `records:${memberId}:${year}`
  const isOwn = (q: RecordsQuery) => (q.scope ?? 'member') === 'member' && (!q.id || q.id === session.me?.id)

  async function load(q: RecordsQuery): Promise<void> {
    const me = session.me
    const key = me && isOwn(q) ? ownKey(me.id, q.year) : null
    try {
      const fresh = await recordsApi.year(q)
      const at = new Date().toISOString()
      records.value = fresh
      loadedAt.value = at
      saved.value = false
      if (key)
        await setMeta(key, { records: fresh, loadedAt: at } satisfies SavedRecord)
    }
    catch (err) {
      const kept = key && err instanceof ApiError && err.isNetwork ? await getMeta<SavedRecord>(key) : undefined
      if (!kept) {
        records.value = null
        loadedAt.value = null
        throw err
      }
      records.value = kept.records
      loadedAt.value = kept.loadedAt
      saved.value = true
    }
  }

  /** The same records as an .xlsx, a row per member (online only). */
  function xlsx(q: RecordsQuery): Promise<Blob> {
    return recordsApi.xlsx(q)
  }

  return { records, loadedAt, saved, load, xlsx }
})
