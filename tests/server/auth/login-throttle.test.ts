import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { buildApp } from '#server/app'
import { loadConfig } from '#server/config'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, Client, TEST_PASSWORD_PARAMS } from '../helper'
import { MEMBER_PASSWORD, orgFixture } from '../org-helper'

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

const ATTACKER = '203.0.113.66'
const OWNER = '198.51.100.7'
function from(address: string) {
  const client = new Client(t.app)
  client.remoteAddress = address
  return client
}
const login = (client: Client, password: string, name = 'member1') => client.post('/api/auth/login', { login: name, password })

/** Makes every recorded failure look `ms` older, as if the attacker had waited that long. */
const age = (ms: number) => t.handle.db.updateTable('login_failure').set(eb => ({ last_failed_at: eb('last_failed_at', '-', ms) })).execute()

describe('a stranger hammering someone\'s account', () => {
  it('should not lock the owner out: the right password from the owner\'s own address still logs in (200)', async () => {
    const attacker = from(ATTACKER)
    const answers: number[] = []
    for (let i = 0; i < 20; i++)
      answers.push((await login(attacker, `guess-${i}-pass`)).statusCode)
    // Five guesses are answered; after that the attacker's address waits, without a password being checked.
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(new Set(answers.slice(5))).toEqual(new Set([429]))
    expect((await login(from(OWNER), MEMBER_PASSWORD)).statusCode).toBe(200)
  })

  it('should make the attacker wait longer after each further failure, up to 15 minutes, with Retry-After and the wait in words', async () => {
    const attacker = from(ATTACKER)
    for (let i = 0; i < 5; i++)
      await login(attacker, `guess-${i}-pass`)
    const first = await login(attacker, MEMBER_PASSWORD)
    expect(first.statusCode).toBe(429)
    expect(first.json().code).toBe('RATE_LIMITED')
    expect(first.json().message).toMatch(/请 \d+ 秒后再试 .*try again in \d+ seconds/)
    const waits = [Number(first.headers['retry-after'])]
    for (let i = 0; i < 8; i++) {
      await age(16 * 60_000)
      expect((await login(attacker, `again-${i}-pass`)).statusCode).toBe(401)
      waits.push(Number((await login(attacker, MEMBER_PASSWORD)).headers['retry-after']))
    }
    expect(waits.slice(0, 4)).toEqual([15, 30, 60, 120])
    expect(Math.max(...waits)).toBe(15 * 60)
    expect((await login(attacker, MEMBER_PASSWORD)).json().message).toMatch(/请 15 分钟后再试/)
  })

  it('should refuse one address after 50 failures over any accounts, and only that address', async () => {
    const sprayer = from(ATTACKER)
    for (let i = 0; i < 50; i++)
      expect((await login(sprayer, 'password-123', `someone${i}`)).statusCode).toBe(401)
    const res = await login(sprayer, MEMBER_PASSWORD)
    expect(res.statusCode).toBe(429)
    expect(res.json().message).toMatch(/此网络地址登录失败次数过多/)
    expect((await login(from(OWNER), MEMBER_PASSWORD)).statusCode).toBe(200)
  })

  it('should keep no login names or addresses in the throttling tables, only hashes and times', async () => {
    await login(from(ATTACKER), 'guess-0-pass')
    const rows = JSON.stringify([
      ...await t.handle.db.selectFrom('login_failure').selectAll().execute(),
      ...await t.handle.db.selectFrom('rate_limit').selectAll().execute(),
    ])
    expect(rows).not.toContain('member1')
    expect(rows).not.toContain(ATTACKER)
    expect(rows).toMatch(/last_failed_at/)
  })
})

describe('members logging in normally', () => {
  it('should never throttle successful logins from one shared address (a branch behind one NAT)', async () => {
    const nat = from(OWNER)
    for (let i = 0; i < 60; i++)
      expect((await login(nat, MEMBER_PASSWORD, ['member1', 'member2', 'leader1'][i % 3])).statusCode).toBe(200)
  })

  it('should forget a member\'s own typos once they log in', async () => {
    const phone = from(OWNER)
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        expect((await login(phone, `typo-${i}-pass`)).statusCode).toBe(401)
      expect((await login(phone, MEMBER_PASSWORD)).statusCode).toBe(200)
    }
  })

  it('should slow down guessing of the current password on a logged-in phone too (429)', async () => {
    for (let i = 0; i < 5; i++)
      expect((await f.member.client.post('/api/auth/password', { currentPassword: `guess-${i}-pass`, newPassword: 'brand-new-pass' })).statusCode).toBe(400)
    const res = await f.member.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: 'brand-new-pass' })
    expect(res.statusCode).toBe(429)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  })
})

describe('behind a reverse proxy (TRUST_PROXY=true)', () => {
  it('should throttle the address the proxy saw, not one a client wrote into X-Forwarded-For', async () => {
    const app = await buildApp({ config: loadConfig({ PORT: '0', TRUST_PROXY: 'true' }), database: t.handle, passwordParams: TEST_PASSWORD_PARAMS })
    const viaProxy = (clientAddress: string, password: string, claimed = OWNER) => app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-xianfeng': '1', 'x-forwarded-for': `${claimed}, ${clientAddress}` },
      payload: { login: 'member1', password },
    })
    for (let i = 0; i < 6; i++)
      await viaProxy(ATTACKER, `guess-${i}-pass`, `10.0.0.${i}`)
    expect((await viaProxy(ATTACKER, MEMBER_PASSWORD, '10.9.9.9')).statusCode).toBe(429)
    // The attacker claimed to be the owner in every request; the owner is not slowed.
    expect((await viaProxy(OWNER, MEMBER_PASSWORD)).statusCode).toBe(200)
    await app.close()
  })
})
