import type { BackupHeader } from '#server/backup/format'
import type { DbHandle, DbKind } from '#server/db/database'
import type { PointsBranch } from './points-helper'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { buildApp } from '#server/app'
import { issueSetupToken } from '#server/auth/setup'
import { compatible, decodeValue, encodeValue, validValue } from '#server/backup/format'
import { restoreBackup } from '#server/backup/restore'
import { appliedMigration, DERIVED_TABLES } from '#server/backup/schema'
import { writeBackup } from '#server/backup/snapshot'
import { loadConfig } from '#server/config'
import { openDatabase } from '#server/db/database'
import { migrateToLatest } from '#server/db/migrate'
import { migrations } from '#server/db/migrations'
import { Migrator, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, TEST_PASSWORD_PARAMS } from './helper'
import { createMeeting, screenCode } from './meeting-helper'
import { pngBytes, upload } from './photo-helper'
import { publishedPledge } from './pledge-helper'
import { approve, logEntry, pointsBranch, ruleId, today } from './points-helper'
import { op, push } from './sync-helper'
import { addUpperAdmin } from './upper-helper'

const pgUrl = process.env.TEST_PG_URL
const dir = mkdtempSync(join(tmpdir(), 'xf-backup-'))
const LATEST = Object.keys(migrations).sort().at(-1)!
const drops: (() => Promise<void>)[] = []

/** A database never migrated nor started: restore has to migrate it itself. */
async function emptyDatabase(kind: DbKind): Promise<DbHandle & { url: string }> {
  const name = `xf_test_${randomBytes(6).toString('hex')}`
  let url = `sqlite:${join(dir, `${name}.db`)}`
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const u = new URL(pgUrl!)
    u.pathname = `/${name}`
    url = u.toString()
  }
  const handle = openDatabase(url)
  drops.push(async () => {
    await handle.db.destroy()
    if (kind === 'postgres') {
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {})
      await admin.end()
    }
  })
  return { ...handle, url }
}

/** A second connection to the same database, as `npm run backup` would open beside the server. */
async function secondHandle(handle: DbHandle): Promise<DbHandle> {
  if (handle.kind === 'sqlite') {
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(handle.db)
    return openDatabase(`sqlite:${rows[0]!.file}`)
  }
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db)
  const u = new URL(pgUrl!)
  u.pathname = `/${rows[0]!.name}`
  return openDatabase(u.toString())
}

/** The app's tables as the database lists them (not as the backup code does). */
async function tableNames(handle: DbHandle): Promise<string[]> {
  const { rows } = handle.kind === 'sqlite'
    ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite%'`.execute(handle.db)
    : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(handle.db)
  return rows.map(r => r.name).filter(n => !n.startsWith('kysely_')).sort()
}

/** Every row of every table as sorted JSON (bytes as base64), comparable across SQLite and PostgreSQL. */
async function contents(handle: DbHandle): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const table of await tableNames(handle)) {
    const rows = await handle.db.selectFrom(table as 'member').selectAll().execute() as Record<string, unknown>[]
    out[table] = rows.map(row => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v]))).sort()
  }
  return out
}

function ok<R extends { statusCode: number, body: string }>(res: R): R {
  if (res.statusCode >= 300 || /"status":"rejected"/.test(res.body))
    throw new Error(`seed step failed: ${res.statusCode} ${res.body}`)
  return res
}

