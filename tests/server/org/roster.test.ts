import type { TestApp } from '../helper'
import type { OrgFixture } from '../org-helper'
import { ROSTER, ROSTER_COLUMNS } from '#shared/org/roster'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { countRows, orgFixture } from '../org-helper'

/* 名册导入 (issue 16 point 6): template, preview with every row's problem in words, import of the
   good rows, the same file twice, and files that are not a roster — never a 5xx. */

let t: TestApp
let f: OrgFixture
beforeEach(async () => {
  t = await buildTestApp()
  f = await orgFixture(t)
})
afterEach(async () => {
  await t.close()
})

type Row = (string | number | Date | null)[]

/** A filled template as Excel would save it. */
async function rosterFile(rows: Row[], header: readonly string[] = ROSTER_COLUMNS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('名册')
  ws.addRow([...header])
  for (const row of rows)
    ws.addRow(row)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const GOOD: Row[] = [
  ['张三', 'zhangsan', '第一党小组', '13800000001', '党员', new Date(Date.UTC(2001, 6, 1))],
  ['李四', 'lisi', '第二党小组', 13800000002, '党小组长', '2005/7/1'],
  ['王五', 'wangwu', '', '', '', ''],
]
const preview = (file: Buffer) => f.admin.client.post('/api/members/roster/preview', file)
const importFile = (file: Buffer) => f.admin.client.post('/api/members/roster/import', file)
function wordsOf(body: { rows: { line: number, problems: { message: string }[] }[] }, line: number) {
  return body.rows.find(r => r.line === line)?.problems.map(p => p.message.split(' ')[0]) ?? []
}

describe('the roster template', () => {
  it('should download an .xlsx with the six columns and the branch\'s groups named in 说明', async () => {
    const res = await f.admin.client.get('/api/members/roster/template')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe(ROSTER.mime)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, ...ROSTER_COLUMNS])
    const help = JSON.stringify(wb.getWorksheet('说明')!.getSheetValues())
    expect(help).toContain('第一党小组')
    expect(help).toContain('第二党小组')
  })
})

