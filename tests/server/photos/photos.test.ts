import type { PointsBranch } from '../points-helper'
import { randomUUID } from 'node:crypto'
import { LOOSE_PHOTO_KEEP_MS, pruneLoosePhotos } from '#server/photos/store'
import { PHOTO } from '#shared/photos/constants'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { photoCount, pngBytes, sharpImage, upload } from '../photo-helper'
import { publishedPledge } from '../pledge-helper'
import { entryRow, pointsBranch, resubmit, ruleId, today } from '../points-helper'
import { addMember, op, push } from '../sync-helper'

let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const JPEG_HEAD = Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46])

/** entry.create through the push, as the phone sends it, with photos. */
async function logWithPhotos(who: typeof b.amy, photoIds: string[]) {
  const id = randomUUID()
  const res = await push(who.client, [op('entry.create', { id, ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '进社区宣传', photoIds })])
  return { ...res.json().results[0] as { status: string, code?: string, entity?: unknown }, id }
}

async function uploaded(who = b.amy, bytes = pngBytes()) {
  const id = randomUUID()
  const res = await upload(b.t, who, id, bytes)
  expect(res.statusCode).toBe(201)
  return id
}

describe('pUT /api/photos/:id', () => {
  it('should store a PNG with its sniffed type, size and hash, and answer a repeat with the same bytes without a second row (201, then 200)', async () => {
    const id = randomUUID()
    const bytes = pngBytes(20, 16)
    const first = await upload(b.t, b.amy, id, bytes, 'application/octet-stream')
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ id, mime: 'image/png', size: bytes.length })
    const row = await b.t.handle.db.selectFrom('photo').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ member_id: b.amy.id, branch_id: b.branchId, mime: 'image/png', size: bytes.length, owner_entity: null })
    expect(Buffer.from(row.bytes).equals(bytes)).toBe(true)
    const again = await upload(b.t, b.amy, id, bytes)
    expect(again.statusCode).toBe(200)
    expect(await photoCount(b.t)).toBe(1)
  })

  it('should refuse other bytes under a taken id, from the uploader or anyone else (409)', async () => {
    const id = await uploaded()
    const other = await upload(b.t, b.amy, id, pngBytes(16, 16, [0, 0, 255]))
    expect(other.statusCode).toBe(409)
    expect(other.json()).toMatchObject({ code: 'PHOTO_ID_TAKEN' })
    expect((await upload(b.t, b.ben, id, pngBytes())).statusCode).toBe(409)
    expect(await photoCount(b.t)).toBe(1)
  })

  it('should refuse a body that is not an image, whatever its Content-Type says, and store nothing (415)', async () => {
    const html = await upload(b.t, b.amy, randomUUID(), '<html><script>alert(1)</script></html>', 'image/jpeg')
    expect(html.statusCode).toBe(415)
    expect(html.json()).toMatchObject({ code: 'PHOTO_TYPE', message: expect.stringContaining('JPEG、PNG 或 WebP') })
    const gif = await upload(b.t, b.amy, randomUUID(), Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif')
    expect(gif.statusCode).toBe(415)
    const json = await b.amy.client.request('PUT', `/api/photos/${randomUUID()}`, { not: 'a photo' })
    expect(json.statusCode).toBe(415)
    expect(await photoCount(b.t)).toBe(0)
  })

  it('should refuse a photo over the limit with the limit in words, and store nothing (413)', async () => {
    const big = Buffer.concat([JPEG_HEAD, Buffer.alloc(PHOTO.maxBytes)])
    const res = await upload(b.t, b.amy, randomUUID(), big, 'image/jpeg')
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ code: 'PHOTO_TOO_LARGE', message: expect.stringContaining('1 MB') })
    // A real JPEG padded after its end to exactly the limit: decoders ignore what follows the image.
    const jpeg = await sharpImage('jpeg', 300, 200)
    const atLimit = await upload(b.t, b.amy, randomUUID(), Buffer.concat([jpeg, Buffer.alloc(PHOTO.maxBytes - jpeg.length)]), 'image/jpeg')
    expect(atLimit.statusCode).toBe(201)
    expect(await photoCount(b.t)).toBe(1)
  })

  it('should refuse an upload without a session (401) and a malformed id (400)', async () => {
    expect((await upload(b.t, null, randomUUID(), pngBytes())).statusCode).toBe(401)
    expect((await upload(b.t, b.amy, 'not-a-uuid', pngBytes())).statusCode).toBe(400)
    expect(await photoCount(b.t)).toBe(0)
  })
})

