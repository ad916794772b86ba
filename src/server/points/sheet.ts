import type { Category } from '#shared/points/categories'
import type { Sheet, SheetMember, SheetQuery, SheetRow } from '#shared/points/schemas'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { comparePeople } from '#shared/org/order'
import { CATEGORY_ZH } from '#shared/points/categories'
import { periodBounds, yearTotal } from '#shared/points/periods'
import ExcelJS from 'exceljs'
import { failure, forbidden, notFound } from '../errors'
import { isOrganizerOver, loadMember } from './access'
import { baseFor } from './settings'

function periodTitle(q: SheetQuery): string {
  if (q.period === 'year')
    return `${q.year}年`
  return q.period === 'quarter' ? `${q.year}年第${q.index ?? 1}季度` : `${q.year}年${q.index ?? 1}月`
}

/** Which members the sheet covers, after checking the actor may see them. */
async function membersFor(db: Db, actor: Actor, q: SheetQuery) {
  let query = db.selectFrom('member')
    .leftJoin('party_group as g', 'g.id', 'member.group_id')
    .select(['member.id', 'member.name', 'g.name as group_name', 'g.created_at as group_created'])
    .where('member.branch_id', '=', actor.branchId)
  if (q.scope === 'member') {
    const m = await loadMember(db, q.id ?? actor.id)
    if (!m || m.branchId !== actor.branchId)
      throw notFound('member')
    if (m.id !== actor.id && !isOrganizerOver(actor, m))
      throw forbidden('SHEET_NOT_VISIBLE')
    query = query.where('member.id', '=', m.id)
  }
  else if (q.scope === 'group') {
    if (!q.id)
      throw failure(400, 'SHEET_GROUP')
    if (!(actor.role === 'branch_admin' || (actor.role === 'group_leader' && actor.groupId === q.id)))
      throw forbidden('SHEET_NOT_OWN_GROUP')
    query = query.where('member.group_id', '=', q.id).where('member.active', '=', 1)
  }
  else {
    if (actor.role !== 'branch_admin')
      throw forbidden('SHEET_BRANCH_ONLY')
    query = query.where('member.active', '=', 1)
  }
  // Ordered here, not in SQL: neither database sorts 第二 before 第三 or names by pinyin.
  const rows = await query.execute()
  return rows.sort((a, b) => comparePeople(
    { name: a.name, groupName: a.group_name, groupOrder: a.group_created },
    { name: b.name, groupName: b.group_name, groupOrder: b.group_created },
  ) || a.id.localeCompare(b.id))
}

/**
 * The 党员平时积分记录表 for members over a month, quarter or year: each member's ledger rows in the
 * period with a running total that starts from the base plus what the year held before the period.
 */
