/** Setup and invite tokens travel in the URL fragment (never sent to a server or its logs). */
const TOKEN = /^[\w-]{10,128}$/

/** The token in `#TOKEN` (or `#token=TOKEN`), or null when the link was cut or mangled. */
export function tokenFromHash(hash: string): string | null {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash
  if (raw.startsWith('token='))
    raw = raw.slice('token='.length)
  try {
    raw = decodeURIComponent(raw).trim()
  }
  catch {
    return null
  }
  return TOKEN.test(raw) ? raw : null
}
