import { ref } from 'vue'
import { errorText } from '../api/errors'

export interface SubmitOptions {
  /** What "no network" means for this form (e.g. 已保存，联网后同步); the generic offline words otherwise. */
  offlineText?: string
  /**
   * This form's own words for a failure (e.g. the server's refusal code in the member's
   * language), or undefined for the usual ones; '' shows nothing, when the form said it another
   * way (a dead invite link replaces the whole form).
   */
  describe?: (err: unknown) => string | undefined
}

/**
 * The one busy / error / finally block of every form: `busy` disables the button (and ignores a
 * second tap while the first is running, so a double tap never sends twice), `error` holds the
 * words to show, cleared when a new attempt starts. `run` resolves to the action's result, or to
 * undefined when it failed (the error is already in `error`).
 */
export function useSubmit(options: SubmitOptions = {}) {
  const busy = ref(false)
  const error = ref('')

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (busy.value)
      return undefined
    busy.value = true
    error.value = ''
    try {
      return await action()
    }
    catch (err) {
      error.value = options.describe?.(err) ?? errorText(err, options.offlineText)
      return undefined
    }
    finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
