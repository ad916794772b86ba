import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { addMember } from '../sync-helper'

/*
 * Issue 16 item 7: groups 第一, 第二, 第三 (not 第一, 第三, 第二 as code points give) and people by
 * pinyin (张二, 张三, 张四, 张一 — not 张一, 张三, 张二, 张四) on the sheet, its .xlsx, the rosters.
 * The groups are created 第三 first, so the numeral, not the creation order, must decide.
 */
describe('chinese order of groups and people', () => {
  let t: TestApp
  let admin: Awaited<ReturnType<typeof setUpBranch>>['admin']
  const clients = new Map<string, Awaited<ReturnType<typeof addMember>>['client']>()
  const year = new Date().getFullYear()
  const expected = ['张二', '张三', '张四', '张一', '李四', '王五', '管理员']

  beforeAll(async () => {
    t = await buildTestApp()
    const setup = await setUpBranch(t.app, t.handle)
    admin = setup.admin
    const groups: Record<string, string> = {}
    let at = Date.parse('2026-01-01T00:00:00Z')
    for (const name of ['第三党小组', '第一党小组', '第二党小组']) {
      groups[name] = randomUUID()
      await t.handle.db.insertInto('party_group').values({ id: groups[name], branch_id: setup.branchId, name, created_at: new Date(at += 1000).toISOString(), removed_at: null }).execute()
    }
    const people: [string, string][] = [['张一', '第一党小组'], ['张三', '第一党小组'], ['王五', '第三党小组'], ['张二', '第一党小组'], ['李四', '第二党小组'], ['张四', '第一党小组']]
    for (const [i, [name, group]] of people.entries()) {
      const p = await addMember(t.app, t.handle, setup.branchId, `m${i}`)
      await t.handle.db.updateTable('member').set({ name, group_id: groups[group]! }).where('id', '=', p.id).execute()
      clients.set(name, p.client)
    }
  })
  afterAll(async () => {
    await t?.close()
  })

  it('should list the groups as 第一, 第二, 第三', async () => {
    const res = await admin.get('/api/groups')
    expect(res.statusCode).toBe(200)
    expect(res.json().map((g: { name: string }) => g.name)).toEqual(['第一党小组', '第二党小组', '第三党小组'])
  })

  it('should list members by group, then pinyin, the member without a group last', async () => {
    const res = await admin.get('/api/members')
    expect(res.statusCode).toBe(200)
    expect(res.json().map((m: { name: string }) => m.name)).toEqual(expected)
  })

  it('should order the branch 记录表 and its .xlsx the same way', async () => {
    const sheet = (await admin.get(`/api/points/sheet?scope=branch&period=year&year=${year}`)).json()
    expect(sheet.members.map((m: { name: string }) => m.name)).toEqual(expected)
    expect(sheet.members.map((m: { groupName: string }) => m.groupName).slice(0, 6)).toEqual(['第一党小组', '第一党小组', '第一党小组', '第一党小组', '第二党小组', '第三党小组'])

    const res = await admin.get(`/api/points/sheet.xlsx?scope=branch&period=year&year=${year}`)
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const names: string[] = []
    wb.getWorksheet('汇总')!.eachRow((row, n) => {
      if (n > 1)
        names.push(String(row.getCell(1).value))
    })
    expect(names).toEqual(expected)
  })

  it('should order the pledge archive export by group, then pinyin', async () => {
    for (const name of ['王五', '张一', '李四', '张三', '张二']) {
      const client = clients.get(name)!
      const created = await client.post('/api/pledges', { ownerKind: 'member', year, supervisor: '王书记', supervisorContact: '支部办公室', items: [{ category: 'excel', duty: '岗位', target: `${name}的承诺`, dueDate: `${year}-12-31` }] })
      expect(created.statusCode).toBe(200)
      expect((await client.post(`/api/pledges/${created.json().id}/submit`, {})).statusCode).toBe(200)
    }
    const res = await admin.get(`/api/pledges/archive.xlsx?year=${year}`)
    expect(res.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const owners: string[] = []
    wb.getWorksheet('承诺档案')!.eachRow((row, n) => {
      if (n > 1)
        owners.push(String(row.getCell(1).value))
    })
    expect(owners).toEqual(['张二', '张三', '张一', '李四', '王五'])
  })
})
