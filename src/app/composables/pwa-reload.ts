/** Text a member may be typing into; a reload would throw it away. */
const TEXT_INPUT = 'input:not([type]), input[type="text"], input[type="password"], input[type="tel"], input[type="search"], input[type="email"], input[type="number"], input[type="url"], textarea'

/**
 * True when some field on the page holds text (or has focus): an update must not reload now.
 * Checked on the live DOM, so every form counts, including ones added by later features.
 */
export function pageHasInput(root: ParentNode = document): boolean {
  const active = root === document ? document.activeElement : null
  if (active instanceof HTMLElement && ((active.matches(TEXT_INPUT) && !active.hasAttribute('readonly')) || active.isContentEditable))
    return true
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(TEXT_INPUT)) {
    if (!el.readOnly && !el.disabled && el.value.trim() !== '')
      return true
  }
  return false
}