/** A branch's year through the real app: entries with photos and reviews, a veto, a meeting with check-ins, a pledge with progress and feedback. */
async function seed(b: PointsBranch) {
  const { t, admin, lee, amy, ben, cat } = b
  const photo = randomUUID()
  ok(await upload(t, amy, photo, pngBytes(16, 16, [10, 120, 200])))
  const entry = randomUUID()
  ok(await push(amy.client, [op('entry.create', { id: entry, ruleId: await ruleId(t, 'volunteer'), date: today(), note: '进社区宣传', photoIds: [photo] })]))
  await approve(lee, entry)
  await approve(b.admin, entry)
  await logEntry(t, ben, 'volunteer', { note: '待审核' })
  const year = Number(today().slice(0, 4))
  ok(await admin.client.post('/api/points/vetoes', { memberId: cat.id, year, decision: '支委会决定 3 号', decidedOn: today(), reason: '受党内警告处分' }))
  ok(await admin.client.request('PUT', `/api/points/base/${year}`, { baseScore: 70 }))
  const meeting = await createMeeting(admin.client)
  const shown = await screenCode(admin.client, meeting)
  ok(await push(amy.client, [op('checkin.create', { meetingId: meeting, token: shown.token, scannedAt: new Date().toISOString() })]))
  // Amy's phone fetches her own check-in key (出示我的签到码).
  ok(await amy.client.get('/api/checkin/keys'))
  ok(await admin.client.post(`/api/meetings/${meeting}/close`))
  const pledge = await publishedPledge(amy, admin.client)
  ok(await push(amy.client, [op('pledge.progress', { id: randomUUID(), itemId: pledge.items[0]!.id, status: 'in_progress', percent: 40, note: '已完成 80 份报告' })]))
  const { slug } = ok(await admin.client.get('/api/pledges/board-link')).json() as { slug: string }
  ok(await new Client(t.app).post(`/api/board/${slug}/feedback`, { pledgeId: pledge.id, name: '群众', text: '服务很热情' }))
  ok(await admin.client.post(`/api/members/${cat.id}/invite`))
  await new Client(t.app).post('/api/auth/login', { login: 'amy', password: 'not-her-password' })
  ok(await amy.client.get('/api/sync/pull'))
  // An upper organization over the branch, as npm run upper-admin makes it, its admin logged in (upper_session).
  await addUpperAdmin(t.app, t.handle, '机关工委', 'jggw', [b.branchId])
  await seedCampaign(b, meeting)
  // A full-size photo: its line in the file spans several read chunks.
  const bytes = randomBytes(900_000)
  await t.handle.db.insertInto('photo').values({ id: randomUUID(), branch_id: b.branchId, member_id: amy.id, mime: 'image/jpeg', size: bytes.length, bytes, sha256: 'unchecked', owner_entity: null, owner_id: null, created_at: new Date().toISOString() }).execute()
}

/**
 * 讲评, 民主评议 and 表彰 rows, inserted directly until their screens seed them through the app:
 * the backup must carry every table, and these tables' rows (a JSON column, a composite key, an
 * anonymous ballot keyed by a hash) are what a restore could get wrong.
 */
