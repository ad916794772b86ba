import type { Category } from '#shared/points/categories'
import type { MemberYearRecord, RecordQuery, YearRecords } from '#shared/records/schemas'
import type { FastifyReply } from 'fastify'
import type { Writable } from 'node:stream'
import type { Static } from 'typebox'
import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { WorkbookWriter } from '../xlsx'
import { GRADE_ZH } from '#shared/appraisal/constants'
import { CATEGORIES, CATEGORY_ZH } from '#shared/points/categories'
import { finalGrades } from '../appraisal/results-repository'
import { memberAwards } from '../commendations/awards-repository'
import { failure, forbidden, notFound } from '../errors'
import { isOrganizerOver, loadMember } from '../points/access'
import { baseFor } from '../points/settings'
import { memberReviewResults } from '../reviews/results-repository'
import { drained, sendXlsx } from '../xlsx'
import { attendanceCounts, branchName, ledgerByMonth, pledgeItemCounts, recordMembers, standingVetoes } from './repository'

type Record1 = Static<typeof MemberYearRecord>

/** Who the records cover, after checking the actor may see them: oneself; an organizer their scope. */
async function whom(db: Db, actor: Actor, q: Static<typeof RecordQuery>) {
  const scope = q.scope ?? 'member'
  if (scope === 'member') {
    const m = await loadMember(db, q.id ?? actor.id)
    if (!m || m.branchId !== actor.branchId)
      throw notFound('member')
    if (m.id !== actor.id && !isOrganizerOver(actor, m))
      throw forbidden()
    return recordMembers(db, actor.branchId, { memberId: m.id })
  }
  if (scope === 'group') {
    if (!q.id)
      throw failure(400, 'BAD_REQUEST')
    if (!(actor.role === 'branch_admin' || (actor.role === 'group_leader' && actor.groupId === q.id)))
      throw forbidden()
    return recordMembers(db, actor.branchId, { groupId: q.id })
  }
  if (actor.role !== 'branch_admin')
    throw forbidden()
  return recordMembers(db, actor.branchId, {})
}

const zeroCats = (): Record<Category, number> => ({ study: 0, excel: 0, serve: 0, discipline: 0, uphold: 0 })

/**
 * The year's records of the members in scope, one query per figure for all of them (a branch of
 * 200 is a handful of queries, not 200 × 7). Sorted by group, then name in 汉语拼音 order.
 */
