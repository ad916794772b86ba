import type { TestApp } from './helper'
import type { Person } from './points-helper'
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++)
    c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Buffer): number {
  let c = 0xFFFFFFFF
  for (const b of bytes)
    c = CRC_TABLE[(c ^ b) & 0xFF]! ^ (c >>> 8)
  return (c ^ 0xFFFFFFFF) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A real, decodable RGB PNG of one colour (a browser can draw it; the server sniffs its signature). */
export function pngBytes(width = 16, height = 16, rgb: [number, number, number] = [200, 30, 30]): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())])
  const raw = Buffer.concat(Array.from({ length: height }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Uploads raw bytes as the phone does: PUT with the image as the body. */
export function upload(t: TestApp, who: Person | null, id: string, bytes: Buffer | string, contentType = 'image/png') {
  return t.app.inject({
    method: 'PUT',
    url: `/api/photos/${id}`,
    payload: bytes,
    headers: { 'x-xianfeng': '1', 'content-type': contentType, ...(who?.client.cookie ? { cookie: who.client.cookie } : {}) },
  })
}

export async function photoCount(t: TestApp): Promise<number> {
  return Number((await t.handle.db.selectFrom('photo').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
}

/** A real photo-like image made by sharp (random pixels compress as badly as a busy photo). */
export async function sharpImage(format: 'jpeg' | 'png' | 'webp', width = 64, height = 48): Promise<Buffer> {
  const { randomBytes } = await import('node:crypto')
  const sharp = (await import('sharp')).default
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })[format]().toBuffer()
}
