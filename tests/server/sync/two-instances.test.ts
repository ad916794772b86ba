import type { Db, DbHandle } from '#server/db/database'
import type { Actor } from '#server/plugins/auth'
import type { MeetingScreen } from '#shared/meetings/schemas'
import type { OpResult } from '#shared/sync/protocol'
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { buildApp } from '#server/app'
import { hashPassword } from '#server/auth/password'
import { issueSetupToken } from '#server/auth/setup'
import { loadConfig } from '#server/config'
import { openDatabase } from '#server/db/database'
import { migrateToLatest } from '#server/db/migrate'
import { migrations } from '#server/db/migrations'
import { changesAfterByFilter } from '#server/sync/pull'
import { SESSION } from '#shared/constants'
import { codeForWindow, importMeetingKey, windowAt } from '#shared/meetings/token'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, TEST_PASSWORD_PARAMS } from '../helper'

/*
 * Issue 14 point 5: several server instances share one PostgreSQL behind any load balancer. Two
 * real servers (A and B, each with its own connection pool, listening on 127.0.0.1) and phones
 * whose every request goes to whichever instance comes next: counts stay exact, sessions, rate
 * limits and meeting keys hold across both. SQLite is one file for one process: PostgreSQL only.
 */
const onPg = Boolean(process.env.TEST_PG_URL)

interface Instance { app: FastifyInstance, handle: DbHandle, url: string }

let instances: Instance[] = []
let shared: Db
let drop: () => Promise<void>

async function startInstance(databaseUrl: string): Promise<Instance> {
  const handle = openDatabase(databaseUrl)
  const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: databaseUrl }), database: handle, passwordParams: TEST_PASSWORD_PARAMS })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, handle, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

interface Answer { status: number, body: any }

/** A phone over real HTTP: keeps its session cookie and sends the CSRF header, to whichever instance it is told. */
class Phone {
  cookie = ''
  deviceId = randomUUID()
  private opSeq = 0
  constructor(readonly name: string) {}

