import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { contentBody, group, person, pledgeBody, publishedPledge, YEAR } from '../pledge-helper'

let t: TestApp
let branchId: string
let admin: Client
let groupA: string
let groupB: string
let alice: Person
let bob: Person
let leaderA: Person
let leaderB: Person

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  branchId = setup.branchId
  admin = setup.admin
  groupA = await group(t, branchId, '检验一组')
  groupB = await group(t, branchId, '检验二组')
  alice = await person(t, branchId, 'alice', 'member', groupA)
  bob = await person(t, branchId, 'bob', 'member', groupA)
  leaderA = await person(t, branchId, 'leadera', 'group_leader', groupA)
  leaderB = await person(t, branchId, 'leaderb', 'group_leader', groupB)
})
afterEach(async () => {
  await t.close()
})

const pledgeRow = (id: string) => t.handle.db.selectFrom('pledge').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const countRows = async (table: 'pledge' | 'pledge_item') => Number((await t.handle.db.selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

describe('drafting', () => {
  it('should let a member draft their own pledge with items and keep it as a draft of theirs (200)', async () => {
    const res = await alice.client.post('/api/pledges', pledgeBody())
    expect(res.statusCode).toBe(200)
    const pledge = res.json()
    expect(pledge).toMatchObject({ ownerKind: 'member', ownerName: 'alice-name', memberId: alice.id, groupId: groupA, groupName: '检验一组', status: 'draft', liveStatus: 'in_progress' })
    expect(pledge.items.map((i: { category: string, progressStatus: string }) => [i.category, i.progressStatus])).toEqual([['excel', 'not_started'], ['serve', 'not_started']])
    expect(await pledgeRow(pledge.id)).toMatchObject({ member_id: alice.id, created_by: alice.id, status: 'draft', supervisor: '张书记' })
    // The member's phone pulls their pledge.
    const change = await t.handle.db.selectFrom('change_log').selectAll().where('entity', '=', 'pledge').executeTakeFirstOrThrow()
    expect(change).toMatchObject({ entity_id: pledge.id, member_id: alice.id })
  })

  it('should refuse a branch pledge from anyone but a branch admin and a group pledge from another group\'s leader (403)', async () => {
    expect((await alice.client.post('/api/pledges', pledgeBody({ ownerKind: 'branch' }))).statusCode).toBe(403)
    expect((await leaderA.client.post('/api/pledges', pledgeBody({ ownerKind: 'branch' }))).statusCode).toBe(403)
    expect((await alice.client.post('/api/pledges', pledgeBody({ ownerKind: 'group', groupId: groupA }))).statusCode).toBe(403)
    expect((await leaderB.client.post('/api/pledges', pledgeBody({ ownerKind: 'group', groupId: groupA }))).statusCode).toBe(403)
    expect(await countRows('pledge')).toBe(0)
  })

  it('should let a group leader draft their group\'s pledge and a branch admin the branch\'s (200)', async () => {
    const g = await leaderA.client.post('/api/pledges', pledgeBody({ ownerKind: 'group', groupId: groupA }))
    expect(g.statusCode).toBe(200)
    expect(g.json()).toMatchObject({ ownerKind: 'group', ownerName: '检验一组', memberId: null, groupId: groupA })
    const b = await admin.post('/api/pledges', pledgeBody({ ownerKind: 'branch' }))
    expect(b.statusCode).toBe(200)
    expect(b.json()).toMatchObject({ ownerKind: 'branch', ownerName: '测试支部', groupId: null })
  })

  it('should refuse too many items, a date that does not exist or one outside the year, and create nothing (400)', async () => {
    const many = Array.from({ length: 21 }, () => pledgeBody().items[0])
    const tooMany = await alice.client.post('/api/pledges', pledgeBody({ items: many }))
    expect(tooMany.statusCode).toBe(400)
    const badDate = await alice.client.post('/api/pledges', pledgeBody({ items: [{ ...pledgeBody().items[0], dueDate: `${YEAR}-02-30` }] }))
    expect(badDate.statusCode).toBe(400)
    expect(badDate.json().message).toMatch(/不存在/)
    const outside = await alice.client.post('/api/pledges', pledgeBody({ items: [{ ...pledgeBody().items[0], dueDate: `${YEAR + 3}-01-01` }] }))
    expect(outside.json()).toMatchObject({ statusCode: 400, code: 'DUE_DATE_OUT_OF_PERIOD' })
    const huge = await alice.client.post('/api/pledges', pledgeBody({ supervisor: 'x'.repeat(101) }))
    expect(huge.statusCode).toBe(400)
    const blank = await alice.client.post('/api/pledges', pledgeBody({ items: [{ ...pledgeBody().items[0], target: '   ' }] }))
    expect(blank.statusCode).toBe(400)
    expect(await countRows('pledge')).toBe(0)
    expect(await countRows('pledge_item')).toBe(0)
  })

  it('should keep HTML in a target as the text it is (200)', async () => {
    const target = '<img src=x onerror=alert(1)> 完成'
    const res = await alice.client.post('/api/pledges', pledgeBody({ items: [{ ...pledgeBody().items[0], target }] }))
    expect(res.json().items[0].target).toBe(target)
  })
})

describe('review and publication', () => {
  it('should take a pledge from draft through submitted and approved to published by the branch admin (200)', async () => {
    const { id } = (await alice.client.post('/api/pledges', pledgeBody())).json()
    expect((await alice.client.post(`/api/pledges/${id}/submit`)).json().status).toBe('submitted')
    expect((await admin.post(`/api/pledges/${id}/approve`)).json().status).toBe('approved')
    const published = (await admin.post(`/api/pledges/${id}/publish`)).json()
    expect(published.status).toBe('published')
    expect(await pledgeRow(id)).toMatchObject({ status: 'published', published_by: setupAdminId(), reviewed_by: setupAdminId() })
  })

  it('should refuse approval, return, publication and evaluation from members and group leaders (403)', async () => {
    const { id } = (await alice.client.post('/api/pledges', pledgeBody())).json()
    await alice.client.post(`/api/pledges/${id}/submit`)
    for (const who of [alice.client, leaderA.client]) {
      expect((await who.post(`/api/pledges/${id}/approve`)).statusCode).toBe(403)
      expect((await who.post(`/api/pledges/${id}/return`, { reason: '不行' })).statusCode).toBe(403)
      expect((await who.post(`/api/pledges/${id}/publish`)).statusCode).toBe(403)
      expect((await who.post(`/api/pledges/${id}/evaluate`, { items: [{ itemId: randomUUID(), result: 'kept' }] })).statusCode).toBe(403)
    }
    expect((await pledgeRow(id)).status).toBe('submitted')
  })

  it('should refuse another member editing or submitting someone\'s pledge (403) and hide a draft from them (404)', async () => {
    const { id } = (await alice.client.post('/api/pledges', pledgeBody())).json()
    expect((await bob.client.patch(`/api/pledges/${id}`, contentBody())).statusCode).toBe(403)
    expect((await bob.client.post(`/api/pledges/${id}/submit`)).statusCode).toBe(403)
    expect((await bob.client.get(`/api/pledges/${id}`)).statusCode).toBe(404)
    expect((await leaderA.client.get(`/api/pledges/${id}`)).statusCode).toBe(200)
    expect((await leaderB.client.get(`/api/pledges/${id}`)).statusCode).toBe(404)
  })

  it('should return a pledge with a reason the member sees, let them fix and resubmit it (200), and lock it once submitted (409)', async () => {
    const { id } = (await alice.client.post('/api/pledges', pledgeBody())).json()
    await alice.client.post(`/api/pledges/${id}/submit`)
    expect((await alice.client.patch(`/api/pledges/${id}`, contentBody())).statusCode).toBe(409)
    const returned = (await admin.post(`/api/pledges/${id}/return`, { reason: '目标不够具体，请量化' })).json()
    expect(returned).toMatchObject({ status: 'returned', returnReason: '目标不够具体，请量化' })
    expect((await alice.client.get(`/api/pledges/${id}`)).json().returnReason).toBe('目标不够具体，请量化')
    const edited = await alice.client.patch(`/api/pledges/${id}`, contentBody({ items: [pledgeBody().items[0]] }))
    expect(edited.statusCode).toBe(200)
    expect(edited.json().items).toHaveLength(1)
    expect((await alice.client.post(`/api/pledges/${id}/submit`)).json().status).toBe('submitted')
    expect((await admin.post(`/api/pledges/${id}/approve`)).json()).toMatchObject({ status: 'approved', returnReason: null })
  })

  it('should refuse publishing what was not approved and returning without a reason (409, 400)', async () => {
    const { id } = (await alice.client.post('/api/pledges', pledgeBody())).json()
    expect((await admin.post(`/api/pledges/${id}/publish`)).json()).toMatchObject({ statusCode: 409, code: 'PLEDGE_WRONG_STATUS' })
    await alice.client.post(`/api/pledges/${id}/submit`)
    expect((await admin.post(`/api/pledges/${id}/return`, { reason: ' ' })).statusCode).toBe(400)
    expect((await pledgeRow(id)).status).toBe('submitted')
  })
})

describe('lists and the archive', () => {
  it('should give a member only their own and published pledges, and a group leader their group\'s (200)', async () => {
    const mine = (await alice.client.post('/api/pledges', pledgeBody())).json()
    const bobs = (await bob.client.post('/api/pledges', pledgeBody())).json()
    const pub = await publishedPledge(leaderB, admin)
    const ids = async (c: Client, q = '') => ((await c.get(`/api/pledges${q}`)).json() as { id: string }[]).map(p => p.id).sort()
    expect(await ids(alice.client)).toEqual([mine.id, pub.id].sort())
    expect(await ids(leaderA.client)).toEqual([mine.id, bobs.id, pub.id].sort())
    expect(await ids(admin)).toEqual([mine.id, bobs.id, pub.id].sort())
    expect(await ids(admin, `?memberId=${bob.id}`)).toEqual([bobs.id])
    expect(await ids(admin, `?groupId=${groupB}`)).toEqual([pub.id])
  })

  it('should mark a pledge with an item past due and not done as overdue and filter the archive by it (200)', async () => {
    const late = await publishedPledge(alice, admin, { year: YEAR - 1, items: [{ ...pledgeBody().items[0], dueDate: `${YEAR - 1}-06-30` }] })
    await publishedPledge(bob, admin)
    const archive = (await admin.get('/api/pledges/archive?liveStatus=overdue')).json()
    expect(archive.map((p: { id: string }) => p.id)).toEqual([late.id])
    expect(archive[0]).toMatchObject({ liveStatus: 'overdue', progress: [], feedback: [] })
  })

  it('should export the archive as an .xlsx workbook with one row per item (200)', async () => {
    await publishedPledge(alice, admin)
    const res = await admin.get(`/api/pledges/archive.xlsx?year=${YEAR}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('承诺档案')!
    expect(sheet.rowCount).toBe(3)
    expect(sheet.getRow(2).getCell(1).value).toBe('alice-name')
    expect(sheet.getRow(2).getCell(8).value).toBe('全年完成检验报告 200 份，差错率为零')
  })
})

let adminId = ''
function setupAdminId() {
  return adminId
}
beforeEach(async () => {
  adminId = (await admin.get('/api/auth/me')).json().id
})
