import type { PullResponse, PushResponse } from '#shared/sync/protocol'
import type { SyncTransport } from './engine'
import { api, ApiError, uploadRaw } from '../api/client'
import { TransportError } from './engine'

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  }
  catch (err) {
    if (err instanceof ApiError)
      throw new TransportError(err.status, err.message, err.code)
    throw new TransportError(0, String(err))
  }
}

/** The real server, through the app's API client (same-origin cookie and CSRF header). */
export const httpTransport: SyncTransport = {
  push: body => call(() => api<PushResponse>('POST', '/sync/push', body)),
  pull: (since, limit) => call(() => api<PullResponse>('GET', `/sync/pull?since=${encodeURIComponent(since)}&limit=${limit}`)),
  uploadPhoto: (id, mime, bytes) => call(() => uploadRaw(`/photos/${id}`, mime, bytes)),
}
