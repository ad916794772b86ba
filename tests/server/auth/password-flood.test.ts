import type { DbHandle } from '#server/db/database'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { randomUUID } from 'node:crypto'
import { buildApp } from '#server/app'
import { HASH_QUEUE, HASH_SLOTS, PASSWORD_PARAMS, passwordHashStats } from '#server/auth/password'
import { issueSetupToken } from '#server/auth/setup'
import { loadConfig } from '#server/config'
import { addMs, nowIso } from '#server/util/clock'
import { hashToken, newToken } from '#server/util/ids'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../helper'

/* The production scrypt parameters (128 MiB per hash), on purpose: what is measured is memory. */

const MiB = 2 ** 20
let app: FastifyInstance
let handle: DbHandle
let drop: () => Promise<void>
beforeAll(async () => {
  ({ handle, drop } = await freshDatabase())
  app = await buildApp({ config: loadConfig({ PORT: '0' }), database: handle, passwordParams: PASSWORD_PARAMS })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await drop()
})

const post = (url: string, payload: object, remoteAddress: string) => app.inject({ method: 'POST', url, payload, remoteAddress, headers: { 'x-xianfeng': '1' } })

/** Runs `burst` while sampling RSS; returns the answers, the hashes it cost and how far RSS rose above where it started. */
async function measure(burst: () => Promise<LightMyRequestResponse[]>) {
  const hashesBefore = passwordHashStats().hashes
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => peak = Math.max(peak, process.memoryUsage().rss), 5)
  const answers = await burst()
  clearInterval(sampler)
  return { statuses: answers.map(a => a.statusCode), answers, hashes: passwordHashStats().hashes - hashesBefore, growthMiB: (peak - before) / MiB }
}
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)))

async function addInvitedMembers(n: number): Promise<string[]> {
  const branchId = randomUUID()
  const now = nowIso()
  await handle.db.insertInto('branch').values({ id: branchId, name: '测试支部', upper_org_id: null, settings: '{}', created_at: now }).execute()
  return times(n, async (i) => {
    const id = randomUUID()
    const token = newToken()
    await handle.db.insertInto('member').values({ id, branch_id: branchId, group_id: null, name: `党员${i}`, login: `flood${i}`, phone: null, role: 'member', titles: '[]', password_hash: null, active: 1, created_at: now, updated_at: now }).execute()
    await handle.db.insertInto('invite').values({ token_hash: hashToken(token), member_id: id, created_by: null, created_at: now, expires_at: addMs(86_400_000), used_at: null }).execute()
    return token
  })
}

describe('a flood of setup and invite requests', () => {
  it('should hash no password at all for 16 concurrent requests with bad tokens', async () => {
    await issueSetupToken(handle.db)
    const setup = await measure(() => times(16, i => post('/api/setup', { token: 'x'.repeat(43), branchName: '支部', adminName: '甲', login: `x${i}`, password: 'password-1' }, '203.0.113.1')))
    const invite = await measure(() => times(16, () => post(`/api/invites/${'y'.repeat(43)}/accept`, { password: 'password-1' }, '203.0.113.2')))
    console.info(`bad tokens ×16: setup RSS +${setup.growthMiB.toFixed(0)} MiB, invites +${invite.growthMiB.toFixed(0)} MiB`)
    expect(new Set(setup.statuses)).toEqual(new Set([400]))
    expect(new Set(invite.statuses)).toEqual(new Set([404]))
    expect(setup.hashes + invite.hashes).toBe(0)
    expect(setup.growthMiB).toBeLessThan(64)
    expect(invite.growthMiB).toBeLessThan(64)
  })

  it('should hash once for 16 concurrent setups with the one valid token, and create one admin', async () => {
    const token = await issueSetupToken(handle.db)
    const res = await measure(() => times(16, i => post('/api/setup', { token, branchName: '支部', adminName: '甲', login: `admin${i}`, password: 'password-1' }, '198.51.100.1')))
    console.info(`valid setup token ×16: RSS +${res.growthMiB.toFixed(0)} MiB, ${res.hashes} hash(es)`)
    expect(res.statuses.filter(s => s === 200)).toHaveLength(1)
    expect(res.hashes).toBe(1)
    expect(res.growthMiB).toBeLessThan(200)
    expect(await handle.db.selectFrom('member').select('id').where('role', '=', 'branch_admin').execute()).toHaveLength(1)
  })

  it(`should run at most ${HASH_SLOTS} hashes at once, turn the overflow away with 503 and Retry-After, and let those retry`, async () => {
    const tokens = await addInvitedMembers(16)
    const res = await measure(() => times(16, i => post(`/api/invites/${tokens[i]}/accept`, { password: `password-${i}` }, `198.51.100.${10 + i}`)))
    console.info(`valid invites ×16: RSS +${res.growthMiB.toFixed(0)} MiB, ${res.hashes} hashes, answers ${res.statuses.join(',')}`)
    expect(passwordHashStats().peakRunning).toBeLessThanOrEqual(HASH_SLOTS)
    expect(res.statuses.filter(s => s === 200)).toHaveLength(HASH_SLOTS + HASH_QUEUE)
    expect(res.hashes).toBe(HASH_SLOTS + HASH_QUEUE)
    const busy = res.answers.filter(a => a.statusCode === 503)
    expect(busy).toHaveLength(16 - HASH_SLOTS - HASH_QUEUE)
    expect(busy[0]!.json().message).toMatch(/服务器正忙/)
    expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThan(0)
    // Two hashes of 128 MiB at a time; unbounded, libuv's four threads held 512 MiB.
    expect(res.growthMiB).toBeLessThan(2.5 * 128)
    // A refused member's link was not spent: they try again and get in.
    const retry = res.statuses.indexOf(503)
    expect((await post(`/api/invites/${tokens[retry]}/accept`, { password: 'password-again' }, '198.51.100.99')).statusCode).toBe(200)
  })

  it('should refuse an address with 429 after 20 bad links in 15 minutes, without hashing', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 21; i++)
      statuses.push((await app.inject({ method: 'GET', url: `/api/invites/${'z'.repeat(42)}${i % 10}`, remoteAddress: '203.0.113.3' })).statusCode)
    expect(statuses.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 404))
    const refused = await post(`/api/invites/${'z'.repeat(43)}/accept`, { password: 'password-1' }, '203.0.113.3')
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBeTruthy()
    expect(refused.json().message).toMatch(/无效链接/)
  })
})
