import type { CheckinKeys } from '#shared/meetings/schemas'
import { ApiError } from '../../api/client'
import { getMeta, setMeta } from '../../db'
import { useSessionStore } from '../../stores/session'
import { checkinApi } from './checkin-api'

/** The keys as this phone keeps them, with the offset of the phone's clock from the server's when fetched. */
export interface StoredKeys extends CheckinKeys {
  clockOffsetMs: number
}

/**
 * The check-in keys of 反向扫码 (issue 15 point 2): this member's own signing key (出示我的签到码)
 * and, for an organizer, the public keys of the members they may check in. Fetched whenever the
 * phone is online on the 签到 tab or the scanning screen, kept per member in IndexedDB so both
 * work with no signal afterwards.
 */
export function useCheckinKeys() {
  const session = useSessionStore()
  const metaKey = () => `checkin-keys:${session.me!.id}`

  async function cached(): Promise<StoredKeys | null> {
    return (await getMeta<StoredKeys>(metaKey())) ?? null
  }

  /** The server's answer when online (kept for later), else the kept one; null when the phone never had one. */
  async function load(): Promise<StoredKeys | null> {
    try {
      const keys = await checkinApi.keys()
      const stored: StoredKeys = { ...keys, clockOffsetMs: Date.parse(keys.serverTime) - Date.now() }
      await setMeta(metaKey(), stored)
      return stored
    }
    catch (err) {
      if (!(err instanceof ApiError && err.isNetwork))
        throw err
    }
    return cached()
  }

  return { load, cached }
}
