import type { RejectedOp } from '../db'
import type { SyncOutcome } from '../sync/engine'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { DB_OUTDATED_EVENT, getMeta, listRejected, outboxCount, setMeta } from '../db'
import { discardRejected, retryRejected } from '../db/outcomes'
import { CHANNEL_NAME, SyncRunner } from '../sync/runner'
import { httpTransport } from '../sync/transport'
import { bindWriteHooks } from '../sync/write'
import { useSessionStore } from './session'

/** An op the server refused, as 同步失败 lists it. */
export type { RejectedOp }

export type SyncStatus = 'idle' | 'syncing' | 'synced' | 'offline' | 'error' | 'auth'

const WRITE_DEBOUNCE_MS = 800
const VISIBLE_INTERVAL_MS = 60_000
const BG_SYNC_TAG = 'xf-sync'

/** The sync status every member screen shows, and the triggers that start a sync (DESIGN §1, invariant 7). */
export const useSyncStore = defineStore('sync', () => {
  const session = useSessionStore()
  const status = ref<SyncStatus>('idle')
  const pending = ref(0)
  const rejected = ref(0)
  const lastSyncAt = ref<string | null>(null)
  const lastError = ref('')
  /** Bumped whenever local records may have changed (here or in another tab): lists reload on it. */
  const version = ref(0)
  /** Another tab runs a newer app version and took over the database: this tab must reload. */
  const outdated = ref(false)
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)

  /** 同步失败: the ops the server refused, in the order they were made (loadFailed fills it). */
  const failed = ref<RejectedOp[]>([])

  let channel: BroadcastChannel | null = null
  let started = false
  let debounce: ReturnType<typeof setTimeout> | null = null

  const memberId = () => session.me?.id ?? null

  // Every queueWrite goes to the logged-in member's outbox and is followed by afterWrite. The
  // store is looked up when the write happens, so the one the app (or a test) holds is used.
  bindWriteHooks({ memberId, afterWrite: () => useSyncStore().afterWrite() })

  async function refreshCounts(): Promise<void> {
    const id = memberId()
    if (!id)
      return
    const [p, r, at] = await Promise.all([outboxCount(id), listRejected(id), getMeta<string>('lastSyncAt')])
    pending.value = p
    rejected.value = r.length
    lastSyncAt.value = at ?? null
  }

  function changed(): void {
    version.value++
    void refreshCounts()
    channel?.postMessage({ type: 'changed' })
  }

  function onOutcome(outcome: SyncOutcome): void {
    if (outcome.kind === 'done') {
      status.value = 'synced'
      lastError.value = ''
      online.value = true
    }
    else if (outcome.kind === 'auth') {
      status.value = 'auth'
    }
    else if (outcome.kind === 'retry' && [0, 502, 503, 504].includes(outcome.status)) {
      status.value = 'offline'
      lastError.value = outcome.message
    }
    else {
      status.value = 'error'
      lastError.value = outcome.message
    }
    changed()
  }

  const runner = new SyncRunner(httpTransport, {
    memberId,
    onStart: () => {
      status.value = 'syncing'
    },
    onProgress: changed,
    onOutcome,
  })

  /** The 立即同步 button, and every trigger. */
  function syncNow(): Promise<void> {
    if (status.value === 'auth' && runner.paused)
      return Promise.resolve()
    return runner.run()
  }

  /** After a local write: count it now, sync shortly (writes in a burst share one push). */
  function afterWrite(): void {
    changed()
    if (debounce)
      clearTimeout(debounce)
    debounce = setTimeout(() => {
      debounce = null
      void syncNow()
    }, WRITE_DEBOUNCE_MS)
    void registerBackgroundSync()
  }

  /** Background Sync only as an extra wake-up where the browser has it; the data stays in IndexedDB. */
  async function registerBackgroundSync(): Promise<void> {
    try {
      const reg = await navigator.serviceWorker?.getRegistration()
      const sync = (reg as (ServiceWorkerRegistration & { sync?: { register: (tag: string) => Promise<void> } }) | undefined)?.sync
      await sync?.register(BG_SYNC_TAG)
    }
    catch {}
  }

  /** Asked once per device after login, so the browser does not evict the outbox under storage pressure. */
  async function askPersistence(): Promise<void> {
    if (!navigator.storage?.persist || await getMeta<boolean>('persistAsked'))
      return
    await setMeta('persistAsked', true)
    await navigator.storage.persist().catch(() => false)
  }

  // Another member on this phone never sees the last one's refused ops, not even for a moment.
  watch(() => session.me?.id, () => {
    failed.value = []
  })

  // Logging in (again) resumes a paused sync with every op still queued. Watched here, in the
  // store's own scope, so it outlives the components that come and go (the login page has none).
  watch(() => session.me, (me, before) => {
    if (!started || !me)
      return
    if (me.id !== before?.id || status.value === 'auth') {
      runner.resume()
      void askPersistence()
      void refreshCounts()
    }
  })

  function start(): void {
    if (started)
      return
    started = true
    if (typeof BroadcastChannel !== 'undefined') {
      channel = new BroadcastChannel(CHANNEL_NAME)
      channel.onmessage = () => {
        version.value++
        void refreshCounts()
      }
    }
    window.addEventListener('online', () => {
      online.value = true
      void syncNow()
    })
    window.addEventListener('offline', () => {
      online.value = false
      status.value = 'offline'
    })
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible')
        void syncNow()
    })
    setInterval(() => {
      if (document.visibilityState === 'visible')
        void syncNow()
    }, VISIBLE_INTERVAL_MS)
    window.addEventListener(DB_OUTDATED_EVENT, () => {
      outdated.value = true
      runner.stop()
    })
    navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
      if (event.data?.type === 'XF_SYNC')
        void syncNow()
    })
    void refreshCounts()
    void askPersistence()
    void syncNow()
  }

  const isOffline = computed(() => status.value === 'offline' || !online.value)

  /**
   * The space this app uses on the phone and whether the browser keeps it under storage
   * pressure, for 我的 → 数据与同步; undefined where the browser does not say.
   */
  async function storageUse(): Promise<{ usage?: number, quota?: number, persisted?: boolean }> {
    try {
      const e = await navigator.storage?.estimate?.()
      return { usage: e?.usage, quota: e?.quota, persisted: await navigator.storage?.persisted?.() }
    }
    catch {
      return {}
    }
  }

  /** Reads the member's refused ops from the phone into `failed`. */
  async function loadFailed(): Promise<RejectedOp[]> {
    const id = memberId()
    failed.value = id ? await listRejected(id) : []
    return failed.value
  }

  /** One refused op of this member, e.g. the one 修改 opens in its form; undefined once it is gone. */
  async function failedOp(opId: string): Promise<RejectedOp | undefined> {
    const id = memberId()
    return id ? (await listRejected(id)).find(op => op.opId === opId) : undefined
  }

  /** 重试: the op goes back into the outbox under a new id (its record 待同步 again), and a sync is scheduled. */
  async function retryFailed(opId: string): Promise<void> {
    await retryRejected(opId)
    useSyncStore().afterWrite()
    await loadFailed()
  }

  /** 放弃 (after the member confirmed): the op is dropped and its record goes back to the server's copy. */
  async function discardFailed(opId: string): Promise<void> {
    await discardRejected(opId)
    changed()
    await loadFailed()
  }

  return { status, pending, rejected, lastSyncAt, lastError, version, outdated, online, isOffline, failed, start, syncNow, afterWrite, refreshCounts, changed, storageUse, loadFailed, failedOp, retryFailed, discardFailed }
})
