import type { SyncTransport } from '#app/sync/engine'
import type { PullResponse, PushBody, PushResponse } from '#shared/sync/protocol'
import type { Client, TestApp } from '../server/helper'
import { randomUUID } from 'node:crypto'
import { closeDb, DB_NAME, getRecord, listRejected, localWrite, outboxCount } from '#app/db'
import { getLocalPhoto } from '#app/db/photos'
import { backoffMs, syncOnce, TransportError } from '#app/sync/engine'
import { recordChange } from '#server/sync/changes'
import { registerOp, unregisterOp } from '#server/sync/registry'
import { localDate } from '#shared/points/periods'
import { defineOp } from '#shared/sync/protocol'
import { deleteDB } from 'idb'
import { Type } from 'typebox'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../server/helper'
import { pngBytes } from '../server/photo-helper'
import { addMember } from '../server/sync-helper'
import 'fake-indexeddb/auto'

/* The app's sync engine (fake-indexeddb) against the real server through inject. */
const tally = defineOp('test.tally', Type.Object({ n: Type.Integer() }))
beforeAll(() => registerOp({
  definition: tally,
  async apply(ctx, payload) {
    if (payload.n < 0)
      throw new (await import('#server/sync/registry')).OpRejection('NEGATIVE', '不能为负 Must not be negative')
    await recordChange(ctx.trx, { entity: 'tally', entityId: ctx.opId, branchId: ctx.actor.branchId, memberId: ctx.actor.id, op: 'upsert', data: payload })
    return { id: ctx.opId, ...payload }
  },
}))

let t: TestApp
let alice: { client: Client, id: string }
let bob: { client: Client, id: string }
let requests: { push: number, pull: number }
let calls: string[]
beforeEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
  t = await buildTestApp()
  const { branchId } = await setUpBranch(t.app, t.handle)
  alice = await addMember(t.app, t.handle, branchId, 'alice')
  bob = await addMember(t.app, t.handle, branchId, 'bob')
  requests = { push: 0, pull: 0 }
  calls = []
})
afterEach(async () => {
  await closeDb()
  await t.close()
})

afterAll(() => unregisterOp('test.tally'))

interface Hooks {
  beforePush?: (body: PushBody) => Promise<void> | void
  afterPush?: (n: number) => Promise<void> | void
  beforeUpload?: (id: string) => Promise<void> | void
}

function transport(client: Client, hooks: Hooks = {}): SyncTransport {
  return {
    async uploadPhoto(id, mime, bytes) {
      await hooks.beforeUpload?.(id)
      const res = await client.app.inject({ method: 'PUT', url: `/api/photos/${id}`, payload: Buffer.from(bytes), headers: { 'x-xianfeng': '1', 'content-type': mime, 'cookie': client.cookie } })
      calls.push(`upload ${id}`)
      if (res.statusCode >= 300)
        throw new TransportError(res.statusCode, res.json().message, res.json().code)
    },
    async push(body) {
      await hooks.beforePush?.(body)
      const res = await client.post('/api/sync/push', body)
      requests.push++
      calls.push(`push ${body.ops.map(o => o.type).join(',')}`)
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      await hooks.afterPush?.(requests.push)
      return res.json() as PushResponse
    },
    async pull(since, limit) {
      const res = await client.get(`/api/sync/pull?since=${encodeURIComponent(since)}&limit=${limit}`)
      requests.pull++
      if (res.statusCode !== 200)
        throw new TransportError(res.statusCode, res.json().message)
      return res.json() as PullResponse
    },
  }
}

function queue(memberId: string, n: number, from = 0) {
  return Promise.all(Array.from({ length: n }, (_, i) =>
    localWrite({ memberId, type: 'test.tally', payload: { n: from + i }, record: { entity: 'tally-local', id: `${memberId}-${from + i}`, data: { n: from + i } } })))
}
async function serverTallies() {
  return (await t.handle.db.selectFrom('change_log').select(['data', 'member_id']).where('entity', '=', 'tally').orderBy('seq').execute())
    .map(r => JSON.parse(r.data).n as number)
}

