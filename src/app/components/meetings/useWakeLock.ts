import { onBeforeUnmount, onMounted } from 'vue'

/** Keeps the screen on while the component is shown (re-taken when the tab becomes visible again). */
export function useWakeLock() {
  let lock: WakeLockSentinel | null = null

  async function take() {
    try {
      if ('wakeLock' in navigator && document.visibilityState === 'visible')
        lock = await navigator.wakeLock.request('screen')
    }
    catch {
      // Refused (battery saver, no permission): the screen may dim, nothing else breaks.
    }
  }
  const onVisible = () => void take()

  onMounted(() => {
    void take()
    document.addEventListener('visibilitychange', onVisible)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisible)
    void lock?.release().catch(() => {})
  })
}
