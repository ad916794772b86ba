import type { Category } from '#shared/points/categories'
import type { Sheet, SheetMember, SheetQuery, SheetRow } from '#shared/points/schemas'
import type { FastifyReply } from 'fastify'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { comparePeople } from '#shared/org/order'
import { CATEGORY_ZH } from '#shared/points/categories'
import { periodBounds, yearTotal } from '#shared/points/periods'
import { failure, forbidden, notFound } from '../errors'
import { drained, sendXlsx } from '../xlsx'
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

/** Members per query when the sheet is read: memory holds one page of ledger rows, not the branch's year. */
export const SHEET_PAGE = 50

/** What the sheet covers, once access and the period are checked: everything that can refuse runs here. */
async function sheetScope(db: Db, actor: Actor, q: SheetQuery) {
  if (q.period !== 'year' && (q.index === undefined || (q.period === 'quarter' && q.index > 4)))
    throw failure(400, 'SHEET_PERIOD')
  const { from, to } = periodBounds(q.period, q.year, q.index ?? 1)
  const members = await membersFor(db, actor, q)
  const branch = await db.selectFrom('branch').select('name').where('id', '=', actor.branchId).executeTakeFirstOrThrow()
  const base = await baseFor(db, actor.branchId, q.year)
  return { branchName: branch.name, title: `党员平时积分记录表（${periodTitle(q)}）`, from, to, base, year: q.year, members }
}

type Scope = Awaited<ReturnType<typeof sheetScope>>

/**
 * The sheet's members a page at a time: each member's ledger rows in the period with a running
 * total that starts from the base plus what the year held before the period. Time grows with the
 * rows and memory with one page, so a whole branch's year stays linear and flat (issue 17).
 */
async function* sheetPages(db: Db, scope: Scope): AsyncGenerator<SheetMember[]> {
  const { base, from, to, year } = scope
  for (let start = 0; start < scope.members.length; start += SHEET_PAGE) {
    const page = scope.members.slice(start, start + SHEET_PAGE)
    const ids = page.map(m => m.id)
    const [rows, vetoes] = await Promise.all([
      db.selectFrom('point_ledger as l')
        .leftJoin('point_entry as e', 'e.id', 'l.entry_id')
        .leftJoin('member as a', 'a.id', 'l.actor_id')
        .select(['l.member_id', 'l.date', 'l.category', 'l.kind', 'l.amount', 'l.clipped', 'l.reason', 'e.rule_name', 'e.note', 'a.name as actor_name'])
        .where('l.member_id', 'in', ids)
        .where('l.year', '=', year)
        .where('l.date', '<=', to)
        .orderBy('l.member_id')
        .orderBy('l.date')
        .orderBy('l.created_at')
        .orderBy('l.id')
        .execute(),
      db.selectFrom('point_veto').select(['member_id', 'decision', 'decided_on']).where('member_id', 'in', ids).where('year', '=', year).where('revoked_at', 'is', null).where('decided_on', '<=', to).execute(),
    ])
    const byMember = new Map<string, typeof rows>()
    for (const r of rows) {
      const own = byMember.get(r.member_id)
      if (own)
        own.push(r)
      else
        byMember.set(r.member_id, [r])
    }
    const vetoOf = new Map<string, (typeof vetoes)[number]>()
    for (const v of vetoes) {
      if (!vetoOf.has(v.member_id))
        vetoOf.set(v.member_id, v)
    }
    yield page.map((m) => {
      const own = byMember.get(m.id) ?? []
      let opening = base
      const out: SheetRow[] = []
      for (const r of own) {
        if (r.date < from) {
          opening += r.amount
          continue
        }
        const item = r.rule_name ?? r.reason
        out.push({
          date: r.date,
          item: r.kind === 'reversal' ? `撤销：${item}（${r.reason}）` : item,
          category: r.category as Category,
          points: r.amount,
          clipped: r.clipped,
          kind: r.kind,
          reviewer: r.actor_name ?? '',
          note: r.note ?? '',
          running: 0,
        })
      }
      // Rows come ordered by date, so those before the period all precede the rest: the running total starts at the opening.
      let running = opening
      for (const row of out) {
        running += row.points
        row.running = running
      }
      const veto = vetoOf.get(m.id)
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
  }
}

/** The 党员平时积分记录表 for members over a month, quarter or year (the print page's data). */
export async function buildSheet(db: Db, actor: Actor, q: SheetQuery): Promise<Sheet> {
  const scope = await sheetScope(db, actor, q)
  const members: SheetMember[] = []
  for await (const page of sheetPages(db, scope))
    members.push(...page)
  return { branchName: scope.branchName, title: scope.title, from: scope.from, to: scope.to, members }
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

/**
 * The same sheet as an .xlsx, streamed into the reply a page of members at a time: the rows, then a
 * 汇总 sheet of each member's totals (a few figures per member, kept until the rows are written).
 */
export async function sendSheetXlsx(reply: FastifyReply, db: Db, actor: Actor, q: SheetQuery): Promise<FastifyReply> {
  const scope = await sheetScope(db, actor, q)
  return sendXlsx(reply, { ascii: 'points.xlsx', display: `${scope.title}.xlsx` }, async (book, out) => {
    const ws = book.addWorksheet('积分记录表', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
    // Keys and widths only: the header row comes after the title rows (a streamed sheet cannot insert rows above).
    ws.columns = COLUMNS.map(({ key, width }) => ({ key, width }))
    const title = ws.addRow([`${scope.branchName} ${scope.title}`])
    title.font = { bold: true, size: 14 }
    title.commit()
    ws.addRow([`${scope.from} 至 ${scope.to}`]).commit()
    const header = ws.addRow(COLUMNS.map(c => c.header))
    header.font = { bold: true }
    header.commit()
    const totals: { name: string, group: string, opening: number, period: number, total: number, veto: string }[] = []
    for await (const page of sheetPages(db, scope)) {
      for (const m of page) {
        ws.addRow({ name: m.name, group: m.groupName, item: '期初（基础分及此前累计）', running: m.opening }).commit()
        for (const r of m.rows)
          ws.addRow({ name: m.name, group: m.groupName, date: r.date, item: r.clipped ? `${r.item}（超上限核减 ${r.clipped} 分）` : r.item, category: CATEGORY_ZH[r.category], points: r.points, reviewer: r.reviewer, running: r.running, note: r.note }).commit()
        if (m.veto)
          ws.addRow({ name: m.name, group: m.groupName, item: m.veto, running: 0 }).commit()
        const total = ws.addRow({ name: m.name, group: m.groupName, item: '合计', points: m.periodSum, running: m.total })
        total.font = { bold: true }
        total.commit()
        totals.push({ name: m.name, group: m.groupName, opening: m.opening, period: m.periodSum, total: m.total, veto: m.veto ?? '' })
      }
      await drained(out)
    }
    ws.addRow([]).commit()
    ws.addRow(['党员签字：', '', '', '党小组长签字：', '', '支部审核：']).commit()
    ws.commit()
    const sum = book.addWorksheet('汇总')
    sum.columns = [
      { header: '姓名', key: 'name', width: 10 },
      { header: '党小组', key: 'group', width: 12 },
      { header: '期初', key: 'opening', width: 8 },
      { header: '本期', key: 'period', width: 8 },
      { header: '年度累计', key: 'total', width: 10 },
      { header: '一票否决', key: 'veto', width: 30 },
    ]
    for (const t of totals)
      sum.addRow(t).commit()
    sum.commit()
  })
}
