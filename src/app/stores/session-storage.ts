import type { Me } from '#shared/schemas/auth'
import { STORAGE_KEYS } from '../constants'

/** The member's identity is small and read before IndexedDB opens, so it lives in localStorage. */
export function loadCachedMe(): Me | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEYS.me)
    return raw ? JSON.parse(raw) as Me : null
  }
  catch {
    return null
  }
}

export function saveCachedMe(me: Me): void {
  localStorage.setItem(STORAGE_KEYS.me, JSON.stringify(me))
}

export function clearCachedMe(): void {
  localStorage.removeItem(STORAGE_KEYS.me)
}
