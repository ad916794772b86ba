import { showConfirmDialog } from 'vant'
import { i18n } from '../i18n'
import { useSessionStore } from '../stores/session'
import { useSyncStore } from '../stores/sync'
import 'vant/es/dialog/style'

/**
 * Logging out never touches the outbox: ops stay on the phone and go out the next time this member
 * logs in. With ops waiting the member is warned first. Returns false when they chose to stay.
 */
export async function logoutKeepingOps(): Promise<boolean> {
  const sync = useSyncStore()
  await sync.refreshCounts()
  const t = i18n.global.t
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
