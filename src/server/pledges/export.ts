import type { PledgeDetail } from '#shared/pledges/schemas'
import type { WorkbookWriter } from '../xlsx'
import { compareGroups, comparePeople } from '#shared/org/order'
import { CATEGORY_LABEL_ZH, LIVE_LABEL_ZH, PROGRESS_LABEL_ZH, RESULT_LABEL_ZH, STATUS_LABEL_ZH } from '#shared/pledges/constants'

const OWNER_RANK = { branch: 0, group: 1, member: 2 } as const

/** The branch's pledge first, then each group's (第一, 第二 …), then members by group and pinyin; newest period first within one owner. */
function archiveOrder(a: PledgeDetail, b: PledgeDetail): number {
  return OWNER_RANK[a.ownerKind] - OWNER_RANK[b.ownerKind]
    || (a.ownerKind === 'group'
      ? compareGroups({ name: a.ownerName }, { name: b.ownerName })
      : comparePeople({ name: a.ownerName, groupName: a.groupName }, { name: b.ownerName, groupName: b.groupName }))
    || b.year - a.year
}

const period = (p: PledgeDetail) => `${p.year}${p.stage ? ` ${p.stage}` : ''}`

/**
 * The archive (承诺践诺档案) as a workbook: one row per item with its pledge, progress and
 * evaluation, and a second sheet with every 践诺 record. Cells are plain values, never formulas.
 * Written into `wb`, a streaming writer (../xlsx sendXlsx): each row leaves as it is committed.
 */
export async function writeArchive(wb: WorkbookWriter, pledges: PledgeDetail[]): Promise<void> {
  const items = wb.addWorksheet('承诺档案')
  items.columns = [
    { header: '承诺人/组织', key: 'owner', width: 14 },
    { header: '党小组', key: 'group', width: 12 },
    { header: '期间', key: 'period', width: 12 },
    { header: '状态', key: 'status', width: 8 },
    { header: '践诺状态', key: 'live', width: 8 },
    { header: '五带头', key: 'category', width: 14 },
    { header: '岗位职责', key: 'duty', width: 24 },
    { header: '承诺目标', key: 'target', width: 36 },
    { header: '完成时限', key: 'due', width: 12 },
    { header: '进度', key: 'progress', width: 10 },
    { header: '百分比', key: 'percent', width: 8 },
    { header: '评诺结论', key: 'result', width: 10 },
    { header: '评诺意见', key: 'comment', width: 24 },
    { header: '积分', key: 'points', width: 8 },
    { header: '监督人', key: 'supervisor', width: 14 },
    { header: '监督联系方式', key: 'contact', width: 16 },
  ]
  items.getRow(1).font = { bold: true }
  pledges = [...pledges].sort(archiveOrder)
  for (const p of pledges) {
    for (const i of p.items) {
      items.addRow({
        owner: p.ownerName,
        group: p.groupName ?? '',
        period: period(p),
        status: STATUS_LABEL_ZH[p.status],
        live: LIVE_LABEL_ZH[p.liveStatus],
        category: CATEGORY_LABEL_ZH[i.category],
        duty: i.duty,
        target: i.target,
        due: i.dueDate,
        progress: PROGRESS_LABEL_ZH[i.progressStatus],
        percent: i.percent,
        result: i.result ? RESULT_LABEL_ZH[i.result] : '',
        comment: i.resultComment,
        points: i.pointsAmount ?? '',
        supervisor: p.supervisor,
        contact: p.supervisorContact,
      }).commit()
    }
  }
  items.commit()
  const log = wb.addWorksheet('践诺记录')
  log.columns = [
    { header: '承诺人/组织', key: 'owner', width: 14 },
    { header: '承诺目标', key: 'target', width: 36 },
    { header: '记录时间', key: 'time', width: 20 },
    { header: '进度', key: 'progress', width: 10 },
    { header: '百分比', key: 'percent', width: 8 },
    { header: '说明', key: 'note', width: 40 },
  ]
  log.getRow(1).font = { bold: true }
  for (const p of pledges) {
    for (const r of p.progress) {
      const item = p.items.find(i => i.id === r.itemId)
      log.addRow({ owner: p.ownerName, target: item?.target ?? '', time: r.clientTime, progress: PROGRESS_LABEL_ZH[r.status], percent: r.percent, note: r.note }).commit()
    }
  }
  log.commit()
}