describe('previewing and importing a roster', () => {
  it('should import the good rows in one step, with group, role, phone and 入党日期, and change nothing on preview', async () => {
    const file = await rosterFile(GOOD)
    const before = await countRows(t.handle, 'member')
    const seen = await preview(file)
    expect(seen.statusCode).toBe(200)
    expect(seen.json().counts).toEqual({ new: 3, exists: 0, invalid: 0 })
    expect(await countRows(t.handle, 'member')).toBe(before)

    const done = await importFile(file)
    expect(done.statusCode).toBe(200)
    expect(done.json().created.map((m: { login: string }) => m.login)).toEqual(['zhangsan', 'lisi', 'wangwu'])
    expect(await countRows(t.handle, 'member')).toBe(before + 3)
    const rows = await t.handle.db.selectFrom('member').select(['login', 'name', 'group_id', 'role', 'phone', 'joined_on', 'password_hash']).where('login', 'in', ['zhangsan', 'lisi', 'wangwu']).orderBy('login').execute()
    expect(rows).toEqual([
      { login: 'lisi', name: '李四', group_id: f.group2, role: 'group_leader', phone: '13800000002', joined_on: '2005-07-01', password_hash: null },
      { login: 'wangwu', name: '王五', group_id: null, role: 'member', phone: null, joined_on: null, password_hash: null },
      { login: 'zhangsan', name: '张三', group_id: f.group1, role: 'member', phone: '13800000001', joined_on: '2001-07-01', password_hash: null },
    ])
    // The admin's member list shows them at once.
    const list = (await f.admin.client.get('/api/members')).json() as { login: string }[]
    expect(list.map(m => m.login)).toEqual(expect.arrayContaining(['zhangsan', 'lisi', 'wangwu']))
  })

  it('should name every bad row\'s problems in words and import only the good rows', async () => {
    const file = await rosterFile([
      ['张三', 'zhangsan', '第一党小组', '', '', ''], // 2: good
      ['', 'noname', '', '', '', ''], // 3: missing name
      ['赵六', 'zhaoliu', '第九党小组', '', '', ''], // 4: unknown group
      ['钱七', 'dup', '', '', '', ''], // 5: duplicate login in the file
      ['孙八', 'DUP', '', '', '', ''], // 6: … without regard to case
      ['周九', 'member1', '', '', '', ''], // 7: login of another member of the branch
      ['吴十', 'othermember', '', '', '', ''], // 8: login of a member of another branch
      ['郑一', 'zhengyi', '', '12ab', '', ''], // 9: bad phone
      ['王二', 'wanger', '', '', '', '2001-02-30'], // 10: bad date
      ['冯三', 'fengsan', '', '', '书记员', ''], // 11: unknown role
      ['陈四', '陈四', '', '', '', ''], // 12: login not in letters
      ['', '', '', '', '', ''], // empty: skipped
      ['褚五', 'chuwu', '', '', '党小组长', '2999-01-01'], // 14: leader without group, future date
    ])
    const res = await preview(file)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.counts).toEqual({ new: 1, exists: 0, invalid: 11 })
    expect(body.rows.map((r: { line: number }) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14])
    expect(wordsOf(body, 2)).toEqual([])
    expect(wordsOf(body, 3)).toEqual(['缺少姓名'])
    expect(wordsOf(body, 4)).toEqual(['没有名为「第九党小组」的党小组，请先在「党小组」中添加或改正名称'])
    expect(wordsOf(body, 5)).toEqual(['登录名「dup」在表中重复（第'])
    expect(body.rows[3].problems[0].message).toContain('第 6 行')
    expect(body.rows[4].problems[0].message).toContain('第 5 行')
    expect(wordsOf(body, 7)).toEqual(['登录名「member1」已被其他党员使用'])
    expect(wordsOf(body, 8)).toEqual(['登录名「othermember」已被其他党员使用'])
    expect(wordsOf(body, 9)).toEqual(['手机号「12ab」格式不对'])
    expect(wordsOf(body, 10)).toEqual(['入党日期「2001-02-30」无法识别，请写成'])
    expect(wordsOf(body, 11)).toEqual(['角色「书记员」无法识别，请填'])
    expect(wordsOf(body, 12)[0]).toMatch(/^登录名「陈四」只能用/)
    expect(wordsOf(body, 14)).toEqual(['入党日期「2999-01-01」无法识别，请写成', '党小组长必须填写所在党小组'])

    const before = await countRows(t.handle, 'member')
    const done = await importFile(file)
    expect(done.json().created.map((m: { login: string }) => m.login)).toEqual(['zhangsan'])
    expect(await countRows(t.handle, 'member')).toBe(before + 1)
  })

  it('should change nothing when the same file is imported again, reporting its rows as 已存在', async () => {
    const file = await rosterFile(GOOD)
    expect((await importFile(file)).json().created).toHaveLength(3)
    const members = await countRows(t.handle, 'member')
    const audits = await countRows(t.handle, 'audit_log')
    const changes = await countRows(t.handle, 'change_log')

    const again = await importFile(file)
    expect(again.statusCode).toBe(200)
    expect(again.json().created).toEqual([])
    expect(again.json().preview.counts).toEqual({ new: 0, exists: 3, invalid: 0 })
    expect((await preview(file)).json().rows.map((r: { status: string }) => r.status)).toEqual(['exists', 'exists', 'exists'])
    expect(await countRows(t.handle, 'member')).toBe(members)
    expect(await countRows(t.handle, 'audit_log')).toBe(audits)
    expect(await countRows(t.handle, 'change_log')).toBe(changes)
  })

  it('should refuse what is not a roster in words, with no 5xx and nothing written', async () => {
    const before = await countRows(t.handle, 'member')
    const cases: [Buffer | object, number, string][] = [
      [Buffer.from('姓名,登录名\n张三,zhangsan\n'), 400, 'ROSTER_NOT_XLSX'],
      // A zip that is no workbook.
      [Buffer.from([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), 400, 'ROSTER_NOT_XLSX'],
      [Buffer.alloc(0), 400, 'ROSTER_NOT_XLSX'],
      [{ rows: [] }, 400, 'ROSTER_NOT_XLSX'],
      [await rosterFile([['张三', 'zhangsan']], ['名字', '账号']), 400, 'ROSTER_NO_HEADER'],
      [await rosterFile([]), 400, 'ROSTER_EMPTY'],
      [await rosterFile(Array.from({ length: ROSTER.maxRows + 1 }, (_, i) => [`党员${i}`, `m${i}`])), 400, 'ROSTER_TOO_MANY_ROWS'],
      [Buffer.concat([Buffer.from([0x50, 0x4B, 0x03, 0x04]), Buffer.alloc(ROSTER.maxBytes + 10)]), 413, 'ROSTER_TOO_LARGE'],
    ]
    for (const [body, status, code] of cases) {
      for (const route of ['preview', 'import']) {
        const res = await f.admin.client.post(`/api/members/roster/${route}`, body)
        expect(res.statusCode, `${route} ${code}`).toBe(status)
        expect(res.json().code).toBe(code)
        expect(res.json().message).toMatch(/^[^A-Z]/i)
      }
    }
    expect(await countRows(t.handle, 'member')).toBe(before)
  })

  it('should let only a branch admin preview or import, into their own branch', async () => {
    const file = await rosterFile(GOOD)
    expect((await f.leader.client.post('/api/members/roster/preview', file)).statusCode).toBe(403)
    expect((await f.member.client.post('/api/members/roster/import', file)).statusCode).toBe(403)
    // Another branch's admin: 第一党小组 is not a group of theirs.
    const other = (await f.otherAdmin.client.post('/api/members/roster/preview', file)).json()
    expect(other.rows[0].problems[0].code).toBe('ROSTER_GROUP_UNKNOWN')
  })
})

describe('inviting everyone the import added', () => {
  it('should give each member a fresh one-time link in one call, and say PUBLIC_URL is not set', async () => {
    const created = (await importFile(await rosterFile(GOOD))).json().created as { id: string }[]
    const res = await f.admin.client.post('/api/members/invites', { memberIds: created.map(m => m.id) })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.publicUrlSet).toBe(false)
    expect(body.invites.map((i: { name: string }) => i.name)).toEqual(['张三', '李四', '王五'])
    for (const invite of body.invites)
      expect(invite.url).toMatch(/\/invite#[\w-]{43}$/)
    expect(await countRows(t.handle, 'invite')).toBe(3)
  })

  it('should refuse the whole call for a member of another branch, issuing no link', async () => {
    const res = await f.admin.client.post('/api/members/invites', { memberIds: [f.member.id, f.otherMember.id] })
    expect(res.statusCode).toBe(404)
    expect(await countRows(t.handle, 'invite')).toBe(0)
  })
})
