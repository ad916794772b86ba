import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { STORAGE_KEYS } from '../constants'

/** The stored choice: '1' 长辈版, '0' the standard mode; absent until the member has chosen. */
type Choice = '1' | '0' | null

function loadChoice(): Choice {
  try {
    const raw = localStorage.getItem(STORAGE_KEYS.elderMode)
    return raw === '1' || raw === '0' ? raw : null
  }
  catch {
    return null
  }
}

/**
 * 长辈版 (MIIT 适老化): bigger text and targets, a home screen of the few big actions. The choice
 * belongs to the phone, not the account — a member may use a child's phone in the standard mode.
 */
export const useElderStore = defineStore('elder', () => {
  const choice = ref<Choice>(loadChoice())
  const on = computed(() => choice.value === '1')
  /** Not asked yet: the home screen offers 长辈版 once. */
  const undecided = computed(() => choice.value === null)

  function set(value: boolean) {
    choice.value = value ? '1' : '0'
    localStorage.setItem(STORAGE_KEYS.elderMode, choice.value)
  }

  return { on, undecided, set }
})
