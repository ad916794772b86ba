import type { SyncTransport } from '#app/sync/engine'
import type { PullResponse, PushResponse } from '#shared/sync/protocol'
import type { Client, TestApp } from '../server/helper'
import { randomUUID } from 'node:crypto'
import { closeDb, DB_NAME, getRecord, listRejected, localWrite, outboxCount } from '#app/db'
import { getLocalPhoto } from '#app/db/photos'
import { syncOnce, TransportError } from '#app/sync/engine'
import { housekeeping } from '#server/services/retention'
import { recordChange, recordChangeNow } from '#server/sync/changes'
import { registerOp, unregisterOp } from '#server/sync/registry'
import { PHOTO_QUOTA } from '#shared/photos/constants'
import { defineOp } from '#shared/sync/protocol'
import { deleteDB } from 'idb'
import { Type } from 'typebox'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../server/helper'
import { pngBytes } from '../server/photo-helper'
import { addMember } from '../server/sync-helper'
import 'fake-indexeddb/auto'

/* Retention and quotas as the phone meets them (fake-indexeddb against the real server). */
const noteOp = defineOp('test.note', Type.Object({ id: Type.String(), v: Type.String() }))
beforeAll(() => registerOp({
  definition: noteOp,
  async apply(ctx, p) {
    const entity = { id: p.id, v: `${p.v} (server)` }
    await recordChange(ctx.trx, { entity: 'note', entityId: p.id, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: entity })
    return entity
  },
}))
let t: TestApp
let branchId: string
let alice: { client: Client, id: string }
beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  t = await buildTestApp()
  branchId = (await setUpBranch(t.app, t.handle)).branchId
  alice = await addMember(t.app, t.handle, branchId, 'alice')
})
afterEach(async () => {
  await closeDb()
  await t.close()
})
afterAll(() => unregisterOp('test.note'))

function transport(client: Client, duringPull?: () => Promise<void>): SyncTransport & { resets: number } {
  return {
    resets: 0,
    async uploadPhoto(id, mime, bytes) {
      const res = await client.app.inject({ method: 'PUT', url: `/api/photos/${id}`, payload: Buffer.from(bytes), headers: { 'x-xianfeng': '1', 'content-type': mime, 'cookie': client.cookie } })
      if (res.statusCode >= 300)
        throw new TransportError(res.statusCode, res.json().message, res.json().code)
    },
    async push(body) {
      const res = await client.post('/api/sync/push', body)
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      return res.json() as PushResponse
    },
    async pull(since, limit) {
      await duringPull?.()
      const res = await client.get(`/api/sync/pull?since=${encodeURIComponent(since)}&limit=${limit}`)
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      const page = res.json() as PullResponse
      if (page.reset)
        this.resets++
      return page
    },
  }
}

/** A note written on the server (another device, an organizer), dated `daysAgo`. */
async function serverNote(id: string, op: 'upsert' | 'delete', v: string, daysAgo: number) {
  const seq = await t.handle.db.transaction().execute(trx => recordChangeNow(trx, { entity: 'note', entityId: id, branchId, memberId: alice.id, op, data: { id, v } }))
  await t.handle.db.updateTable('change_log').set({ created_at: new Date(Date.now() - daysAgo * 86_400_000).toISOString() }).where('seq', '=', seq).execute()
}

const write = (id: string, v: string) => localWrite({ memberId: alice.id, type: 'test.note', payload: { id, v }, record: { entity: 'note', id, data: { id, v } } })

describe('a phone older than the change-log floor', () => {
  it('should start over from the server\'s data without losing its pending ops, which are delivered afterwards and then show as applied', async () => {
    const [kept, dropped, fresh] = [randomUUID(), randomUUID(), randomUUID()]
    await serverNote(kept, 'upsert', 'v1', 200)
    await serverNote(dropped, 'upsert', 'v1', 200)
    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done' })
    expect(await getRecord('note', dropped)).toMatchObject({ data: { v: 'v1' } })

    // Months pass with the phone away: the server deletes one note, changes the other, and prunes.
    await serverNote(dropped, 'delete', '', 120)
    await serverNote(kept, 'upsert', 'v2', 110)
    expect(await housekeeping(t.handle.db)).toMatchObject({ changes: 3, floor: expect.any(Number) })

    // The member edits a note and adds one while the phone is pulling: both are still pending at the reset.
    let edited = false
    const behind = transport(alice.client, async () => {
      if (!edited) {
        edited = true
        await write(kept, 'mine')
        await write(fresh, 'new')
      }
    })
    expect(await syncOnce(behind, alice.id)).toMatchObject({ kind: 'done', pushed: 0 })
    expect(behind.resets).toBe(1)
    expect(await getRecord('note', dropped)).toBeUndefined()
    expect(await outboxCount(alice.id)).toBe(2)
    expect(await getRecord('note', kept)).toMatchObject({ pendingOps: 1, data: { v: 'mine' }, server: { v: 'v2' } })
    expect(await getRecord('note', fresh)).toMatchObject({ pendingOps: 1, data: { v: 'new' } })

    const next = transport(alice.client)
    expect(await syncOnce(next, alice.id)).toMatchObject({ kind: 'done', pushed: 2, rejected: 0 })
    expect(next.resets).toBe(0)
    expect(await outboxCount(alice.id)).toBe(0)
    expect(await getRecord('note', kept)).toMatchObject({ pendingOps: 0, failed: false, data: { v: 'mine (server)' } })
    expect(await getRecord('note', fresh)).toMatchObject({ pendingOps: 0, failed: false, data: { v: 'new (server)' } })
    const onServer = await t.handle.db.selectFrom('sync_op').select('type').where('member_id', '=', alice.id).execute()
    expect(onServer).toHaveLength(2)
  })
})

describe('a photo over the member\'s quota', () => {
  it('should file its op in 同步失败 with the limit in the reason, keep the photo on the phone, and store nothing', async () => {
    const now = new Date().toISOString()
    await t.handle.db.insertInto('photo').values(Array.from({ length: PHOTO_QUOTA.looseCount }, () => ({
      id: randomUUID(),
      branch_id: branchId,
      member_id: alice.id,
      mime: 'image/png',
      size: 1000,
      bytes: Buffer.from([1]),
      sha256: randomUUID(),
      owner_entity: null,
      owner_id: null,
      created_at: now,
    }))).execute()
    const [id, photoId] = [randomUUID(), randomUUID()]
    const bytes = new Uint8Array(pngBytes()).buffer
    await localWrite({ memberId: alice.id, type: 'test.note', payload: { id, v: 'with photo', photoIds: [photoId] }, record: { entity: 'note', id, data: { id } }, photos: [{ id: photoId, mime: 'image/png', bytes }] })

    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', rejected: 1 })
    const [failed] = await listRejected(alice.id)
    expect(failed).toMatchObject({ code: 'PHOTO_QUOTA', message: expect.stringContaining(`最多 ${PHOTO_QUOTA.looseCount} 张`) })
    expect(await getRecord('note', id)).toMatchObject({ failed: true })
    expect(await getLocalPhoto(photoId)).toBeDefined()
    expect(await t.handle.db.selectFrom('photo').select('id').where('id', '=', photoId).execute()).toEqual([])
  })
})
