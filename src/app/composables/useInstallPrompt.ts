import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import { STORAGE_KEYS } from '../constants'

/** Chromium's install event; not in the DOM typings. */
interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

/** Offers 安装到桌面 where the browser allows it; a member who says no is not asked again on this phone. */
export function useInstallPrompt() {
  const deferred = shallowRef<BeforeInstallPromptEvent | null>(null)
  const dismissed = ref(localStorage.getItem(STORAGE_KEYS.installDismissed) === '1')
  const canInstall = computed(() => deferred.value !== null && !dismissed.value)

  function onPrompt(event: Event) {
    event.preventDefault()
    deferred.value = event as BeforeInstallPromptEvent
  }
  function onInstalled() {
    deferred.value = null
  }

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

  onMounted(() => {
    window.addEventListener('beforeinstallprompt', onPrompt)
    window.addEventListener('appinstalled', onInstalled)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('beforeinstallprompt', onPrompt)
    window.removeEventListener('appinstalled', onInstalled)
  })

  return { canInstall, install, dismiss }
}
