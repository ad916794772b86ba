import type { RuleContent } from '#shared/points/default-rules'
import type { DateProblem } from '#shared/points/periods'
import type { Transaction } from 'kysely'
import type { Database } from '../db/database'
import type { OpHandler } from '../sync/registry'
import { PHOTO_OWNER } from '#shared/photos/constants'
import { ENTRY_REJECT, entryCreate, entryResubmit } from '#shared/points/ops'
import { checkEntryDate, firstStage, localDate, resolvePoints, yearOf } from '#shared/points/periods'
import { attachPhotos } from '../photos/store'
import { OpRejection, registerOp } from '../sync/registry'
import { addEvent, publishEntry } from './entries'
import { loadRule } from './rules'
import { getSettings } from './settings'

const DATE_REJECTIONS: Record<DateProblem, [string, string]> = {
  invalid: [ENTRY_REJECT.dateInvalid, '日期无效 The date is not a real date'],
  future: [ENTRY_REJECT.dateFuture, '日期不能晚于今天 The date cannot be in the future'],
  before_open: [ENTRY_REJECT.dateBeforeOpen, '日期早于本期积分开始的日子 The date is before the points period opened'],
  year_closed: [ENTRY_REJECT.yearClosed, '该年度已结束，不能再补记 That year is closed for new entries'],
}

/** Everything a member-logged entry must pass; the same checks for a new entry and a corrected one. */
async function checkLoggable(trx: Transaction<Database>, branchId: string, ruleId: string, variant: string | null, date: string, receivedAt: string) {
  const found = await loadRule(trx, branchId, ruleId)
  if (!found)
    throw new OpRejection(ENTRY_REJECT.unknownRule, '积分项目不存在，请同步后重新选择 Unknown rule; sync and choose again')
  if (found.rule.retired_at)
    throw new OpRejection(ENTRY_REJECT.ruleRetired, `积分项目"${found.content.name}"已停用 The rule has been retired`)
  if (!found.content.active)
    throw new OpRejection(ENTRY_REJECT.ruleInactive, `积分项目"${found.content.name}"未启用 The rule is switched off`)
  if (!isSelfLoggable(found.content))
    throw new OpRejection(ENTRY_REJECT.notSelfLog, `"${found.content.name}"由组织记录，个人不能申报 Organizers record this item; members cannot log it`)
  const points = resolvePoints(found.content, variant)
  if (points === null)
    throw new OpRejection(ENTRY_REJECT.variant, '请选择该项目的档次 Choose one of the rule\'s tiers')
  const settings = await getSettings(trx, branchId)
  const problem = checkEntryDate(date, localDate(new Date(receivedAt)), settings.opensOn)
  if (problem) {
    const [code, message] = DATE_REJECTIONS[problem]
    throw new OpRejection(code, message)
  }
  return { ...found, points }
}

export function isSelfLoggable(c: RuleContent): boolean {
  return c.selfLog && !c.veto && c.points >= 0 && c.approval !== 'checkin' && c.variants.every(v => v.points >= 0)
}

export const entryCreateHandler: OpHandler<typeof entryCreate.payload> = {
  definition: entryCreate,
  async apply({ actor, trx, receivedAt }, p) {
    if (await trx.selectFrom('point_entry').select('id').where('id', '=', p.id).executeTakeFirst())
      throw new OpRejection(ENTRY_REJECT.idTaken, '这条记录已存在 An entry with this id already exists')
    const variant = p.variant ?? null
    const ok = await checkLoggable(trx, actor.branchId, p.ruleId, variant, p.date, receivedAt)
    if (p.points !== undefined && p.points !== ok.points)
      throw new OpRejection(ENTRY_REJECT.pointsNotAllowed, `该项目的分值是 ${ok.points} 分，个人不能自定分值 This item is worth ${ok.points}; members cannot set points`)
    await trx.insertInto('point_entry').values({
      id: p.id,
      branch_id: actor.branchId,
      member_id: actor.id,
      rule_id: ok.rule.id,
      rule_version_id: ok.version.id,
      category: ok.content.category,
      rule_name: ok.content.name,
      variant,
      date: p.date,
      year: yearOf(p.date),
      note: p.note.trim(),
      points: ok.points,
      granted: null,
      clipped: 0,
      status: 'pending',
      stage: firstStage(ok.content.approval, actor.groupId !== null),
      source: 'member',
      revision: 1,
      group_approved_by: null,
      group_approved_at: null,
      reviewed_by: null,
      reviewed_at: null,
      return_code: null,
      return_reason: null,
      created_by: actor.id,
      created_at: receivedAt,
      updated_at: receivedAt,
      photo_ids: JSON.stringify(await attachPhotos(trx, actor, p.photoIds, { entity: PHOTO_OWNER.entry, id: p.id })),
    }).execute()
    await addEvent(trx, p.id, actor.id, 'created', { ruleVersion: ok.version.version, points: ok.points, date: p.date })
    return publishEntry(trx, p.id)
  },
}

export const entryResubmitHandler: OpHandler<typeof entryResubmit.payload> = {
  definition: entryResubmit,
  async apply({ actor, trx, receivedAt }, p) {
    const entry = await trx.selectFrom('point_entry').selectAll().where('id', '=', p.id).executeTakeFirst()
    if (!entry || entry.member_id !== actor.id)
      throw new OpRejection(ENTRY_REJECT.notFound, '找不到这条积分记录 No such entry of yours')
    if (entry.status !== 'returned')
      throw new OpRejection(ENTRY_REJECT.notReturned, '只有被退回的记录可以修改后重新提交 Only a returned entry can be corrected and sent again')
    const variant = p.variant === undefined ? entry.variant : p.variant
    // A correction is checked against the rule as it is now, and takes its current version.
    const ok = await checkLoggable(trx, actor.branchId, entry.rule_id ?? '', variant, p.date, receivedAt)
    const revision = entry.revision + 1
    await trx.updateTable('point_entry').set({
      rule_version_id: ok.version.id,
      category: ok.content.category,
      rule_name: ok.content.name,
      variant,
      date: p.date,
      year: yearOf(p.date),
      note: p.note.trim(),
      points: ok.points,
      status: 'pending',
      stage: firstStage(ok.content.approval, actor.groupId !== null),
      revision,
      group_approved_by: null,
      group_approved_at: null,
      reviewed_by: null,
      reviewed_at: null,
      return_code: null,
      return_reason: null,
      updated_at: receivedAt,
      ...(p.photoIds ? { photo_ids: JSON.stringify(await attachPhotos(trx, actor, p.photoIds, { entity: PHOTO_OWNER.entry, id: p.id })) } : {}),
    }).where('id', '=', p.id).execute()
    await addEvent(trx, p.id, actor.id, 'resubmitted', {
      revision,
      before: { date: entry.date, note: entry.note, variant: entry.variant, points: entry.points, returnReason: entry.return_reason },
    })
    return publishEntry(trx, p.id)
  },
}

/** Called once by the points routes plugin, like the foundation's ops. */
export function registerPointsOps(): void {
  registerOp(entryCreateHandler)
  registerOp(entryResubmitHandler)
}
