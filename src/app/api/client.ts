import { SESSION } from '#shared/constants'

/**
 * An API error with the server's code, its person-readable message (both languages) and, for codes
 * of the shared error catalog, the params errorText words it with in the member's language.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly params?: Record<string, string | number>) {
    super(message)
  }

  /**
   * The request never reached the server or got no answer (offline, server down, 502 from a proxy).
   * Not a 503 BUSY: that is the server itself saying how many seconds to wait, in its message.
   */
  get isNetwork(): boolean {
    return this.status === 0 || this.status === 502 || (this.status === 503 && this.code !== 'BUSY') || this.status === 504
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A JSON request; or, with no `body` and `init.body`, raw bytes with the type `init.headers` gives. */
export async function api<T>(method: Method, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      ...init,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        [SESSION.csrfHeader]: '1',
        ...init.headers,
      },
      body: body === undefined ? init.body : JSON.stringify(body),
    })
  }
  catch {
    throw new ApiError(0, 'NETWORK', '网络不可用 No network')
  }
  const text = await response.text()
  const data = text ? safeJson(text) : undefined
  if (!response.ok) {
    const err = (data ?? {}) as { code?: string, message?: string, params?: Record<string, string | number> }
    throw new ApiError(response.status, err.code ?? `HTTP_${response.status}`, err.message ?? response.statusText, err.params)
  }
  return data as T
}

/** PUT raw bytes (a photo) with their type; errors as api() reports them. */
export async function uploadRaw(path: string, mime: string, bytes: ArrayBuffer): Promise<void> {
  await api('PUT', path, undefined, { body: bytes, headers: { 'content-type': mime } })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  }
  catch {
    return undefined
  }
}

/** `?a=1&b=2` from the set values (undefined and '' left out), or '' when none is set. */
export function queryString(q: Record<string, string | number | boolean | undefined> = {}): string {
  const pairs = Object.entries(q).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])
  return pairs.length ? `?${new URLSearchParams(pairs)}` : ''
}

export const get = <T>(path: string) => api<T>('GET', path)
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {})
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body)
export const del = <T>(path: string) => api<T>('DELETE', path)
