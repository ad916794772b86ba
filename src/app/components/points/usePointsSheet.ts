import type { Sheet } from '#shared/points/schemas'
import { ref } from 'vue'
import { ApiError, get } from '../../api/client'

/**
 * The 党员平时积分记录表 from the server (online only): the sheet to show, and the .xlsx streamed
 * so a large branch export shows how far it got. `query` is the sheet's query string.
 */
export function usePointsSheet() {
  /** Bytes received and expected of the .xlsx; total 0 until the server says how large it is. */
  const bytes = ref({ got: 0, total: 0 })

  const sheet = (query: string) => get<Sheet>(`/points/sheet?${query}`)

  async function xlsx(query: string): Promise<Blob> {
    bytes.value = { got: 0, total: 0 }
    let res: Response
    try {
      res = await fetch(`/api/points/sheet.xlsx?${query}`, { credentials: 'same-origin' })
    }
    catch {
      throw new ApiError(0, 'NETWORK', '网络不可用 No network')
    }
    if (!res.ok || !res.body) {
      const err = (await res.json().catch(() => ({}))) as { code?: string, message?: string }
      throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText)
    }
    const reader = res.body.getReader()
    const parts: BlobPart[] = []
    let got = 0
    const total = Number(res.headers.get('content-length') ?? 0)
    for (;;) {
      const { done, value } = await reader.read()
      if (done)
        break
      parts.push(value)
      got += value.length
      bytes.value = { got, total }
    }
    return new Blob(parts, { type: res.headers.get('content-type') ?? '' })
  }

  return { bytes, sheet, xlsx }
}