export async function buildSheet(db: Db, actor: Actor, q: SheetQuery): Promise<Sheet> {
  if (q.period !== 'year' && (q.index === undefined || (q.period === 'quarter' && q.index > 4)))
    throw failure(400, 'SHEET_PERIOD')
  const { from, to } = periodBounds(q.period, q.year, q.index ?? 1)
  const members = await membersFor(db, actor, q)
  const branch = await db.selectFrom('branch').select('name').where('id', '=', actor.branchId).executeTakeFirstOrThrow()
  const base = await baseFor(db, actor.branchId, q.year)
  const ids = members.map(m => m.id)
  const [rows, vetoes] = ids.length === 0
    ? [[], []]
    : await Promise.all([
        db.selectFrom('point_ledger as l')
          .leftJoin('point_entry as e', 'e.id', 'l.entry_id')
          .leftJoin('member as a', 'a.id', 'l.actor_id')
          .select(['l.member_id', 'l.date', 'l.category', 'l.kind', 'l.amount', 'l.clipped', 'l.reason', 'e.rule_name', 'e.note', 'a.name as actor_name'])
          .where('l.member_id', 'in', ids)
          .where('l.year', '=', q.year)
          .where('l.date', '<=', to)
          .orderBy('l.member_id')
          .orderBy('l.date')
          .orderBy('l.created_at')
          .orderBy('l.id')
          .execute(),
        db.selectFrom('point_veto').select(['member_id', 'decision', 'decided_on']).where('member_id', 'in', ids).where('year', '=', q.year).where('revoked_at', 'is', null).where('decided_on', '<=', to).execute(),
      ])
  const byMember = new Map<string, typeof rows>()
  for (const r of rows)
    byMember.set(r.member_id, [...(byMember.get(r.member_id) ?? []), r])
  const sheetMembers: SheetMember[] = members.map((m) => {
    const own = byMember.get(m.id) ?? []
    const opening = base + own.filter(r => r.date < from).reduce((s, r) => s + r.amount, 0)
    let running = opening
    const out: SheetRow[] = own.filter(r => r.date >= from).map((r) => {
      running += r.amount
      const item = r.rule_name ?? r.reason
      return {
        date: r.date,
        item: r.kind === 'reversal' ? `撤销：${item}（${r.reason}）` : item,
        category: r.category as Category,
        points: r.amount,
        clipped: r.clipped,
        kind: r.kind,
        reviewer: r.actor_name ?? '',
        note: r.note ?? '',
        running,
      }
    })
    const veto = vetoes.find(v => v.member_id === m.id)
    return {
      memberId: m.id,
      name: m.name,
      groupName: m.group_name ?? '',
      base,
      opening,
      rows: out,
      periodSum: running - opening,
      total: yearTotal(base, running - base, Boolean(veto)),
      veto: veto ? `一票否决：${veto.decision}（${veto.decided_on}）` : null,
    }
  })
  return { branchName: branch.name, title: `党员平时积分记录表（${periodTitle(q)}）`, from, to, members: sheetMembers }
}

const COLUMNS = [
  { header: '姓名', key: 'name', width: 10 },
  { header: '党小组', key: 'group', width: 12 },
  { header: '日期', key: 'date', width: 12 },
  { header: '积分项目', key: 'item', width: 36 },
  { header: '类别', key: 'category', width: 14 },
  { header: '分值', key: 'points', width: 8 },
  { header: '审核人', key: 'reviewer', width: 10 },
  { header: '累计', key: 'running', width: 8 },
  { header: '备注', key: 'note', width: 30 },
]

/** The same sheet as an .xlsx: the rows, and a 汇总 sheet of each member's totals. */
export async function sheetXlsx(sheet: Sheet): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = '先锋'
  const ws = wb.addWorksheet('积分记录表', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  ws.columns = COLUMNS
  ws.spliceRows(1, 0, [`${sheet.branchName} ${sheet.title}`], [`${sheet.from} 至 ${sheet.to}`])
  ws.getRow(1).font = { bold: true, size: 14 }
  ws.getRow(3).font = { bold: true }
  for (const m of sheet.members) {
    ws.addRow({ name: m.name, group: m.groupName, item: '期初（基础分及此前累计）', running: m.opening })
    for (const r of m.rows)
      ws.addRow({ name: m.name, group: m.groupName, date: r.date, item: r.clipped ? `${r.item}（超上限核减 ${r.clipped} 分）` : r.item, category: CATEGORY_ZH[r.category], points: r.points, reviewer: r.reviewer, running: r.running, note: r.note })
    if (m.veto)
      ws.addRow({ name: m.name, group: m.groupName, item: m.veto, running: 0 })
    const total = ws.addRow({ name: m.name, group: m.groupName, item: '合计', points: m.periodSum, running: m.total })
    total.font = { bold: true }
  }
  ws.addRow([])
  ws.addRow(['党员签字：', '', '', '党小组长签字：', '', '支部审核：'])
  const sum = wb.addWorksheet('汇总')
  sum.columns = [
    { header: '姓名', key: 'name', width: 10 },
    { header: '党小组', key: 'group', width: 12 },
    { header: '期初', key: 'opening', width: 8 },
    { header: '本期', key: 'period', width: 8 },
    { header: '年度累计', key: 'total', width: 10 },
    { header: '一票否决', key: 'veto', width: 30 },
  ]
  for (const m of sheet.members)
    sum.addRow({ name: m.name, group: m.groupName, opening: m.opening, period: m.periodSum, total: m.total, veto: m.veto ?? '' })
  return Buffer.from(await wb.xlsx.writeBuffer())
}
