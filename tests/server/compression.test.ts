import type { Client, TestApp } from './helper'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { COMPRESS_THRESHOLD } from '#server/plugins/compression'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from './helper'

/* Issue 17 point 5: API answers go out compressed (brotli, else gzip) when the phone accepts it and
   they are worth it; plain for a client that does not ask, and never for what is compressed already. */
let t: TestApp
let admin: Client
const year = new Date().getFullYear()

beforeAll(async () => {
  t = await buildTestApp()
  admin = (await setUpBranch(t.app, t.handle)).admin
  // A branch with some people in it, so a new phone's first pull is several KB of JSON.
  for (let i = 0; i < 40; i++)
    expect((await admin.post('/api/members', { name: `党员${i}`, login: `member${i}`, role: 'member', groupId: null })).statusCode).toBe(200)
})
afterAll(() => t.close())

function get(url: string, encoding?: string) {
  return t.app.inject({
    method: 'GET',
    url,
    headers: { 'cookie': admin.cookie, 'x-xianfeng': '1', ...(encoding ? { 'accept-encoding': encoding } : {}) },
  })
}

describe('compressed answers', () => {
  it('should send a large pull as brotli or gzip as the phone accepts, and the same JSON plain when it does not ask', async () => {
    const plain = await get('/api/sync/pull?since=')
    expect(plain.statusCode).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const json = plain.json()
    expect(json.changes.length).toBeGreaterThan(10)
    expect(plain.rawPayload.length).toBeGreaterThan(4 * COMPRESS_THRESHOLD)

    const br = await get('/api/sync/pull?since=', 'gzip, deflate, br')
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(json)
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3)

    const gz = await get('/api/sync/pull?since=', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(json)

    const identity = await get('/api/sync/pull?since=', 'identity')
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(identity.json()).toEqual(json)
  })

  it('should leave a small answer as it is', async () => {
    const res = await get('/api/auth/me', 'br')
    expect(res.statusCode).toBe(200)
    expect(res.rawPayload.length).toBeLessThan(COMPRESS_THRESHOLD)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.json().role).toBe('branch_admin')
  })

  it('should stream an .xlsx export as it is, already a zip, even to a phone that accepts brotli', async () => {
    const res = await get(`/api/points/sheet.xlsx?scope=branch&period=year&year=${year}`, 'br')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(book.getWorksheet('汇总')!.rowCount).toBe(42)
  })

  it('should compress an error answer only when it is large, and keep its JSON', async () => {
    const res = await get('/api/no-such-route', 'br')
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.json()).toMatchObject({ statusCode: 404 })
  })
})
