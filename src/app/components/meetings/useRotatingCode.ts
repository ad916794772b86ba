import type { MeetingScreen } from '#shared/meetings/schemas'
import type { ShownCode } from '#shared/meetings/token'
import { codeForWindow, importMeetingKey, windowAt, windowStartMs } from '#shared/meetings/token'
import { onBeforeUnmount, ref } from 'vue'

/**
 * The 签到 screen's code: signed on this device from the meeting key, on the server's clock (the
 * offset measured when the key was fetched), a new one at each 10-second window. Needs no
 * network once started.
 */
export function useRotatingCode() {
  const shown = ref<ShownCode | null>(null)
  /** Fraction of the current window left, for the countdown bar. */
  const left = ref(1)
  let timer: ReturnType<typeof setInterval> | undefined
  let key: CryptoKey | null = null
  let offset = 0
  let meetingId = ''

  const now = () => Date.now() + offset

  async function tick() {
    if (!key)
      return
    const t = now()
    const w = windowAt(t)
    left.value = 1 - (t - windowStartMs(w)) / (windowStartMs(w + 1) - windowStartMs(w))
    if (shown.value?.window !== w)
      shown.value = await codeForWindow(key, meetingId, w)
  }

  async function start(screen: MeetingScreen) {
    key = await importMeetingKey(screen.key)
    meetingId = screen.meeting.id
    offset = Date.parse(screen.serverTime) - Date.now()
    await tick()
    clearInterval(timer)
    timer = setInterval(() => void tick(), 250)
  }

  onBeforeUnmount(() => clearInterval(timer))
  return { shown, left, start }
}
