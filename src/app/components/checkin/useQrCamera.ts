import type { Ref } from 'vue'
import type { QrDetector } from './decoder'
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { createQrDetector } from './decoder'

export type CameraProblem = 'denied' | 'missing' | 'failed'

function cameraProblem(err: unknown): CameraProblem {
  const name = (err as { name?: string })?.name
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'denied'
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'missing'
  return 'failed'
}

/**
 * The rear camera decoded continuously, for both scanners: the member's 扫码签到 and the
 * organizer's 扫描党员签到码. `onTexts` gets the QR texts of each frame and returns true to stop.
 * Works offline: the decoder is the browser's own or the precached zxing-wasm.
 */
export function useQrCamera(video: Ref<HTMLVideoElement | null>, onTexts: (texts: string[]) => Promise<boolean> | boolean) {
  const problem = ref<CameraProblem | null>(null)
  const starting = ref(true)
  let stream: MediaStream | null = null
  let stopped = false

  async function loop(detector: QrDetector) {
    while (!stopped) {
      const v = video.value
      if (v && v.readyState >= 2) {
        const t0 = performance.now()
        const texts = await detector.detect(v).catch(() => [] as string[])
        performance.measure('xf-decode', { start: t0, end: performance.now() })
        // A code the handler chokes on must not stop the camera: the next member is waiting.
        const done = texts.length > 0 && await Promise.resolve(onTexts(texts)).catch((err: unknown) => {
          console.error('xf-scan', err)
          return false
        })
        if (done) {
          stopped = true
          return
        }
      }
      await new Promise(resolve => setTimeout(resolve, 40))
    }
  }

  onMounted(async () => {
    performance.mark('xf-camera-open')
    if (!navigator.mediaDevices?.getUserMedia) {
      problem.value = 'missing'
      starting.value = false
      return
    }
    try {
      const [s, detector] = await Promise.all([
        navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false }),
        createQrDetector(new URLSearchParams(location.search).has('zxing')),
      ])
      stream = s
      if (stopped)
        return s.getTracks().forEach(track => track.stop())
      document.documentElement.dataset.xfDecoder = detector.kind
      video.value!.srcObject = s
      await video.value!.play()
      starting.value = false
      void loop(detector)
    }
    catch (err) {
      problem.value = cameraProblem(err)
      starting.value = false
    }
  })

  onBeforeUnmount(() => {
    stopped = true
    stream?.getTracks().forEach(track => track.stop())
  })

  return { problem, starting }
}
