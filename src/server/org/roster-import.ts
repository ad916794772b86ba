import type { RosterCells, RosterImportResult, RosterPreview, RosterVerdict } from '#shared/org/roster'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { CellValue } from '../xlsx'
import { bilingual } from '#shared/errors/catalog'
import { checkRoster, ROLE_IN_ROSTER, ROSTER, ROSTER_COLUMNS, ROSTER_REQUIRED } from '#shared/org/roster'
import { localDate } from '#shared/points/periods'
import { ORG_ENTITY } from '#shared/schemas/org'
import { writeAudit } from '../audit/writer'
import { failure } from '../errors'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { loadExcel } from '../xlsx'
import { insertMember, listGroups, membersWithLogins } from './repository'
import { requireMember } from './service'

/*
 * 名册导入 (issue 16 point 6): the .xlsx template, reading a filled one into cells, the preview
 * (every row's verdict in words) and the import of the good rows in one transaction. The rules are
 * src/shared/org/roster.ts; the preview and the import run them the same way, the import again
 * inside its transaction, so what it adds is what the database holds at that moment.
 */

type Cell = CellValue
const COLUMN_KEYS = { 姓名: 'name', 登录名: 'login', 党小组: 'group', 手机号: 'phone', 角色: 'role', 入党日期: 'joinedOn' } as const satisfies Record<(typeof ROSTER_COLUMNS)[number], keyof RosterCells>

/** A cell as the text a person sees: a date as YYYY-MM-DD, a number without exponent, rich text joined, a formula's result. */
function cellText(value: Cell): string {
  if (value === null || value === undefined)
    return ''
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'string' || typeof value === 'boolean')
    return String(value)
  if ('richText' in value && Array.isArray(value.richText))
    return value.richText.map(part => part.text).join('')
  if ('result' in value)
    return cellText(value.result as Cell)
  if ('text' in value && typeof value.text === 'string')
    return value.text
  return ''
}

/** Cells are Lines: no control characters reach the checks or the answer, and none is longer than the answer allows. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F]/g, ' ').replace(/[\uD800-\uDFFF]/g, '').trim().slice(0, 200)
}

/**
 * The filled template's rows: the first sheet, its first row the header (columns found by their
 * names, in any order), empty rows skipped. Refuses, in words, what is not an .xlsx, a file
 * without the header, with no rows or too many.
 */
export async function readRoster(bytes: Buffer): Promise<RosterCells[]> {
  if (bytes.length > ROSTER.maxBytes)
    throw failure(413, 'ROSTER_TOO_LARGE', { limit: Math.round(ROSTER.maxBytes / 1024) })
  // An .xlsx is a zip: anything else (a .xls, a CSV, a photo) is refused before ExcelJS sees it.
  if (bytes.length < 4 || bytes.readUInt32BE(0) !== 0x504B0304)
    throw failure(400, 'ROSTER_NOT_XLSX')
  const ExcelJS = await loadExcel()
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  }
  catch {
    throw failure(400, 'ROSTER_NOT_XLSX')
  }
  const sheet = wb.worksheets[0]
  if (!sheet)
    throw failure(400, 'ROSTER_NOT_XLSX')
  const header = new Map<keyof RosterCells, number>()
  sheet.getRow(1).eachCell((cell, col) => {
    const name = clean(cellText(cell.value)).replace(/\s+/g, '') as keyof typeof COLUMN_KEYS
    if (COLUMN_KEYS[name] && !header.has(COLUMN_KEYS[name]))
      header.set(COLUMN_KEYS[name], col)
  })
  if (ROSTER_REQUIRED.some(c => !header.has(COLUMN_KEYS[c])))
    throw failure(400, 'ROSTER_NO_HEADER', { columns: ROSTER_REQUIRED.join('、') })
  const rows: RosterCells[] = []
  // Only the rows the file holds (a stray cell at row 1 000 000 is one row, not a million).
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1)
      return
    const get = (key: keyof RosterCells) => {
      const col = header.get(key)
      return col ? clean(cellText(row.getCell(col).value)) : ''
    }
    const cells: RosterCells = { line, name: get('name'), login: get('login'), group: get('group'), phone: get('phone'), role: get('role'), joinedOn: get('joinedOn') }
    if (!cells.name && !cells.login && !cells.group && !cells.phone && !cells.role && !cells.joinedOn)
      return
    rows.push(cells)
    if (rows.length > ROSTER.maxRows)
      throw failure(400, 'ROSTER_TOO_MANY_ROWS', { max: ROSTER.maxRows })
  })
  if (rows.length === 0)
    throw failure(400, 'ROSTER_EMPTY')
  return rows
}

