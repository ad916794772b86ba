import type { ReviewResults } from '#shared/reviews/schemas'
import type { WorkbookWriter } from '../xlsx'
import { CATEGORY_ZH } from '#shared/points/categories'
import { MEMBER_DIMENSIONS, reviewPeriodZh } from '#shared/reviews/constants'

const fmt = (n: number | null) => n === null ? '—' : n.toFixed(2)

/** A closed session's results as an .xlsx, into a streaming writer: one row per member in name order (no ranking), comments without who wrote them. */
export async function writeResults(wb: WorkbookWriter, results: ReviewResults): Promise<void> {
  const { session } = results
  const ws = wb.addWorksheet('讲评结果', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  ws.columns = [
    { key: 'name', width: 10 },
    ...MEMBER_DIMENSIONS.map(d => ({ key: d, width: 10 })),
    { key: 'overall', width: 8 },
    { key: 'members', width: 8 },
    { key: 'guests', width: 8 },
    { key: 'comments', width: 60 },
  ]
  const title = ws.addRow([`${session.groupName ?? '支部'} ${session.title}`])
  title.font = { bold: true, size: 14 }
  ws.addRow([`${reviewPeriodZh(session.period)}（${session.periodFrom} 至 ${session.periodTo}） 满意 4 · 比较满意 3 · 基本满意 2 · 不满意 1 结果供支委会参考`])
  ws.addRow(['姓名', ...MEMBER_DIMENSIONS.map(d => CATEGORY_ZH[d]), '总平均', '党员评分', '群众评分', '意见建议']).font = { bold: true }
  for (const r of results.rows) {
    const row = ws.addRow({
      name: r.name,
      ...Object.fromEntries(MEMBER_DIMENSIONS.map(d => [d, fmt(r.averages[d])])),
      overall: fmt(r.overall),
      members: r.raters.member,
      guests: r.raters.guest,
      comments: r.comments.map(c => c.text).join('\n'),
    })
    row.alignment = { wrapText: true, vertical: 'top' }
    row.commit()
  }
  ws.commit()
}
