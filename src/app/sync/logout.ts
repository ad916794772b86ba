import { showConfirmDialog } from 'vant'
import { useSessionStore } from '../stores/session'
import { useSyncStore } from '../stores/sync'
import 'vant/es/dialog/style'

/**
 * Logging out never touches the outbox: ops stay on the phone and go out the next time this member
 * logs in. With ops waiting the member is warned first. Returns false when they chose to stay.
 * Call it from the logout button with the component's `t` from useI18n().
 */
export async function logoutKeepingOps(t: (key: string, values?: Record<string, unknown>) => string): Promise<boolean> {
  const sync = useSyncStore()
  await sync.refreshCounts()
  if (sync.pending > 0) {
    const ok = await showConfirmDialog({
      title: t('sync.logout.title'),
      message: t('sync.logout.message', { n: sync.pending }),
      confirmButtonText: t('sync.logout.confirm'),
      cancelButtonText: t('sync.logout.cancel'),
    }).then(() => true, () => false)
    if (!ok)
      return false
  }
  await useSessionStore().logout()
  return true
}