/** The template to fill: 名册 (the header, widths, 入党日期 as a date column), and 说明 with the branch's groups and the roles. */
export async function rosterTemplate(db: Db, actor: Actor): Promise<Buffer> {
  const [groups, ExcelJS] = await Promise.all([listGroups(db, actor.branchId), loadExcel()])
  const wb = new ExcelJS.Workbook()
  wb.creator = '先锋'
  const ws = wb.addWorksheet('名册')
  ws.columns = ROSTER_COLUMNS.map(header => ({ header, width: header === '入党日期' || header === '手机号' ? 16 : 14 }))
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  // Text, so a login like 007 or a phone number keeps its digits; dates stay dates.
  for (const col of [2, 4])
    ws.getColumn(col).numFmt = '@'
  ws.getColumn(6).numFmt = 'yyyy-mm-dd'
  const help = wb.addWorksheet('说明')
  help.columns = [{ width: 14 }, { width: 70 }]
  help.addRows([
    ['列', '怎么填'],
    ['姓名', '必填'],
    ['登录名', `必填，${2}–${40} 个英文字母、数字或 _ . @ + -，全服务器不能重复（如 zhangsan）`],
    ['党小组', `可空；须与已有党小组名称一致：${groups.map(g => g.name).join('、') || '（还没有党小组，请先添加）'}`],
    ['手机号', '可空'],
    ['角色', `可空（即${ROLE_IN_ROSTER.member}）；${Object.values(ROLE_IN_ROSTER).join('、')}`],
    ['入党日期', '可空；如 2001-07-01'],
    [],
    ['', '同一文件再次导入不会重复添加：已有的党员显示为「已存在」。'],
  ])
  help.getRow(1).font = { bold: true }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** The verdicts against what the branch holds now (`db` may be the import's transaction). */
async function verdicts(db: Db | Transaction<Database>, actor: Actor, rows: RosterCells[]): Promise<RosterVerdict[]> {
  const groups = await listGroups(db, actor.branchId)
  const existing = await membersWithLogins(db, rows.map(r => r.login.trim()).filter(Boolean))
  return checkRoster(rows, {
    groups: new Map(groups.map(g => [g.name, g.id])),
    existing: new Map(existing.map(m => [m.login.toLowerCase(), { name: m.name, sameBranch: m.branch_id === actor.branchId }])),
    today: localDate(new Date()),
  })
}

function toPreview(list: RosterVerdict[]): RosterPreview {
  const counts = { new: 0, exists: 0, invalid: 0 }
  for (const v of list)
    counts[v.status]++
  return {
    rows: list.map(v => ({
      ...v.cells,
      status: v.status,
      problems: v.problems.map(p => ({ code: p.code, params: p.params, message: bilingual(p.code, p.params) })),
    })),
    counts,
  }
}

export async function previewRoster(db: Db, actor: Actor, rows: RosterCells[]): Promise<RosterPreview> {
  return toPreview(await verdicts(db, actor, rows))
}

/** Adds the rows that are new, all or none; rows with problems and members already there are left alone. */
export async function importRoster(db: Db, actor: Actor, rows: RosterCells[]): Promise<RosterImportResult> {
  return db.transaction().execute(async (trx) => {
    const list = await verdicts(trx, actor, rows)
    const created: RosterImportResult['created'] = []
    const now = nowIso()
    for (const v of list.filter(row => row.status === 'new')) {
      const id = newId()
      const { name, login, phone, role, joinedOn, groupName } = v.values
      await insertMember(trx, { id, branch_id: actor.branchId, group_id: v.groupId, name, login, phone, role, titles: '[]', password_hash: null, active: 1, joined_on: joinedOn, created_at: now, updated_at: now })
      const member = await requireMember(trx, actor, id)
      await writeAudit(trx, actor, { action: 'member.create', entity: 'member', entityId: id, data: { name, login, role, groupId: v.groupId, titles: [], via: 'roster', line: v.cells.line } })
      // The member's own record for their phone, as a member added by hand gets.
      await recordChange(trx, { entity: ORG_ENTITY.member, entityId: id, branchId: actor.branchId, memberId: id, op: 'upsert', data: member })
      created.push({ id, name, login, groupName, role, phone, joinedOn })
    }
    return { created, preview: toPreview(list) }
  })
}
