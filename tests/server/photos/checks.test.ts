import type { PointsBranch } from '../points-helper'
import { randomBytes, randomUUID } from 'node:crypto'
import { PHOTO, PHOTO_QUOTA } from '#shared/photos/constants'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { photoCount, pngBytes, sharpImage, upload } from '../photo-helper'
import { pointsBranch } from '../points-helper'

/* What an upload must be beyond its signature: a whole image of sane size, within the member's quota. */
let b: PointsBranch
beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

/** Photo rows as if the member had uploaded them before (a tiny body; `size` is what the quota adds up). */
async function storedPhotos(memberId: string, n: number, opts: { size?: number, attached?: boolean } = {}) {
  const now = new Date().toISOString()
  const rows = Array.from({ length: n }, () => ({
    id: randomUUID(),
    branch_id: b.branchId,
    member_id: memberId,
    mime: 'image/png',
    size: opts.size ?? 300_000,
    bytes: Buffer.from([1]),
    sha256: randomUUID(),
    owner_entity: opts.attached ? 'point_entry' : null,
    owner_id: opts.attached ? randomUUID() : null,
    created_at: now,
  }))
  for (let i = 0; i < rows.length; i += 50)
    await b.t.handle.db.insertInto('photo').values(rows.slice(i, i + 50)).execute()
}

describe('a photo must decode as the image it claims to be', () => {
  it('should accept a real JPEG, PNG and WebP, stored with the type they decode as (201)', async () => {
    for (const [format, mime] of [['jpeg', 'image/jpeg'], ['png', 'image/png'], ['webp', 'image/webp']] as const) {
      const res = await upload(b.t, b.amy, randomUUID(), await sharpImage(format, 120, 90), 'application/octet-stream')
      expect(res.statusCode, format).toBe(201)
      expect(res.json()).toMatchObject({ mime })
    }
    expect(await photoCount(b.t)).toBe(3)
  })

  it('should refuse junk that merely starts with a PNG signature, and a truncated JPEG, storing nothing (415 PHOTO_INVALID)', async () => {
    const junk = await upload(b.t, b.amy, randomUUID(), Buffer.concat([PNG_SIGNATURE, randomBytes(200_000)]))
    expect(junk.statusCode).toBe(415)
    expect(junk.json()).toMatchObject({ code: 'PHOTO_INVALID', message: expect.stringContaining('不是真正的图片') })
    const jpeg = await sharpImage('jpeg', 400, 300)
    const cut = await upload(b.t, b.amy, randomUUID(), jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg')
    expect(cut.statusCode).toBe(415)
    expect(cut.json()).toMatchObject({ code: 'PHOTO_INVALID' })
    expect(await photoCount(b.t)).toBe(0)
  })

  it('should refuse an image too small to be evidence or too large to decode, storing nothing (400 PHOTO_DIMENSIONS)', async () => {
    const tiny = await upload(b.t, b.amy, randomUUID(), pngBytes(8, 8))
    expect(tiny.statusCode).toBe(400)
    expect(tiny.json()).toMatchObject({ code: 'PHOTO_DIMENSIONS', message: expect.stringContaining(`${PHOTO.minEdgePx}–${PHOTO.maxEdgePx} 像素`) })
    // One colour compresses to a few KB whatever its size: a decompression bomb in miniature.
    const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c33' } }).png().toBuffer()
    expect((await upload(b.t, b.amy, randomUUID(), await solid(PHOTO.maxEdgePx + 1, 16))).json()).toMatchObject({ code: 'PHOTO_DIMENSIONS' })
    expect((await upload(b.t, b.amy, randomUUID(), await solid(4000, 3001))).json()).toMatchObject({ code: 'PHOTO_DIMENSIONS' })
    expect(await photoCount(b.t)).toBe(0)
  })
})

describe('photo quota per member', () => {
  it('should refuse a photo past the number not yet on a record, with the limit in words, and store nothing (409 PHOTO_QUOTA)', async () => {
    await storedPhotos(b.amy.id, PHOTO_QUOTA.looseCount, { size: 1000 })
    const res = await upload(b.t, b.amy, randomUUID(), pngBytes())
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'PHOTO_QUOTA', message: expect.stringContaining(`最多 ${PHOTO_QUOTA.looseCount} 张`) })
    expect(await photoCount(b.t)).toBe(PHOTO_QUOTA.looseCount)
    // Another member's quota is their own.
    expect((await upload(b.t, b.ben, randomUUID(), pngBytes())).statusCode).toBe(201)
  })

  it('should refuse a photo past the year\'s bytes even when all are on records, yet answer a retried upload already stored (409, 200)', async () => {
    const id = randomUUID()
    expect((await upload(b.t, b.amy, id, pngBytes())).statusCode).toBe(201)
    await storedPhotos(b.amy.id, 1, { size: PHOTO_QUOTA.yearBytes, attached: true })
    const res = await upload(b.t, b.amy, randomUUID(), pngBytes(17, 17))
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'PHOTO_QUOTA', message: expect.stringContaining('一年内上传的照片已达上限') })
    // The reply to the first upload was lost: sending it again is still answered as stored.
    expect((await upload(b.t, b.amy, id, pngBytes())).statusCode).toBe(200)
    expect(await photoCount(b.t)).toBe(2)
  })
})
