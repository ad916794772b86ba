import { computed, ref, shallowRef } from 'vue'
import { STORAGE_KEYS } from '../constants'

/** Chromium's install event; not in the DOM typings. */
interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

/*
 * Kept from the moment the app loads, not from when the card mounts: the browser fires the event
 * once per page load, often on the login screen, while the card only shows on home.
 */
const deferred = shallowRef<BeforeInstallPromptEvent | null>(null)
const dismissed = ref(typeof localStorage !== 'undefined' && localStorage.getItem(STORAGE_KEYS.installDismissed) === '1')

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (event: Event) => {
    event.preventDefault()
    deferred.value = event as BeforeInstallPromptEvent
  })
  window.addEventListener('appinstalled', () => {
    deferred.value = null
  })
}

/** Offers 安装到桌面 where the browser allows it; a member who says no is not asked again on this phone. */
export function useInstallPrompt() {
  const canInstall = computed(() => deferred.value !== null && !dismissed.value)

  async function install(): Promise<void> {
    const event = deferred.value
    if (!event)
      return
    deferred.value = null
    await event.prompt()
    const { outcome } = await event.userChoice
    if (outcome === 'dismissed')
      dismiss()
  }

  function dismiss(): void {
    dismissed.value = true
    localStorage.setItem(STORAGE_KEYS.installDismissed, '1')
  }

  return { canInstall, install, dismiss }
}