async function seedCampaign(b: PointsBranch, meetingId: string) {
  const { t, admin, amy, ben } = b
  const db = t.handle.db
  const at = new Date().toISOString()
  const year = Number(today().slice(0, 4))
  const session = randomUUID()
  await db.insertInto('review_session').values({ id: session, branch_id: b.branchId, group_id: null, meeting_id: meetingId, title: '上半年讲评', period: `${year}-H1`, period_from: `${year}-01-01`, period_to: `${year}-06-30`, status: 'closed', guest_cap: 5, guest_code: 'g7Hk2P', created_by: admin.id, opened_at: at, rating_opened_at: at, closed_at: at, closed_by: admin.id, created_at: at, updated_at: at }).execute()
  await db.insertInto('review_statement').values({ id: randomUUID(), session_id: session, branch_id: b.branchId, member_id: amy.id, participation: '参加了全部组织生活', pledges: '承诺已兑现', improvement: '加强学习', created_at: at, updated_at: at }).execute()
  const guest = randomUUID()
  await db.insertInto('review_guest').values({ id: guest, session_id: session, branch_id: b.branchId, device_hash: 'ab'.repeat(32), name: '王师傅', relation: 'served', created_at: at }).execute()
  const ballot = randomUUID()
  await db.insertInto('review_ballot').values({ id: ballot, session_id: session, branch_id: b.branchId, rater_kind: 'guest', rater_member_id: null, guest_id: guest, created_at: at, updated_at: at }).execute()
  await db.insertInto('review_rating').values({ ballot_id: ballot, session_id: session, branch_id: b.branchId, ratee_id: amy.id, rater_kind: 'guest', study: 4, excel: 3, serve: 4, discipline: 4, uphold: 2, comment: '服务热情', comment_status: 'pending' }).execute()
  const groupReview = randomUUID()
  await db.insertInto('group_review').values({ id: groupReview, branch_id: b.branchId, period: `${year}-H1`, period_from: `${year}-01-01`, period_to: `${year}-06-30`, status: 'closed', created_by: admin.id, closed_at: at, closed_by: admin.id, created_at: at, updated_at: at }).execute()
  await db.insertInto('group_review_rater').values({ review_id: groupReview, member_id: b.lee.id, invited_by: admin.id, created_at: at }).execute()
  await db.insertInto('group_review_rating').values({ review_id: groupReview, branch_id: b.branchId, rater_id: admin.id, group_id: b.groupA, leadership: 4, members: 3, mechanism: 4, results: 4, masses: 3, comment: '组织生活规范', updated_at: at }).execute()
  const appraisal = randomUUID()
  await db.insertInto('appraisal').values({ id: appraisal, branch_id: b.branchId, year, status: 'counted', scope: 'branch', starts_on: `${year}-12-01`, ends_on: `${year}-12-31`, excellent_num: 1, excellent_den: 3, created_by: admin.id, ballot_opened_at: at, ballot_closed_at: at, decided_at: null, created_at: at, updated_at: at }).execute()
  await db.insertInto('appraisal_summary').values({ id: randomUUID(), appraisal_id: appraisal, branch_id: b.branchId, member_id: amy.id, text: '一年来……', created_at: at, updated_at: at }).execute()
  await db.insertInto('appraisal_voter').values({ appraisal_id: appraisal, member_id: ben.id }).execute()
  await db.insertInto('appraisal_ballot').values({ secret_hash: 'cd'.repeat(32), appraisal_id: appraisal, branch_id: b.branchId, grades: JSON.stringify({ [amy.id]: 'excellent' }) }).execute()
  await db.insertInto('appraisal_result').values({ appraisal_id: appraisal, member_id: amy.id, branch_id: b.branchId, excellent: 3, qualified: 1, basic: 0, unqualified: 0, final_grade: 'excellent', reason: '', decided_by: admin.id, decided_at: at }).execute()
  const round = randomUUID()
  await db.insertInto('commendation_round').values({ id: round, branch_id: b.branchId, kind: 'july1', year, title: '七一表彰', status: 'publicity', weights: JSON.stringify({ points: 50, review: 20, pledges: 15, appraisal: 15 }), publicity_days: 5, published_at: at, decided_at: null, created_by: admin.id, created_at: at, updated_at: at }).execute()
  const title = randomUUID()
  await db.insertInto('commendation_title').values({ id: title, round_id: round, branch_id: b.branchId, name: '优秀共产党员', target: 'member', quota: 2, sort: 0 }).execute()
  const nominee = randomUUID()
  await db.insertInto('commendation_nominee').values({ id: nominee, round_id: round, title_id: title, branch_id: b.branchId, member_id: amy.id, group_id: null, citation: '带头服务群众', status: 'nominated', nominated_by: admin.id, points_entry_id: null, decided_by: null, decided_at: null, created_at: at, updated_at: at }).execute()
  await db.insertInto('commendation_feedback').values({ id: randomUUID(), nominee_id: nominee, round_id: round, branch_id: b.branchId, name: '群众', text: '名副其实', status: 'approved', created_at: at, moderated_by: admin.id, moderated_at: at }).execute()
  // 支部争先: an upper organization's assessment of the branch (its admins' ids are not members').
  const upperOrg = randomUUID()
  await db.insertInto('upper_org').values({ id: upperOrg, name: '市直机关工委', created_at: at }).execute()
  const assessment = randomUUID()
  await db.insertInto('branch_assessment').values({ id: assessment, upper_org_id: upperOrg, title: '上半年支部争先', period: `${year}-H1`, status: 'closed', created_by: 'upper-admin', created_at: at, closed_by: 'upper-admin', closed_at: at }).execute()
  await db.insertInto('branch_assessment_rating').values({ assessment_id: assessment, branch_id: b.branchId, scores: JSON.stringify({ leadership: 4, members: 4, mechanism: 3, results: 4, masses: 3 }), comment: '班子团结', rated_by: 'upper-admin', updated_at: at }).execute()
}

