import { onMounted, watch } from 'vue'
import { useSyncStore } from '../stores/sync'

/**
 * Loads a screen's data when it mounts and again whenever the local records may have changed — a
 * sync brought the server's decisions, or another tab wrote — so the screen shows what the server
 * decided without a manual refresh.
 */
export function useReloadOnSync(load: () => unknown): void {
  const sync = useSyncStore()
  onMounted(load)
  watch(() => sync.version, load)
}