describe('sync engine against the real server', () => {
  it('should apply thousands of ops queued offline exactly once, in the order they were made (case 10)', async () => {
    const N = 2500
    await queue(alice.id, N)
    const outcome = await syncOnce(transport(alice.client), alice.id)
    expect(outcome).toMatchObject({ kind: 'done', pushed: N, rejected: 0 })
    // Its own N changes come back in the pull (plus whatever branch-wide rows other features seeded).
    expect(outcome.kind === 'done' && outcome.pulled).toBeGreaterThanOrEqual(N)
    expect(await serverTallies()).toEqual(Array.from({ length: N }, (_, i) => i))
    expect(await outboxCount()).toBe(0)
    expect(requests.push).toBe(Math.ceil(N / 200))
    expect(await getRecord('tally-local', `${alice.id}-7`)).toMatchObject({ pendingOps: 0 })
  }, 120_000)

  it('should keep every op when the session ends mid-queue and finish after logging in again (case 5)', async () => {
    await queue(alice.id, 450)
    const outcome = await syncOnce(transport(alice.client, {
      afterPush: async (n) => {
        if (n === 1)
          await alice.client.post('/api/auth/logout')
      },
    }), alice.id)
    expect(outcome).toEqual({ kind: 'auth' })
    expect(await outboxCount()).toBe(250)
    expect(await serverTallies()).toHaveLength(200)
    expect((await alice.client.post('/api/auth/login', { login: 'alice', password: 'member-pass-1' })).statusCode).toBe(200)
    expect((await syncOnce(transport(alice.client), alice.id)).kind).toBe('done')
    expect(await serverTallies()).toEqual(Array.from({ length: 450 }, (_, i) => i))
  }, 60_000)

  it('should count nothing twice when the reply to a committed push is lost (case 2)', async () => {
    await queue(alice.id, 30)
    const lossy = transport(alice.client, {
      afterPush: (n) => {
        if (n === 1)
          throw new TransportError(0, 'reply lost')
      },
    })
    expect(await syncOnce(lossy, alice.id)).toMatchObject({ kind: 'retry', status: 0 })
    expect(await outboxCount()).toBe(30)
    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', pushed: 30 })
    expect(await serverTallies()).toHaveLength(30)
    expect(await t.handle.db.selectFrom('sync_op').select('op_id').execute()).toHaveLength(30)
  })

  it('should keep every op while the server answers 503', async () => {
    await queue(alice.id, 5)
    const down = transport(alice.client, {
      beforePush: () => {
        throw new TransportError(503, 'down')
      },
    })
    expect(await syncOnce(down, alice.id)).toMatchObject({ kind: 'retry', status: 503 })
    expect(await outboxCount()).toBe(5)
    expect(await serverTallies()).toHaveLength(0)
  })

  it('should move a rejected op to the rejected list and carry on with the queue (case 4)', async () => {
    await queue(alice.id, 2)
    await localWrite({ memberId: alice.id, type: 'test.tally', payload: { n: -1 } })
    await queue(alice.id, 2, 2)
    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', pushed: 5, rejected: 1 })
    expect(await serverTallies()).toEqual([0, 1, 2, 3])
    expect((await listRejected(alice.id)).map(r => [r.code, r.message])).toEqual([['NEGATIVE', '不能为负 Must not be negative']])
  })

  it('should push only the logged-in member\'s ops and leave another member\'s on the phone', async () => {
    await queue(bob.id, 3)
    await queue(alice.id, 2)
    await syncOnce(transport(alice.client), alice.id)
    expect(await outboxCount(bob.id)).toBe(3)
    expect(await t.handle.db.selectFrom('sync_op').select('member_id').distinct().execute()).toEqual([{ member_id: alice.id }])
  })

  it('should send smaller batches when the server says a batch is too large', async () => {
    await queue(alice.id, 120)
    const small = transport(alice.client, {
      beforePush: (body) => {
        if (body.ops.length > 50)
          throw new TransportError(413, 'too large')
      },
    })
    expect(await syncOnce(small, alice.id)).toMatchObject({ kind: 'done', pushed: 120 })
    expect(await serverTallies()).toHaveLength(120)
  })
})