let b: PointsBranch
let file: string
let header: BackupHeader
/** The source's rows when the backup was taken (later tests write more). */
let seeded: Record<string, string[]>
beforeAll(async () => {
  b = await pointsBranch()
  await seed(b)
  file = join(dir, 'seeded.jsonl.gz')
  header = (await writeBackup(b.t.handle, file)).header
  seeded = await contents(b.t.handle)
})
afterAll(async () => {
  await b.t.close()
  for (const drop of drops)
    await drop()
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run backup', () => {
  it('should cover every table of the migrated schema but the derived ones, each with rows in the seeded data, counted in the header', async () => {
    const all = await tableNames(b.t.handle)
    expect(all).toEqual(expect.arrayContaining([...DERIVED_TABLES]))
    const tables = all.filter(n => !DERIVED_TABLES.includes(n))
    expect(header.tables.map(t => t.name).sort()).toEqual(tables)
    expect(header.tables.filter(t => t.rows === 0).map(t => t.name)).toEqual([])
    expect(Object.fromEntries(header.tables.map(t => [t.name, t.rows]))).toEqual(Object.fromEntries(tables.map(t => [t, seeded[t]!.length])))
    expect(header).toMatchObject({ format: 'xianfeng-backup', version: 1, migration: LATEST })
  })

  it('should take one consistent snapshot while members keep logging entries', async () => {
    const beside = await secondHandle(b.t.handle)
    const counter = async () => (await b.t.handle.db.selectFrom('sync_counter').select('seq').executeTakeFirstOrThrow()).seq
    const before = await counter()
    const stop = new AbortController()
    const writes = (async () => {
      while (!stop.signal.aborted)
        await logEntry(b.t, b.amy, 'volunteer', { note: '备份期间' })
    })()
    await new Promise(resolve => setTimeout(resolve, 50))
    const during = join(dir, 'during.jsonl.gz')
    try {
      await writeBackup(beside, during)
    }
    finally {
      stop.abort()
      await writes
      await beside.db.destroy()
    }

    const lines = gunzipSync(readFileSync(during)).toString('utf8').trim().split('\n').map(l => JSON.parse(l))
    const rows = (t: string) => lines.slice(1).filter(l => l.t === t).map(l => l.r as unknown[])
    const seqs = rows('change_log').map(r => r[0] as number)
    const snapshotSeq = rows('sync_counter')[0]![1] as number
    expect(snapshotSeq).toBe(Math.max(...seqs))
    expect(seqs).toHaveLength((lines[0] as BackupHeader).tables.find(t => t.name === 'change_log')!.rows)
    // Writes committed both before and after the snapshot was taken: it was taken among them.
    expect(snapshotSeq).toBeGreaterThan(before)
    expect(await counter()).toBeGreaterThan(snapshotSeq)
  })
})

describe('values across databases', () => {
  it('should carry booleans, timestamps, numbers and bytes by column type, whichever database reads them back', () => {
    // PostgreSQL answers true and Date objects where SQLite answers 1 and ISO text; bigint arrives as a number (database.ts).
    expect([encodeValue(true, 'boolean'), encodeValue(1, 'boolean'), encodeValue(new Date(0), 'timestamp'), encodeValue('7', 'integer')]).toEqual([true, true, '1970-01-01T00:00:00.000Z', 7])
    expect([decodeValue(true, 'boolean', 'integer'), decodeValue(0, 'integer', 'boolean'), decodeValue('1970-01-01T00:00:00.000Z', 'timestamp', 'text')]).toEqual([1, false, '1970-01-01T00:00:00.000Z'])
    expect(decodeValue(encodeValue(Buffer.from([0, 255, 7]), 'blob'), 'blob', 'blob')).toEqual(Buffer.from([0, 255, 7]))
    expect([compatible('integer', 'boolean'), compatible('text', 'integer'), compatible('blob', 'text')]).toEqual([true, false, false])
    expect([validValue(1.5, 'integer'), validValue('1', 'integer'), validValue('not a time', 'timestamp'), validValue(null, 'text')]).toEqual([false, false, false, true])
  })
})

