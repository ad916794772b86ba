import { showToast } from 'vant'
import { errorText } from '../../api/errors'
import 'vant/es/toast/style'

/** A refused or failed request, told in the server's own words (or "no network"), at the top where it is seen. */
export function toastError(err: unknown): void {
  showToast({ message: errorText(err), position: 'top', duration: 4000 })
}

/** Words already written for a person (useSubmit's error), shown as long as a refusal. */
export function toastProblem(message: string): void {
  if (message)
    showToast({ message, position: 'top', duration: 4000 })
}

export function toastDone(message: string): void {
  showToast({ message, position: 'top' })
}
