import type { Workbox } from 'workbox-window'
import { onBeforeUnmount, onMounted, ref } from 'vue'

export interface PwaOptions {
  /** Injected by tests; a real page reloads itself. */
  reload?: () => void
  /** How often an open app asks the server for a new version. */
  checkEveryMs?: number
  /** Off in `vite dev`, where there is no built service worker. */
  enabled?: boolean
}

const HOUR = 60 * 60_000

/**
 * Registers our service worker through workbox-window. A new version waits until the member taps
 * 更新 (`update()`); the page reloads only after that tap, never on its own.
 */
export function usePwa({ reload = () => location.reload(), checkEveryMs = HOUR, enabled = !import.meta.env.DEV }: PwaOptions = {}) {
  /** A new version is installed and waiting for the member's go-ahead. */
  const needRefresh = ref(false)
  /** The app shell is cached: from now on it opens with no network. */
  const offlineReady = ref(false)
  let wb: Workbox | undefined
  let asked = false
  let timer: ReturnType<typeof setInterval> | undefined
  /** Settles once registration finished (or failed): tests wait on it. */
  let ready: Promise<void> = Promise.resolve()

  async function register(): Promise<void> {
    if (!enabled || !('serviceWorker' in navigator))
      return
    // In the chunk every screen loads (vite.config.ts, group ui): no file of its own to fetch.
    const { Workbox } = await import('workbox-window')
    wb = new Workbox('/sw.js', { scope: '/' })
    wb.addEventListener('waiting', () => {
      needRefresh.value = true
    })
    wb.addEventListener('activated', (event) => {
      if (!event.isUpdate)
        offlineReady.value = true
    })
    // The first install takes control by itself (sw.ts): that must not reload the page.
    wb.addEventListener('controlling', () => {
      if (asked)
        reload()
    })
    await wb.register()
    timer = setInterval(() => void wb?.update(), checkEveryMs)
  }

  /** The member tapped 更新: let the waiting version take over, then reload once it controls the page. */
  function update(): void {
    if (!wb)
      return
    asked = true
    needRefresh.value = false
    wb.messageSkipWaiting()
  }

  function later(): void {
    needRefresh.value = false
  }

  onMounted(() => {
    ready = register().catch(() => {
      // No service worker (private mode, old browser): the app still works online.
    })
  })
  onBeforeUnmount(() => clearInterval(timer))

  return { needRefresh, offlineReady, update, later, ready: () => ready }
}
