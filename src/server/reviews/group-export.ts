import type { GroupReviewDetail } from '#shared/reviews/group-schemas'
import type { WorkbookWriter } from '../xlsx'
import { CATEGORY_ZH } from '#shared/points/categories'
import { GROUP_DIMENSION_ZH, GROUP_DIMENSIONS, reviewPeriodZh } from '#shared/reviews/constants'

const num = (n: number | null) => n ?? ''

/**
 * The 五个好 result as a workbook: one row per group with its averages on each dimension, the
 * raters, and the figures the raters saw. Plain values, never formulas. Into a streaming writer.
 */
export async function writeGroupReview(wb: WorkbookWriter, r: GroupReviewDetail): Promise<void> {
  const sheet = wb.addWorksheet('五个好评议')
  sheet.columns = [
    { key: 'name', width: 18 },
    ...GROUP_DIMENSIONS.map(d => ({ key: d, width: 12 })),
    { key: 'overall', width: 10 },
    { key: 'raters', width: 8 },
    { key: 'meetings', width: 10 },
    { key: 'attendance', width: 10 },
    ...Object.keys(CATEGORY_ZH).map(c => ({ key: `p_${c}`, width: 12 })),
    { key: 'pledges', width: 10 },
    { key: 'kept', width: 12 },
    { key: 'review', width: 12 },
    { key: 'comments', width: 40 },
  ]
  sheet.addRow([`${r.branchName} ${reviewPeriodZh(r.period)} 党小组“五个好”评议结果`])
  sheet.addRow(['党小组', ...GROUP_DIMENSIONS.map(d => GROUP_DIMENSION_ZH[d]), '综合', '评议人数', '会议次数', '出勤率%', ...Object.values(CATEGORY_ZH).map(n => `人均积分·${n}`), '承诺数', '兑现/已评诺', '讲评平均', '意见'])
  for (const g of r.groups) {
    const f = g.figures
    sheet.addRow([
      g.name,
      ...GROUP_DIMENSIONS.map(d => num(g.result?.averages[d] ?? null)),
      num(g.result?.overall ?? null),
      g.result?.raters ?? 0,
      f.meetingsHeld,
      num(f.attendanceRate),
      ...Object.keys(CATEGORY_ZH).map(c => f.pointsPerMember[c] ?? 0),
      f.pledgesMade,
      `${f.itemsKept}/${f.itemsEvaluated}`,
      num(f.memberReview.overall),
      (g.result?.comments ?? []).join('；'),
    ]).commit()
  }
  sheet.commit()
}