export async function yearRecords(db: Db, actor: Actor, q: Static<typeof RecordQuery>): Promise<Static<typeof YearRecords>> {
  const year = q.year
  const members = await whom(db, actor, q)
  const ids = members.map(m => m.id)
  const from = `${year}-01-01`
  const to = `${year + 1}-01-01`
  const [base, ledger, vetoes, pledges, attendance, reviews, grades, awards, name] = await Promise.all([
    baseFor(db, actor.branchId, year),
    ledgerByMonth(db, actor.branchId, year),
    standingVetoes(db, actor.branchId, year),
    pledgeItemCounts(db, actor.branchId, year),
    attendanceCounts(db, actor.branchId, from, to),
    memberReviewResults(db, actor.branchId, from, `${year}-12-31`, ids),
    finalGrades(db, actor.branchId, year),
    memberAwards(db, actor.branchId, year, ids),
    branchName(db, actor.branchId),
  ])
  const records = new Map<string, Record1>(members.map((m): [string, Record1] => [m.id, {
    memberId: m.id,
    name: m.name,
    groupName: m.group_name,
    total: base,
    byCategory: zeroCats(),
    months: Array.from({ length: 12 }, () => 0),
    pledges: { made: 0, kept: 0 },
    attendance: { present: 0, expected: 0, rate: null },
    review: null,
    appraisalGrade: grades.get(m.id) ?? null,
    commendations: [],
    veto: null,
  }]))
  for (const l of ledger) {
    const r = records.get(l.member_id)
    if (!r)
      continue
    const points = Number(l.points)
    if ((CATEGORIES as readonly string[]).includes(l.category))
      r.byCategory[l.category as Category] += points
    r.months[l.month - 1]! += points
    r.total += points
  }
  for (const r of records.values()) {
    // The floor of 0 (RULES.md) applies to the year's total.
    r.total = Math.max(0, r.total)
  }
  for (const v of vetoes) {
    const r = records.get(v.member_id)
    if (r && !r.veto) {
      r.veto = { decision: v.decision, decidedOn: v.decided_on }
      r.total = 0
    }
  }
  for (const p of pledges) {
    const r = p.member_id ? records.get(p.member_id) : undefined
    if (r)
      r.pledges = { made: Number(p.made), kept: Number(p.kept ?? 0) }
  }
  for (const a of attendance) {
    const r = records.get(a.member_id)
    if (r) {
      const present = Number(a.present ?? 0)
      const expected = Number(a.expected)
      r.attendance = { present, expected, rate: expected > 0 ? Math.round((present / expected) * 1000) / 1000 : null }
    }
  }
  for (const [id, res] of reviews) {
    const r = records.get(id)
    if (r)
      r.review = { overall: res.overall, averages: res.averages }
  }
  for (const a of awards)
    records.get(a.memberId)?.commendations.push({ title: a.title, roundTitle: a.roundTitle })
  const collator = new Intl.Collator('zh-CN')
  const list = [...records.values()].sort((a, b) => collator.compare(a.groupName ?? '', b.groupName ?? '') || collator.compare(a.name, b.name))
  return { year, branchName: name, base, members: list }
}

/**
 * The .xlsx: one row per member, the figures of the A4 page in columns, streamed into the reply as
 * written (the records themselves are a few figures per member, read with one query per figure).
 */
export async function sendYearRecordsXlsx(reply: FastifyReply, records: Static<typeof YearRecords>): Promise<FastifyReply> {
  return sendXlsx(reply, { ascii: 'records.xlsx', display: `${records.branchName}${records.year}年度积分与表现记录.xlsx` }, async (book, out) => writeYearRecords(book, out, records))
}

/** The records' rows into a streaming workbook (sendXlsx's or a bench's). */
export async function writeYearRecords(book: WorkbookWriter, out: Writable, records: Static<typeof YearRecords>): Promise<void> {
  const sheet = book.addWorksheet(`${records.year}年度记录`)
  sheet.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '党小组', key: 'group', width: 14 },
    { header: '年度积分', key: 'total', width: 10 },
    ...CATEGORIES.map(c => ({ header: CATEGORY_ZH[c], key: c, width: 10 })),
    { header: '承诺事项', key: 'made', width: 10 },
    { header: '已兑现', key: 'kept', width: 10 },
    { header: '出勤率', key: 'attendance', width: 10 },
    { header: '讲评平均', key: 'review', width: 10 },
    { header: '民主评议', key: 'grade', width: 10 },
    { header: '表彰', key: 'awards', width: 24 },
    { header: '一票否决', key: 'veto', width: 16 },
  ]
  const header = sheet.getRow(1)
  header.font = { bold: true }
  header.commit()
  for (const m of records.members) {
    sheet.addRow({
      name: m.name,
      group: m.groupName ?? '',
      total: m.total,
      ...m.byCategory,
      made: m.pledges.made,
      kept: m.pledges.kept,
      attendance: m.attendance.rate === null ? '' : `${Math.round(m.attendance.rate * 100)}%`,
      review: m.review?.overall ?? '',
      grade: m.appraisalGrade ? GRADE_ZH[m.appraisalGrade] : '',
      awards: m.commendations.map(c => c.title).join('、'),
      veto: m.veto ? `${m.veto.decision}（${m.veto.decidedOn}）` : '',
    }).commit()
    await drained(out)
  }
  sheet.commit()
}
