import type { ShownCode } from '#shared/meetings/token'
import { importSigningKey, personalCodeForWindow, windowAt, windowStartMs } from '#shared/meetings/token'
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { useCheckinKeys } from './useCheckinKeys'

/**
 * 出示我的签到码: this member's personal code, signed on the phone with the key it received (kept
 * for offline use), a new one every 10-second window on the server's clock (the offset measured
 * when the key was fetched). `missing`: this phone never received its key — it must be online once.
 */
export function usePersonalCode() {
  const { load } = useCheckinKeys()
  const shown = ref<ShownCode | null>(null)
  const left = ref(1)
  const missing = ref(false)
  let timer: ReturnType<typeof setInterval> | undefined
  let key: CryptoKey | null = null
  let memberId = ''
  let offset = 0

  async function tick() {
    if (!key)
      return
    const now = Date.now() + offset
    const w = windowAt(now)
    left.value = 1 - (now - windowStartMs(w)) / (windowStartMs(w + 1) - windowStartMs(w))
    if (shown.value?.window !== w)
      shown.value = await personalCodeForWindow(key, memberId, w)
  }

  onMounted(async () => {
    const keys = await load()
    if (!keys) {
      missing.value = true
      return
    }
    key = await importSigningKey(keys.signKey)
    memberId = keys.memberId
    offset = keys.clockOffsetMs
    await tick()
    timer = setInterval(() => void tick(), 250)
  })
  onBeforeUnmount(() => clearInterval(timer))

  return { shown, left, missing }
}
