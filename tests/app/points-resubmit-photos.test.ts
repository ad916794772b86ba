import type { Me } from '#shared/schemas/auth'
import type { PointsBranch } from '../server/points-helper'
import { randomUUID } from 'node:crypto'
import { closeDb, DB_NAME, getDb, getRecord } from '#app/db'
import { getLocalPhoto } from '#app/db/photos'
import { usePointsStore } from '#app/stores/points'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { syncOnce } from '#app/sync/engine'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pngBytes, upload } from '../server/photo-helper'
import { entryRow, pointsBranch, ruleId, today } from '../server/points-helper'
import { transport } from '../server/points-phone'
import { op, push } from '../server/sync-helper'
import 'fake-indexeddb/auto'

/* 已退回 → corrected with other photos on the phone (points store, fake-indexeddb) → the real server. */
let b: PointsBranch

beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  b = await pointsBranch()
  setActivePinia(createPinia())
  useSessionStore().me = { id: b.amy.id, name: 'amy', role: 'member', branchId: b.branchId, groupId: b.groupA } as Me
  // The test runs the sync itself against the real server, instead of the app's timer and fetch.
  useSyncStore().afterWrite = () => {}
})
afterEach(async () => {
  await closeDb()
  await b.t.close()
})

/** amy's entry with one photo, returned by her group leader, pulled to the phone. */
async function returnedEntry() {
  const first = randomUUID()
  expect((await upload(b.t, b.amy, first, pngBytes(17, 17))).statusCode).toBe(201)
  const id = randomUUID()
  const res = await push(b.amy.client, [op('entry.create', { id, ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '进社区宣传', photoIds: [first] })])
  expect(res.json().results[0]).toMatchObject({ status: 'applied' })
  expect((await b.lee.client.post(`/api/points/approvals/${id}/return`, { reason: 'evidence_missing' })).statusCode).toBe(200)
  expect(await syncOnce(transport(b.amy, b.t.app), b.amy.id)).toMatchObject({ kind: 'done' })
  const points = usePointsStore()
  await points.load()
  const entry = points.entries.find(e => e.id === id)!
  expect(entry).toMatchObject({ status: 'returned', photoIds: [first] })
  return { id, first, entry, points }
}

describe('resubmitting a returned entry with other photos', () => {
  it('should queue the new photo with the op, show kept + new on the phone at once, and leave only those on the server after sync', async () => {
    const { id, first, entry, points } = await returnedEntry()
    const second = { id: randomUUID(), mime: 'image/png', bytes: new Uint8Array(pngBytes(18, 18, [0, 90, 0])).buffer }
    await points.resubmit(entry, { date: entry.date, note: '补充了照片', variant: entry.variant, keptPhotoIds: [first], photos: [second] })

    const [queued] = await (await getDb()).getAll('outbox')
    expect(queued).toMatchObject({ type: 'entry.resubmit', payload: { id, photoIds: [first, second.id] } })
    expect(await getLocalPhoto(second.id)).toMatchObject({ uploaded: false, mime: 'image/png' })
    expect(points.entries.find(e => e.id === id)).toMatchObject({ status: 'pending', syncPending: true, photoIds: [first, second.id] })

    expect(await syncOnce(transport(b.amy, b.t.app), b.amy.id)).toMatchObject({ kind: 'done', pushed: 1, rejected: 0 })
    expect(JSON.parse((await entryRow(b.t, id)).photo_ids)).toEqual([first, second.id])
    expect((await b.lee.client.get(`/api/photos/${second.id}`)).statusCode).toBe(200)
    // The server has it: the phone's copy is dropped.
    expect(await getLocalPhoto(second.id)).toBeUndefined()
    expect(await getRecord('point_entry', id)).toMatchObject({ pendingOps: 0, data: { photoIds: [first, second.id] } })
  })

  it('should send an empty list when the member took every photo out, so the reviewer no longer sees the old one', async () => {
    const { id, entry, points } = await returnedEntry()
    await points.resubmit(entry, { date: entry.date, note: '照片拍错了，已删除', variant: entry.variant, keptPhotoIds: [], photos: [] })
    const [queued] = await (await getDb()).getAll('outbox')
    expect(queued!.payload).toMatchObject({ photoIds: [] })
    expect(await syncOnce(transport(b.amy, b.t.app), b.amy.id)).toMatchObject({ kind: 'done', rejected: 0 })
    expect(JSON.parse((await entryRow(b.t, id)).photo_ids)).toEqual([])
    const review = (await b.lee.client.get('/api/points/approvals')).json().items as { id: string, photoIds: string[] }[]
    expect(review.find(e => e.id === id)?.photoIds).toEqual([])
  })
})
