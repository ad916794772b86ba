import type { SyncTransport } from '#app/sync/engine'
import type { Me } from '#shared/schemas/auth'
import type { PullResponse, PushResponse } from '#shared/sync/protocol'
import type { FastifyInstance } from 'fastify'
import type { Person, PointsBranch } from './points-helper'
import { closeDb, DB_NAME } from '#app/db'
import { usePointsStore } from '#app/stores/points'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce, TransportError } from '#app/sync/engine'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import 'fake-indexeddb/auto'

// The store keeps the member's recent rules in localStorage, which Node has not.
if (!('localStorage' in globalThis) || !globalThis.localStorage) {
  const items = new Map<string, string>()
  globalThis.localStorage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
    key: (i: number) => [...items.keys()][i] ?? null,
    get length() { return items.size },
  }
}

/**
 * The real sync engine talking to the real server through inject, as `who`'s phone. Photos are
 * uploaded to `photosTo` (the test server's app) when a test gives it, refused otherwise.
 */
export function transport(who: Person, photosTo?: FastifyInstance): SyncTransport {
  return {
    async uploadPhoto(id, mime, bytes) {
      if (!photosTo)
        throw new TransportError(400, 'no photos in these tests')
      const res = await photosTo.inject({ method: 'PUT', url: `/api/photos/${id}`, payload: Buffer.from(bytes), headers: { 'x-xianfeng': '1', 'content-type': mime, 'cookie': who.client.cookie } })
      if (res.statusCode >= 300)
        throw new TransportError(res.statusCode, res.json().message, res.json().code)
    },
    async push(body) {
      const res = await who.client.post('/api/sync/push', body)
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      return res.json() as PushResponse
    },
    async pull(since, limit) {
      const res = await who.client.get(`/api/sync/pull?since=${encodeURIComponent(since)}&limit=${limit}`)
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      return res.json() as PullResponse
    },
  }
}

/**
 * A member's phone, fresh: its own IndexedDB (fake-indexeddb), Pinia and session. One phone at a
 * time: the app's stores and database are per page.
 */
export async function phoneOf(b: PointsBranch, who: Person, groupId: string | null) {
  await closeDb()
  await deleteDB(DB_NAME)
  setActivePinia(createPinia())
  const row = await b.t.handle.db.selectFrom('member').select(['name', 'role']).where('id', '=', who.id).executeTakeFirstOrThrow()
  useSessionStore().me = { id: who.id, name: row.name, role: row.role, branchId: b.branchId, groupId } as Me
  // The test runs the sync itself against the real server, instead of the app's timer and fetch.
  useSyncStore().afterWrite = () => {}
  const points = usePointsStore()
  return {
    points,
    /** Push, pull, then read the phone's records as 我的积分 does. */
    async sync() {
      const result = await syncOnce(transport(who), who.id)
      if (result.kind !== 'done')
        throw new Error(`sync did not finish: ${JSON.stringify(result)}`)
      await points.load()
      return result
    },
  }
}
