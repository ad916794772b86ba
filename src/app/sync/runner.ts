import type { SyncOutcome, SyncTransport } from './engine'
import { backoffMs, syncOnce } from './engine'

export const LOCK_NAME = 'xf-sync'
export const CHANNEL_NAME = 'xf-sync'

export interface RunnerHooks {
  memberId: () => string | null
  onStart: () => void
  onProgress: () => void
  onOutcome: (outcome: SyncOutcome) => void
}

/**
 * Runs syncs one at a time: within the tab by a flag, across tabs by a Web Lock (browsers
 * without Web Locks fall back to the tab's own flag; the server's op ids keep that safe).
 * A trigger during a sync asks for one more round afterwards. Failures back off with jitter.
 */
export class SyncRunner {
  private running = false
  private again = false
  private failures = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  /** A 401 stops all syncing until the member logs in again. */
  paused = false

  constructor(private readonly transport: SyncTransport, private readonly hooks: RunnerHooks) {}

  async run(): Promise<void> {
    if (this.paused || !this.hooks.memberId())
      return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    if (this.retryTimer) {
      clearTimeout(this.retryTimer)
      this.retryTimer = null
    }
    try {
      do {
        this.again = false
        await this.withLock(() => this.once())
      } while (this.again && !this.paused)
    }
    finally {
      this.running = false
    }
  }

  resume(): void {
    this.paused = false
    this.failures = 0
    void this.run()
  }

  stop(): void {
    if (this.retryTimer)
      clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
    if (locks)
      await locks.request(LOCK_NAME, fn)
    else
      await fn()
  }

  private async once(): Promise<void> {
    const memberId = this.hooks.memberId()
    if (!memberId)
      return
    this.hooks.onStart()
    let outcome: SyncOutcome
    try {
      outcome = await syncOnce(this.transport, memberId, { onProgress: this.hooks.onProgress })
    }
    catch (err) {
      outcome = { kind: 'retry', status: -1, message: err instanceof Error ? err.message : String(err) }
    }
    if (outcome.kind === 'done') {
      this.failures = 0
    }
    else if (outcome.kind === 'auth') {
      this.paused = true
    }
    else if (outcome.kind === 'retry') {
      this.failures++
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        void this.run()
      }, backoffMs(this.failures))
    }
    this.hooks.onOutcome(outcome)
  }
}