describe('gET /api/photos/:id', () => {
  it('should serve an entry\'s photo to its member, their group leader and the branch admin, and to no one else (200 / 404)', async () => {
    const photo = await uploaded()
    const bytes = pngBytes()
    // Before it is attached, only the uploader sees it.
    expect((await b.lee.client.get(`/api/photos/${photo}`)).statusCode).toBe(404)
    expect((await logWithPhotos(b.amy, [photo])).status).toBe('applied')
    for (const who of [b.amy, b.lee, b.admin]) {
      const res = await who.client.get(`/api/photos/${photo}`)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('image/png')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.rawPayload.equals(bytes)).toBe(true)
    }
    for (const who of [b.ben, b.kay, b.cat])
      expect((await who.client.get(`/api/photos/${photo}`)).statusCode).toBe(404)
  })

  it('should hide a photo from another branch\'s admin as if it did not exist, and ask for a login first (404 / 401)', async () => {
    const photo = await uploaded()
    const otherBranch = randomUUID()
    await b.t.handle.db.insertInto('branch').values({ id: otherBranch, name: '另一支部', upper_org_id: null, settings: '{}', created_at: new Date().toISOString() }).execute()
    const outsider = await addMember(b.t.app, b.t.handle, otherBranch, 'outsider', 'branch_admin')
    expect((await outsider.client.get(`/api/photos/${photo}`)).statusCode).toBe(404)
    expect((await outsider.client.get(`/api/photos/${randomUUID()}`)).statusCode).toBe(404)
    expect((await b.t.app.inject({ method: 'GET', url: `/api/photos/${photo}` })).statusCode).toBe(401)
  })
})

describe('ops that attach photos', () => {
  it('should attach uploaded photos to an entry in order and hand them to the phone and the reviewer (applied)', async () => {
    const [p1, p2] = [await uploaded(), await uploaded(b.amy, pngBytes(17, 17))]
    const res = await logWithPhotos(b.amy, [p2, p1])
    expect(res).toMatchObject({ status: 'applied', entity: { photoIds: [p2, p1] } })
    expect(JSON.parse((await entryRow(b.t, res.id)).photo_ids)).toEqual([p2, p1])
    const review = (await b.lee.client.get('/api/points/approvals')).json().items as { id: string, photoIds: string[] }[]
    expect(review.find(e => e.id === res.id)?.photoIds).toEqual([p2, p1])
    const pulled = (await b.amy.client.get('/api/sync/pull')).json().changes as { entity: string, data: { photoIds?: string[] } }[]
    expect(pulled.find(c => c.entity === 'point_entry')?.data.photoIds).toEqual([p2, p1])
  })

  it.each([
    ['a photo never uploaded', async () => [randomUUID()], 'PHOTO_MISSING', /还没有上传/],
    ['another member\'s photo', async () => [await uploaded(b.ben)], 'PHOTO_NOT_YOURS', /自己上传/],
    ['a photo already on another entry', async () => {
      const p = await uploaded()
      expect((await logWithPhotos(b.amy, [p])).status).toBe('applied')
      return [p]
    }, 'PHOTO_IN_USE', /另一条记录/],
  ])('should reject an entry with %s and store nothing of it (rejected)', async (_what, ids, code, message) => {
    const photoIds = await ids()
    const before = Number((await b.t.handle.db.selectFrom('point_entry').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const res = await push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '', photoIds })])
    const result = res.json().results[0]
    expect(result).toMatchObject({ status: 'rejected', code })
    expect(result.message).toMatch(message)
    expect(Number((await b.t.handle.db.selectFrom('point_entry').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before)
  })

  it('should refuse more photos than a record may have, or the same photo twice (rejected OP_INVALID_PAYLOAD)', async () => {
    const seven = Array.from({ length: PHOTO.perRecord + 1 }, () => randomUUID())
    const p = await uploaded()
    for (const photoIds of [seven, [p, p]]) {
      const res = await push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId: await ruleId(b.t, 'volunteer'), date: today(), note: '', photoIds })])
      expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    }
  })

  it('should keep a returned entry\'s photos when it is resubmitted without a list, and replace them with one (applied)', async () => {
    const p1 = await uploaded()
    const created = await logWithPhotos(b.amy, [p1])
    const ret = await b.lee.client.post(`/api/points/approvals/${created.id}/return`, { reason: 'evidence_missing' })
    expect(ret.statusCode).toBe(200)
    expect(await resubmit(b.amy, { id: created.id, date: today(), note: '补充说明' })).toMatchObject({ status: 'applied', entity: { photoIds: [p1] } })
    await b.lee.client.post(`/api/points/approvals/${created.id}/return`, { reason: 'evidence_missing' })
    const p2 = await uploaded(b.amy, pngBytes(18, 18))
    expect(await resubmit(b.amy, { id: created.id, date: today(), note: '换了照片', photoIds: [p2] })).toMatchObject({ status: 'applied', entity: { photoIds: [p2] } })
  })

  it('should reject a resubmit naming another entry\'s photo, leaving the entry returned with its own photos (rejected PHOTO_IN_USE)', async () => {
    const [mine, other] = [await uploaded(), await uploaded(b.amy, pngBytes(19, 19))]
    const created = await logWithPhotos(b.amy, [mine])
    expect((await logWithPhotos(b.amy, [other])).status).toBe('applied')
    expect((await b.lee.client.post(`/api/points/approvals/${created.id}/return`, { reason: 'evidence_missing' })).statusCode).toBe(200)
    const res = await resubmit(b.amy, { id: created.id, date: today(), note: '换照片', photoIds: [mine, other] })
    expect(res).toMatchObject({ status: 'rejected', code: 'PHOTO_IN_USE' })
    const row = await entryRow(b.t, created.id)
    expect({ status: row.status, photos: JSON.parse(row.photo_ids), revision: row.revision }).toEqual({ status: 'returned', photos: [mine], revision: 1 })
  })

  it('should attach photos to a 践诺 record, seen by branch members who may read the published pledge (applied, 200)', async () => {
    const pledge = await publishedPledge(b.amy, b.admin.client)
    const photo = await uploaded()
    const id = randomUUID()
    const res = await push(b.amy.client, [op('pledge.progress', { id, itemId: pledge.items[0]!.id, status: 'in_progress', percent: 40, note: '已完成 80 份', photoIds: [photo] })])
    expect(res.json().results[0]).toMatchObject({ status: 'applied', entity: { id, photoIds: [photo] } })
    expect((await b.cat.client.get(`/api/photos/${photo}`)).statusCode).toBe(200)
    const detail = (await b.cat.client.get(`/api/pledges/${pledge.id}`)).json() as { progress: { photoIds?: string[] }[] }
    expect(detail.progress.map(p => p.photoIds)).toEqual([[photo]])
    // The public board (no login) never serves evidence photos.
    expect((await b.t.app.inject({ method: 'GET', url: `/api/photos/${photo}` })).statusCode).toBe(401)
  })
})