  async call(to: number, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${instances[to]!.url}${path}`, {
      method,
      headers: { [SESSION.csrfHeader]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const set = res.headers.getSetCookie().find(c => c.startsWith(`${SESSION.cookie}=`))
    if (set) {
      const value = set.slice(SESSION.cookie.length + 1).split(';')[0]!
      this.cookie = value ? `${SESSION.cookie}=${value}` : ''
    }
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
  }

  op(type: string, payload: unknown) {
    return { opId: randomUUID(), seq: ++this.opSeq, type, payload, clientTime: new Date().toISOString() }
  }

  async push(to: number, ops: unknown[]): Promise<OpResult[]> {
    const res = await this.call(to, 'POST', '/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId: this.deviceId, ops })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body.results as OpResult[]
  }
}

async function addMember(branchId: string, login: string, groupId: string | null, role: Actor['role'] = 'member') {
  const id = randomUUID()
  const now = new Date().toISOString()
  await shared.insertInto('member').values({ id, branch_id: branchId, group_id: groupId, name: login, login, phone: null, role, titles: '[]', password_hash: await hashPassword('member-pass-1', TEST_PASSWORD_PARAMS), active: 1, created_at: now, updated_at: now }).execute()
  return id
}

async function login(phone: Phone, to: number, login: string, password = 'member-pass-1'): Promise<Answer> {
  return phone.call(to, 'POST', '/api/auth/login', { login, password })
}

const count = async (table: 'point_entry' | 'sync_op') => Number((await shared.selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

let admin: Phone
let branchId: string
let volunteerRule: string
const groups: string[] = []

describe.skipIf(!onPg)('two server instances on one PostgreSQL (skipped on SQLite: set TEST_PG_URL to run it)', () => {
  beforeAll(async () => {
    const db = await freshDatabase()
    drop = db.drop
    // The test's own connection, for counts; the instances have one pool each, as two processes would.
    shared = db.handle.db
    instances = [await startInstance(db.url), await startInstance(db.url)]

    admin = new Phone('书记')
    const setup = await admin.call(0, 'POST', '/api/setup', { token: await issueSetupToken(shared), branchName: '测试支部', adminName: '书记', login: 'admin', password: 'admin-pass-1' })
    expect(setup.status).toBe(200)
    branchId = setup.body.branchId
    for (const name of ['第一党小组', '第二党小组']) {
      const res = await admin.call(1, 'POST', '/api/groups', { name })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      groups.push(res.body.id)
    }
    const rules = await admin.call(1, 'GET', '/api/points/rules')
    volunteerRule = (rules.body.rules as { id: string, key: string }[]).find(r => r.key === 'volunteer')!.id
  }, 60_000)

  afterAll(async () => {
    for (const i of instances) {
      await i.app.close()
      await i.handle.db.destroy()
    }
    await shared?.destroy()
    await drop?.()
  })

  it('a session made on A works on B, and a logout on A ends it on B (200, then 401)', async () => {
    await addMember(branchId, 'zhang', groups[0]!)
    const phone = new Phone('张')
    expect((await login(phone, 0, 'zhang')).status).toBe(200)
    expect((await phone.call(1, 'GET', '/api/auth/me')).body).toMatchObject({ name: 'zhang' })
    const cookie = phone.cookie
    expect((await phone.call(0, 'POST', '/api/auth/logout', {})).status).toBe(200)
    // The same cookie, kept by a phone (or a thief), on the other instance.
    phone.cookie = cookie
    expect((await phone.call(1, 'GET', '/api/auth/me')).status).toBe(401)
    expect((await phone.call(0, 'GET', '/api/auth/me')).status).toBe(401)
  })

  it('counts failed logins split between A and B against one limit (401 ×5, then 429 on either)', async () => {
    await addMember(branchId, 'wang', groups[0]!)
    const guesser = new Phone('猜密码')
    for (let i = 0; i < 5; i++)
      expect((await login(guesser, i % 2, 'wang', `wrong-${i}`)).status).toBe(401)
    for (const to of [0, 1]) {
      const refused = await login(guesser, to, 'wang', 'member-pass-1')
      expect(refused.status).toBe(429)
      expect(refused.body.code).toBe('RATE_LIMITED')
    }
  })

  it('a meeting\'s code from the key A handed out checks a member in on B (verified, once)', async () => {
    const memberId = await addMember(branchId, 'li', groups[1]!)
    const member = new Phone('李')
    expect((await login(member, 1, 'li')).status).toBe(200)
    const now = Date.now()
    const created = await admin.call(0, 'POST', '/api/meetings', { type: 'branch_assembly', groupId: null, topic: '支部党员大会', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), place: '三楼', agenda: '' })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const meetingId = created.body.id as string
    const screen = (await admin.call(0, 'GET', `/api/meetings/${meetingId}/screen`)).body as MeetingScreen
    const shown = await codeForWindow(await importMeetingKey(screen.key), meetingId, windowAt(Date.now()))
    const scan = member.op('checkin.create', { meetingId, token: shown.token, scannedAt: new Date().toISOString() })
    const [onB] = await member.push(1, [scan])
    expect(onB).toMatchObject({ status: 'applied' })
    const [again] = await member.push(0, [scan])
    expect(again).toMatchObject({ status: 'duplicate' })
    const rows = await shared.selectFrom('meeting_attendance').select(['status', 'method', 'flag']).where('meeting_id', '=', meetingId).where('member_id', '=', memberId).execute()
    // Verified on the spot: no organizer has to confirm it, as with a code signed by a key the server does not know.
    expect(rows).toEqual([{ status: 'verified', method: 'qr', flag: null }])
  })

  it('answers the same op pushed to A and B at once once: one applied, one duplicate, one entry', async () => {
    await addMember(branchId, 'zhao', groups[1]!)
    const phone = new Phone('赵')
    expect((await login(phone, 0, 'zhao')).status).toBe(200)
    const entries = await count('point_entry')
    for (let round = 0; round < 5; round++) {
      const same = phone.op('entry.create', { id: randomUUID(), ruleId: volunteerRule, date: new Date().toISOString().slice(0, 10), note: `第${round}次` })
      const [a, b] = await Promise.all([phone.push(0, [same]), phone.push(1, [same])])
      expect([a[0]!.status, b[0]!.status].sort()).toEqual(['applied', 'duplicate'])
    }
    expect(await count('point_entry')).toBe(entries + 5)
  })

  it('phones pushing and pulling through alternate instances apply every op once and pull every change once', async () => {
    const OPS = 24
    const people = await Promise.all(['chen', 'liu', 'yang', 'huang', 'zhou', 'wu'].map(async (name, i) => {
      const id = await addMember(branchId, name, groups[i % 2]!, i === 0 ? 'group_leader' : 'member')
      const phone = new Phone(name)
      expect((await login(phone, i % 2, name)).status).toBe(200)
      return { id, name, phone, groupId: groups[i % 2]!, role: (i === 0 ? 'group_leader' : 'member') as Actor['role'], made: [] as string[], pulled: [] as number[], cursor: '' }
    }))
    const before = { entries: await count('point_entry'), ops: await count('sync_op') }

    // Each phone: a batch of 3 ops to one instance, a small page of pull from the other, and so on,
    // all phones at once, so pulls on one instance run while the other commits.
    const pullPage = async (p: typeof people[number], to: number) => {
      const res = await p.phone.call(to, 'GET', `/api/sync/pull?since=${encodeURIComponent(p.cursor)}&limit=7`)
      expect(res.status).toBe(200)
      expect(res.body.reset).toBeUndefined()
      p.pulled.push(...(res.body.changes as { seq: number }[]).map(c => c.seq))
      p.cursor = res.body.cursor
      return res.body.hasMore as boolean
    }
    await Promise.all(people.map(async (p, i) => {
      for (let k = 0; k < OPS / 3; k++) {
        const batch = Array.from({ length: 3 }, () => {
          const id = randomUUID()
          p.made.push(id)
          return p.phone.op('entry.create', { id, ruleId: volunteerRule, date: new Date().toISOString().slice(0, 10), note: `${p.name} ${k}` })
        })
        const results = await p.phone.push((i + k) % 2, batch)
        expect(results.map(r => r.status)).toEqual(['applied', 'applied', 'applied'])
        await pullPage(p, (i + k + 1) % 2)
      }
    }))
    // Then each phone pulls what is left, still alternating, with the cursors the other instance made.
    await Promise.all(people.map(async (p) => {
      let to = 0
      while (await pullPage(p, to++ % 2));
    }))

    expect(await count('point_entry')).toBe(before.entries + people.length * OPS)
    expect(await count('sync_op')).toBe(before.ops + people.length * OPS)
    const head = (await shared.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq
    for (const p of people) {
      // Once each, in order, and exactly what the member may see of the whole log.
      expect(new Set(p.pulled).size).toBe(p.pulled.length)
      expect(p.pulled).toEqual([...p.pulled].sort((a, b) => a - b))
      const visible = await changesAfterByFilter(shared, { id: p.id, branchId, groupId: p.groupId, role: p.role }, 0, head, 100_000)
      expect(p.pulled).toEqual(visible.map(r => r.seq))
      // Every entry this phone made reached it back exactly once.
      const ownEntries = await shared.selectFrom('change_log').select(['entity_id']).where('entity', '=', 'point_entry').where('seq', 'in', p.pulled).where('member_id', '=', p.id).execute()
      expect(new Set(ownEntries.map(r => r.entity_id))).toEqual(new Set(p.made))
    }
  }, 120_000)
})

describe.skipIf(!onPg)('two instances starting at once on an empty PostgreSQL (skipped on SQLite)', () => {
  it('migrate it once between them: each migration applied by one of them, both then serve', async () => {
    // Not freshDatabase: its copies are migrated already.
    const name = `xf_test_race_${randomUUID().slice(0, 8)}`
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const url = new URL(process.env.TEST_PG_URL!)
    url.pathname = `/${name}`
    const handles = [openDatabase(url.toString()), openDatabase(url.toString())]
    try {
      // What startServer does first on each instance: Kysely's migrator holds a PostgreSQL advisory lock while it runs.
      const applied = await Promise.all(handles.map(h => migrateToLatest(h.db)))
      expect([...applied[0]!, ...applied[1]!].sort()).toEqual(Object.keys(migrations).sort())
      const recorded = await handles[0]!.db.selectFrom('kysely_migration' as never).select('name' as never).execute()
      expect(recorded).toHaveLength(Object.keys(migrations).length)
      expect(await migrateToLatest(handles[1]!.db)).toEqual([])
    }
    finally {
      for (const h of handles)
        await h.db.destroy()
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {})
      await admin.end()
    }
  }, 60_000)
})
