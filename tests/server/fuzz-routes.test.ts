import type { MatrixFixture, RouteCase } from './authz-matrix'
import type { Mutation } from './fuzz-inputs'
import type { TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { PushBody, SYNC_PROTOCOL } from '#shared/sync/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matrixFixture } from './authz-fixture'
import { MATRIX } from './authz-matrix'
import { FEATURE_MATRIX } from './authz-matrix-features'
import { bodyMutations, LEAKS, ODD_COOKIES, ODD_QUERY_VALUES, ODD_SEGMENTS, RAW_BODIES, sample, seeded, snapshot, storedNuls } from './fuzz-inputs'
import { buildTestApp } from './helper'

/* Every registered route × bad input (odd text, odd numbers, wrong types, missing and unknown
   fields, prototype keys, other branches' ids, odd path segments and query values, raw bodies),
   as the branch admin and as nobody: never a 5xx, never a stack, SQL or driver text in the
   answer, a refused request (4xx) changes no row of any table, and no NUL is stored anywhere.
   One branch for the file. */
/** Sampled requests per route (FUZZ_CASES=1000 sends every case, for a long run by hand). */
const PER_ROUTE = { admin: Number(process.env.FUZZ_CASES ?? 20), anonymous: 5 }
let t: TestApp
let f: MatrixFixture
const sent = { requests: 0, refused: 0 }
const problems: string[] = []
/** The tables as the last request left them: one snapshot per request, not two. */
let current: Record<string, string>

beforeAll(async () => {
  t = await buildTestApp()
  f = await matrixFixture(t)
})
afterAll(async () => {
  await t.close()
})

interface Request { what: string, method: string, url: string, payload?: string | Buffer, type?: string, always?: boolean }

function casesOf(route: string): RouteCase {
  const c = [...MATRIX, ...FEATURE_MATRIX].find(m => `${m.method} ${m.route}` === route)
  if (!c)
    throw new Error(`no matrix row for ${route}`)
  return c
}

/** The route's valid request, then every bad variant of its path, query and body. */
async function requestsFor(route: string, random: () => number): Promise<Request[]> {
  const c = casesOf(route)
  const prepared = c.prepare ? await c.prepare(f) : {}
  const url = c.url(f, prepared)
  const base = c.body?.(f, prepared)
  const isJson = base === undefined || !Buffer.isBuffer(base)
  const json = (payload: unknown) => (payload === undefined ? {} : { payload: JSON.stringify(payload), type: 'application/json' })
  const out: Request[] = []
  const schema = t.app.routeSchema(route) as Record<string, any> | undefined
  const otherIds = [f.otherMember.id, f.otherGroup, f.otherBranchId, f.otherAdmin.id, randomUUID()]

  // The push route reads its ops one by one (a bad op is rejected, not the batch): fuzz them by the op's own shape.
  const bodySchema = route === 'POST /api/sync/push' ? PushBody : schema?.body
  if (bodySchema && isJson) {
    // Each request gets a fresh valid body to spoil (new op ids, new names), so it is not stopped as a repeat.
    for (const m of bodyMutations(bodySchema, base, otherIds) as Mutation[])
      out.push({ what: `body ${m.what}`, method: c.method, url, ...json(m.apply(c.body!(f, prepared))), always: m.always })
  }
  for (const raw of RAW_BODIES) {
    if (c.method !== 'GET' && c.method !== 'DELETE')
      out.push({ what: `raw ${raw.what}`, method: c.method, url, payload: raw.payload, type: raw.type })
  }
  const [path, query = ''] = url.split('?')
  const segments = path!.split('/')
  route.split(' ')[1]!.split('/').forEach((part, i) => {
    if (part.startsWith(':')) {
      for (const odd of [...ODD_SEGMENTS, f.otherMember.id, f.otherGroup])
        out.push({ always: odd === 'a%00b', what: `param ${part}=${odd.slice(0, 20)}`, method: c.method, url: [...segments.slice(0, i), odd, ...segments.slice(i + 1)].join('/') + (query ? `?${query}` : ''), ...(isJson ? json(base) : { payload: base, type: 'application/octet-stream' }) })
    }
  })
  const params = new URLSearchParams(query)
  for (const key of [...Object.keys(schema?.querystring?.properties ?? {}), '__proto__[isAdmin]', 'constructor']) {
    for (const odd of ODD_QUERY_VALUES) {
      const rest = [...params].filter(([k]) => k !== key).map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      out.push({ always: odd === 'a%00b', what: `query ${key}=${odd.slice(0, 20)}`, method: c.method, url: `${path}?${[...rest, `${key}=${odd}`].join('&')}`, ...(isJson ? json(base) : { payload: base, type: 'application/octet-stream' }) })
    }
    out.push({ what: `query ${key} twice`, method: c.method, url: `${path}?${query}&${key}=1&${key}=2` })
  }
  return [...out.filter(r => r.always), ...sample(out.filter(r => !r.always), PER_ROUTE.admin, random)]
}

async function send(r: Request, cookie: string | undefined) {
  const res = await t.app.inject({
    method: r.method as 'GET',
    url: r.url,
    ...(r.payload !== undefined ? { payload: r.payload } : {}),
    headers: { 'x-xianfeng': '1', ...(cookie ? { cookie } : {}), ...(r.type ? { 'content-type': r.type } : {}) },
  })
  sent.requests++
  const where = `${r.method} ${r.url.slice(0, 120)} (${r.what}) → ${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode >= 500)
    problems.push(`5xx: ${where}`)
  if (LEAKS.test(res.body))
    problems.push(`leak: ${where}`)
  const after = await snapshot(t.handle)
  if (res.statusCode >= 400) {
    sent.refused++
    const changed = Object.keys(after).filter(k => after[k] !== current[k])
    if (changed.length)
      problems.push(`changed ${changed.join(', ')}: ${where}`)
  }
  current = after
  return res
}

describe('fuzzing every route with bad input', () => {
  it('should answer every bad request to every route below 500, without a stack or SQL, changing nothing when it refuses and storing no NUL (4xx)', async () => {
    const started = Date.now()
    const routes = t.app.routeList()
    // Logging out ends the admin's session: that route is fuzzed anonymously only.
    for (const route of routes) {
      const random = seeded([...route].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7))
      const requests = await requestsFor(route, random)
      current = await snapshot(t.handle)
      const asAdmin = route === 'POST /api/auth/logout' ? [] : requests
      for (const r of asAdmin)
        await send(r, f.admin.client.cookie)
      for (const [i, r] of sample(requests, PER_ROUTE.anonymous, random).entries())
        await send(r, ODD_COOKIES[i % ODD_COOKIES.length])
    }
    expect(problems).toEqual([])
    // Nothing the fuzz sent left a NUL anywhere (on SQLite, which would have stored it).
    expect(await storedNuls(t.handle)).toEqual([])
    // The admin is still logged in and the branch still answers: nothing above broke it.
    expect((await f.admin.client.get('/api/auth/me')).statusCode).toBe(200)
    console.info(`fuzz: ${sent.requests} requests over ${routes.length} routes, ${sent.refused} refused, ${Date.now() - started} ms`)
  }, process.env.FUZZ_CASES ? 3_600_000 : 120_000)

  it('should reject each op with a NUL or control character in its payload, or a sequence past PostgreSQL\'s integer, and still answer the batch (200 rejected OP_INVALID_PAYLOAD, OP_MALFORMED)', async () => {
    const rule = await t.handle.db.selectFrom('point_rule').select('id').where('branch_id', '=', f.branchId).where('key', '=', 'volunteer').executeTakeFirstOrThrow()
    const today = new Date().toISOString().slice(0, 10)
    const ops = [
      ['entry.create', { id: randomUUID(), ruleId: rule.id, date: today, note: '进社区\u0000宣传' }],
      ['entry.create', { id: randomUUID(), ruleId: `${rule.id}\u0000`, date: today, note: '' }],
      ['meeting.leave', { meetingId: f.meetingId, reason: '出差\u0000' }],
      ['pledge.progress', { id: randomUUID(), itemId: randomUUID(), status: 'doing', percent: 10, note: 'a\uD800b' }],
      ['checkin.create', { meetingId: f.meetingId, token: 'x\u0000', scannedAt: new Date().toISOString() }],
      ['profile.update', { phone: '138\u00000000' }],
    ] as const
    const before = await snapshot(t.handle)
    const op = (type: string, payload: unknown, seq: number) => ({ opId: randomUUID(), seq, type, payload, clientTime: new Date().toISOString() })
    const body = { protocol: SYNC_PROTOCOL, deviceId: randomUUID(), ops: [...ops.map(([type, payload], i) => op(type, payload, i + 1)), op('profile.update', { phone: null }, 2 ** 31), op('profile\u0000.update', { phone: null }, 9)] }
    const res = await f.member.client.post('/api/sync/push', body)
    expect(res.statusCode).toBe(200)
    const results = res.json().results as { status: string, code: string, message: string }[]
    expect(results.map(r => [r.status, r.code])).toEqual([...ops.map(() => ['rejected', 'OP_INVALID_PAYLOAD']), ['rejected', 'OP_MALFORMED'], ['rejected', 'OP_MALFORMED']])
    for (const r of results)
      expect(r.message).not.toMatch(LEAKS)
    const after = await snapshot(t.handle)
    // Only the record of the refused ops (sync_op, for a repeated push) may change.
    expect({ ...after, sync_op: '' }).toEqual({ ...before, sync_op: '' })
  })

  it('should refuse a NUL in a name or login name saying which field holds characters that are not allowed (400)', async () => {
    const res = await f.admin.client.post('/api/groups', { name: '第三\u0000党小组' })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/body\/name.*不允许的字符.*not allowed/)
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'admin\u0000', password: 'x' }, headers: { 'x-xianfeng': '1' } })
    expect(login.statusCode).toBe(400)
    expect(login.json().message).toMatch(/body\/login/)
  })
})