describe('npm run restore', () => {
  it('should restore every row into an empty database, and the app goes on writing after the restored counter', async () => {
    const target = await emptyDatabase(b.t.handle.kind)
    const { rows, migrated } = await restoreBackup(target, file)
    expect(rows).toBe(header.tables.reduce((n, t) => n + t.rows, 0))
    expect(migrated).toEqual([])
    const restored = await contents(target)
    for (const { name } of header.tables)
      expect(restored[name], name).toEqual(seeded[name])
    // Derived tables are not in the file: the restored ledger refilled them, each total once.
    expect(seeded.point_total!.length).toBeGreaterThan(0)
    for (const name of DERIVED_TABLES)
      expect(restored[name], name).toEqual(seeded[name])

    const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database: target, passwordParams: TEST_PASSWORD_PARAMS })
    const amy = new Client(app)
    amy.cookie = b.amy.client.cookie
    const lastSeq = async () => (await target.db.selectFrom('change_log').select(eb => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq
    const restoredSeq = await lastSeq()
    const rule = await target.db.selectFrom('point_rule').select('id').where('key', '=', 'volunteer').executeTakeFirstOrThrow()
    const res = await push(amy, [op('entry.create', { id: randomUUID(), ruleId: rule.id, date: today(), note: '恢复之后' })])
    expect(res.json().results[0]).toMatchObject({ status: 'applied' })
    expect(await lastSeq()).toBe(restoredSeq + 1)
    await app.close()
  })

  it.runIf(pgUrl)('should carry every row from PostgreSQL to SQLite and from SQLite to PostgreSQL unchanged', async () => {
    const other = b.t.handle.kind === 'postgres' ? 'sqlite' : 'postgres'
    const across = await emptyDatabase(other)
    await restoreBackup(across, file)
    expect(await contents(across)).toEqual(seeded)
    const back = join(dir, 'across.jsonl.gz')
    await writeBackup(across, back)
    const home = await emptyDatabase(b.t.handle.kind)
    await restoreBackup(home, back)
    expect(await contents(home)).toEqual(seeded)
  })

  it('should refuse a database that already holds data and leave it as it was', async () => {
    const before = await contents(b.t.handle)
    await expect(restoreBackup(b.t.handle, file)).rejects.toThrow(/already holds data \(.*member/)
    expect(await contents(b.t.handle)).toEqual(before)
  })

  it('should restore into a database the server has only started on (a setup link issued, no branch yet)', async () => {
    const target = await emptyDatabase('sqlite')
    await migrateToLatest(target.db)
    expect(await issueSetupToken(target.db)).toBeTruthy()
    await restoreBackup(target, file)
    expect(await contents(target)).toEqual(seeded)
  })

  const lines = () => gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n')
  const withLines = (name: string, edit: (l: string[]) => string[]) => {
    const path = join(dir, name)
    writeFileSync(path, gzipSync(`${edit(lines()).join('\n')}\n`))
    return path
  }
  const photoBytes = () => header.tables.find(t => t.name === 'photo')!.columns.findIndex(c => c.name === 'bytes')
  const damaged: [string, () => string, RegExp][] = [
    ['cut short', () => {
      const path = join(dir, 'cut.jsonl.gz')
      const bytes = readFileSync(file)
      writeFileSync(path, bytes.subarray(0, bytes.length - 40))
      return path
    }, /not a complete gzip file/],
    ['missing its last rows', () => withLines('short.jsonl.gz', l => l.slice(0, -1)), /header counts \d+ rows of \w+, the file holds/],
    ['with a photo whose bytes are not base64', () => withLines('photo.jsonl.gz', l => l.map(x => x.startsWith('{"t":"photo"') ? JSON.stringify({ t: 'photo', r: (JSON.parse(x).r as unknown[]).with(photoBytes(), '~~~~') }) : x)), /photo\.bytes is not a valid blob/],
    ['with a row of a table it does not list', () => withLines('foreign-row.jsonl.gz', l => [...l.slice(0, 2), '{"t":"wiki_page","r":[1]}', ...l.slice(2)]), /row of wiki_page/],
    ['whose columns are not its schema\'s', () => withLines('column.jsonl.gz', l => [l[0]!.replace('"revoked_at"', '"revoked_on"'), ...l.slice(1)]), /revoked_on \(text\) does not fit schema/],
    ['that is some other gzip of JSON', () => withLines('foreign.jsonl.gz', () => ['{"hello":"world"}']), /Not a 先锋 backup/],
    ['made by a newer schema', () => withLines('newer.jsonl.gz', l => [l[0]!.replace(LATEST, '2099_01_01_0000_future'), ...l.slice(1)]), /newer version of 先锋/],
  ]
  it.each(damaged)('should refuse a backup %s with a clear message and write nothing', async (_, make, message) => {
    const target = await emptyDatabase('sqlite')
    await expect(restoreBackup(target, make())).rejects.toThrow(message)
    expect(await appliedMigration(target.db, target.kind)).toBeNull()
    expect(await tableNames(target)).toEqual([])
  })

  it('should restore a backup of an older schema and migrate it to the latest', async () => {
    const old = await emptyDatabase('sqlite')
    const previous = Object.keys(migrations).sort().at(-2)!
    await new Migrator({ db: old.db, provider: { getMigrations: async () => migrations } }).migrateTo(previous)
    await old.db.insertInto('branch').values({ id: randomUUID(), name: '老支部', upper_org_id: null, settings: '{}', created_at: new Date().toISOString() }).execute()
    const path = join(dir, 'old.jsonl.gz')
    expect((await writeBackup(old, path)).header.migration).toBe(previous)
    const target = await emptyDatabase('sqlite')
    expect(await restoreBackup(target, path)).toMatchObject({ migrated: [LATEST] })
    expect(await target.db.selectFrom('branch').select('name').execute()).toEqual([{ name: '老支部' }])
  })
})
