import { defineStore } from 'pinia'
import { nextTick, ref } from 'vue'

/**
 * One polite live region for the whole app (CommonAnnouncer): a screen reader hears a status that
 * appears anywhere — a toast, 签到成功 — without the screen moving focus.
 */
export const useAnnouncerStore = defineStore('announcer', () => {
  const message = ref('')

  async function say(text: string) {
    // Emptied first, so the same words said twice (two entries saved) are read twice.
    message.value = ''
    await nextTick()
    message.value = text
  }

  return { message, say }
})