describe('photos taken off a record', () => {
  it('should stop showing a photo replaced on a resubmitted entry to the reviewer, while its member still sees it (200, then 404)', async () => {
    const [p1, p2] = [await uploaded(), await uploaded(b.amy, pngBytes(20, 20))]
    const created = await logWithPhotos(b.amy, [p1])
    expect((await b.lee.client.get(`/api/photos/${p1}`)).statusCode).toBe(200)
    expect((await b.lee.client.post(`/api/points/approvals/${created.id}/return`, { reason: 'evidence_missing' })).statusCode).toBe(200)
    expect(await resubmit(b.amy, { id: created.id, date: today(), note: '换了照片', photoIds: [p2] })).toMatchObject({ status: 'applied' })
    expect((await b.lee.client.get(`/api/photos/${p1}`)).statusCode).toBe(404)
    expect((await b.lee.client.get(`/api/photos/${p2}`)).statusCode).toBe(200)
    expect((await b.amy.client.get(`/api/photos/${p1}`)).statusCode).toBe(200)
  })

  it('should prune photos on no record once they are old, and keep attached or recent ones', async () => {
    const attached = await uploaded()
    expect((await logWithPhotos(b.amy, [attached])).status).toBe('applied')
    const loose = await uploaded(b.amy, pngBytes(21, 21))
    const now = Date.now()
    expect(await pruneLoosePhotos(b.t.handle.db, LOOSE_PHOTO_KEEP_MS, now)).toBe(0)
    const later = now + LOOSE_PHOTO_KEEP_MS + 60_000
    expect(await pruneLoosePhotos(b.t.handle.db, LOOSE_PHOTO_KEEP_MS, later)).toBe(1)
    const left = await b.t.handle.db.selectFrom('photo').select('id').execute()
    expect(left.map(r => r.id)).toEqual([attached])
    expect((await b.amy.client.get(`/api/photos/${loose}`)).statusCode).toBe(404)
    expect((await b.lee.client.get(`/api/photos/${attached}`)).statusCode).toBe(200)
  })
})
