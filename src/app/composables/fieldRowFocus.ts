/**
 * A tap anywhere on a form field's row focuses its input. Vant focuses only on the label or the
 * input itself (about 142 × 24 px), a small target for an older finger; the row is 44 px or more.
 * One listener for the whole app, so every form has it, present and future.
 */
const CONTROLS = 'input, textarea, select, button, a, label, [role="button"], [contenteditable="true"]'

export function onFieldRowTap(event: Event): void {
  const target = event.target
  if (!(target instanceof Element) || target.closest(CONTROLS))
    return
  const row = target.closest('.van-field')
  if (!row)
    return
  const input = row.querySelector<HTMLInputElement | HTMLTextAreaElement>('input:not([type="hidden"]):not([disabled]), textarea:not([disabled])')
  if (!input || input.readOnly || document.activeElement === input)
    return
  // A read-only field (a picker) handles a tap on its row itself.
  input.focus()
}

export function installFieldRowFocus(root: Document = document): void {
  root.addEventListener('click', onFieldRowTap)
}