describe('evidence photos', () => {
  async function queueEntryWithPhoto(bytes: Buffer, mime = 'image/png') {
    const photoId = randomUUID()
    const entryId = randomUUID()
    const rule = await t.handle.db.selectFrom('point_rule').select('id').where('key', '=', 'volunteer').executeTakeFirstOrThrow()
    const payload = { id: entryId, ruleId: rule.id, date: localDate(new Date()), note: '进社区', photoIds: [photoId] }
    const view = new Uint8Array(bytes)
    await localWrite({ memberId: alice.id, type: 'entry.create', payload, record: { entity: 'point_entry', id: entryId, data: payload }, photos: [{ id: photoId, mime, bytes: view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) }] })
    return { photoId, entryId }
  }
  const serverPhotos = () => t.handle.db.selectFrom('photo').select(['id', 'owner_id']).execute()

  it('should upload an op\'s photo before pushing the op, and keep both queued while the upload fails', async () => {
    const { photoId, entryId } = await queueEntryWithPhoto(pngBytes())
    const offline = transport(alice.client, {
      beforeUpload: () => {
        throw new TransportError(0, 'offline')
      },
    })
    expect(await syncOnce(offline, alice.id)).toMatchObject({ kind: 'retry', status: 0 })
    expect(requests.push).toBe(0)
    expect(await outboxCount()).toBe(1)
    expect(await getLocalPhoto(photoId)).toMatchObject({ uploaded: false })

    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', pushed: 1, rejected: 0 })
    expect(calls).toEqual([`upload ${photoId}`, 'push entry.create'])
    expect(await serverPhotos()).toEqual([{ id: photoId, owner_id: entryId }])
    expect(await getRecord('point_entry', entryId)).toMatchObject({ pendingOps: 0, data: { photoIds: [photoId] } })
    // The server has it: the phone lets its copy go.
    expect(await getLocalPhoto(photoId)).toBeUndefined()
  })

  it('should not upload a photo again when only the push\'s reply was lost', async () => {
    const { photoId } = await queueEntryWithPhoto(pngBytes())
    const lossy = transport(alice.client, {
      afterPush: () => {
        throw new TransportError(0, 'reply lost')
      },
    })
    expect(await syncOnce(lossy, alice.id)).toMatchObject({ kind: 'retry' })
    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', pushed: 1 })
    expect(calls.filter(c => c.startsWith('upload'))).toEqual([`upload ${photoId}`])
    expect(await t.handle.db.selectFrom('point_entry').select('id').execute()).toHaveLength(1)
  })

  it('should file an op whose photo the server refuses in 同步失败 with the reason, store nothing, and push the rest', async () => {
    const { photoId, entryId } = await queueEntryWithPhoto(Buffer.from('not an image at all'), 'image/jpeg')
    await queue(alice.id, 2)
    expect(await syncOnce(transport(alice.client), alice.id)).toMatchObject({ kind: 'done', pushed: 3, rejected: 1 })
    const [failed] = await listRejected(alice.id)
    expect(failed).toMatchObject({ type: 'entry.create', code: 'PHOTO_TYPE' })
    expect(failed!.message).toMatch(/JPEG、PNG 或 WebP/)
    expect(await getRecord('point_entry', entryId)).toMatchObject({ failed: true })
    expect(await serverPhotos()).toEqual([])
    expect(await t.handle.db.selectFrom('point_entry').select('id').execute()).toEqual([])
    expect(await serverTallies()).toEqual([0, 1])
    // Kept for a retry or an edit from the 同步失败 list.
    expect(await getLocalPhoto(photoId)).toBeDefined()
  })
})

describe('back-off', () => {
  it('should grow with failures, stay under five minutes, and spread by jitter', () => {
    expect(backoffMs(1, () => 0.5)).toBe(2000)
    expect(backoffMs(3, () => 0.5)).toBe(8000)
    expect(backoffMs(30, () => 0.5)).toBe(300_000)
    expect(backoffMs(2, () => 0)).toBe(2000)
    expect(backoffMs(2, () => 0.999)).toBeGreaterThan(5900)
  })
})
