import type { DraftRule, LogRefusal } from '#shared/points/entry'
import type { DateProblem } from '#shared/points/periods'
import type { Entry, PointsSettings } from '#shared/points/schemas'
import type { Transaction } from 'kysely'
import type { Static } from 'typebox'
import type { Database } from '../db/database'
import type { OpContext, OpHandler } from '../sync/registry'
import { PHOTO_OWNER } from '#shared/photos/constants'
import { draftEntry, logRefusal, redraftEntry } from '#shared/points/entry'
import { ENTRY_REJECT, entryCreate, entryResubmit } from '#shared/points/ops'
import { checkEntryDate, localDate, resolvePoints, yearOf } from '#shared/points/periods'
import { attachPhotos } from '../photos/store'
import { opRejection } from '../sync/registry'
import { addEvent, addEvents, entryIdsTaken, insertEntries, loadEntry, publishEntry, publishNewEntries } from './entries'
import { loadRule } from './rules'
import { getSettings } from './settings'

const DATE_REJECTIONS = {
  invalid: ENTRY_REJECT.dateInvalid,
  future: ENTRY_REJECT.dateFuture,
  before_open: ENTRY_REJECT.dateBeforeOpen,
  year_closed: ENTRY_REJECT.yearClosed,
} as const satisfies Record<DateProblem, string>

const LOG_REFUSALS = {
  retired: ENTRY_REJECT.ruleRetired,
  inactive: ENTRY_REJECT.ruleInactive,
  not_self_log: ENTRY_REJECT.notSelfLog,
} as const satisfies Record<LogRefusal, string>

const noTier = () => opRejection(ENTRY_REJECT.variant)

type LoadedRule = NonNullable<Awaited<ReturnType<typeof loadRule>>>

/** Everything a member-logged entry must pass; the same checks for a new entry and a corrected one. */
async function checkLoggable(trx: Transaction<Database>, branchId: string, ruleId: string, variant: string | null, date: string, receivedAt: string) {
  const found = await loadRule(trx, branchId, ruleId)
  if (!found)
    throw opRejection(ENTRY_REJECT.unknownRule)
  return checkLoaded(found, await getSettings(trx, branchId), variant, date, receivedAt)
}

/** checkLoggable's checks on a rule and settings already read (a run of entries reads each once). */
function checkLoaded(found: LoadedRule, settings: PointsSettings, variant: string | null, date: string, receivedAt: string) {
  const rule = checkRule(found, variant)
  checkDate(settings, date, localDate(new Date(receivedAt)))
  return { ...found, rule }
}

/** The checks that depend on the rule and its tier alone: the rule as an entry is drafted from. */
function checkRule(found: LoadedRule, variant: string | null): DraftRule {
  // The same rule the phone's 记积分 picker offers rules by.
  const refusal = logRefusal({ ...found.content, retired: found.rule.retired_at !== null })
  if (refusal)
    throw opRejection(LOG_REFUSALS[refusal], { rule: found.content.name })
  if (resolvePoints(found.content, variant) === null)
    throw noTier()
  return { id: found.rule.id, versionId: found.version.id, ...found.content }
}

/** The entry's date against the member's today (China time) and the branch's period. */
function checkDate(settings: PointsSettings, date: string, today: string): void {
  const problem = checkEntryDate(date, today, settings.opensOn)
  if (problem)
    throw opRejection(DATE_REJECTIONS[problem])
}

/**
 * 记积分: new entries, one or a run of them (a phone that was offline all week pushes them
 * together). Each is checked as the phone's picker and the shared rules say; the rules and
 * settings are read once, and the entries, their events and the change log are written as
 * multi-row inserts; the entries answered and logged are the drafts as inserted, not read back. In a run, anything refused throws and push then runs each op alone, so the
 * refused one is answered alone.
 */
async function createEntries(items: { ctx: OpContext, payload: Static<typeof entryCreate.payload> }[]): Promise<Entry[]> {
  const { actor, trx } = items[0]!.ctx
  const ids = items.map(i => i.payload.id)
  // One entry id twice: one at a time, the first would be made and the second refused as taken.
  if (new Set(ids).size !== ids.length || await entryIdsTaken(trx, ids))
    throw opRejection(ENTRY_REJECT.idTaken)
  const loaded = new Map<string, LoadedRule | undefined>()
  for (const id of new Set(items.map(i => i.payload.ruleId)))
    loaded.set(id, await loadRule(trx, actor.branchId, id))
  const settings = await getSettings(trx, actor.branchId)
  const drafts = []
  const events = []
  // A run's entries mostly share a rule and tier, and arrive within the same millisecond: each
  // rule and tier is checked once, and each instant turned into a date once (same checks, same order).
  const rules = new Map<string, DraftRule>()
  const todays = new Map<string, string>()
  for (const { ctx, payload: p } of items) {
    const found = loaded.get(p.ruleId)
    if (!found)
      throw opRejection(ENTRY_REJECT.unknownRule)
    const variant = p.variant ?? null
    const ruleKey = `${p.ruleId}|${variant ?? ''}|${variant === null}`
    let rule = rules.get(ruleKey)
    if (!rule) {
      rule = checkRule(found, variant)
      rules.set(ruleKey, rule)
    }
    let today = todays.get(ctx.receivedAt)
    if (today === undefined) {
      today = localDate(new Date(ctx.receivedAt))
      todays.set(ctx.receivedAt, today)
    }
    checkDate(settings, p.date, today)
    const draft = draftEntry({ id: p.id, member: actor, rule, variant, date: p.date, note: p.note, now: ctx.receivedAt })
    if (!draft)
      throw noTier()
    if (p.points !== undefined && p.points !== draft.points)
      throw opRejection(ENTRY_REJECT.pointsNotAllowed, { points: draft.points })
    // No photo can belong to an entry id never used (entries are never deleted): only ones with photos attach.
    draft.photoIds = p.photoIds?.length ? await attachPhotos(trx, actor, p.photoIds, { entity: PHOTO_OWNER.entry, id: p.id }) : []
    drafts.push(draft)
    events.push({ entryId: p.id, actorId: actor.id, action: 'created', data: { ruleVersion: found.version.version, points: draft.points, date: p.date } })
  }
  await insertEntries(trx, drafts, { branchId: actor.branchId, createdBy: actor.id })
  await addEvents(trx, events)
  return publishNewEntries(trx, drafts, actor.branchId)
}

export const entryCreateHandler: OpHandler<typeof entryCreate.payload> = {
  definition: entryCreate,
  async apply(ctx, payload) {
    return (await createEntries([{ ctx, payload }]))[0]
  },
  applyMany: createEntries,
}

export const entryResubmitHandler: OpHandler<typeof entryResubmit.payload> = {
  definition: entryResubmit,
  async apply({ actor, trx, receivedAt }, p) {
    const entry = await loadEntry(trx, p.id)
    if (!entry || entry.memberId !== actor.id)
      throw opRejection(ENTRY_REJECT.notFound)
    if (entry.status !== 'returned')
      throw opRejection(ENTRY_REJECT.notReturned)
    const variant = p.variant === undefined ? entry.variant : p.variant
    // A correction is checked against the rule as it is now, and takes its current version.
    const ok = await checkLoggable(trx, actor.branchId, entry.ruleId ?? '', variant, p.date, receivedAt)
    const photoIds = p.photoIds ? await attachPhotos(trx, actor, p.photoIds, { entity: PHOTO_OWNER.entry, id: p.id }) : undefined
    const next = redraftEntry(entry, { rule: ok.rule, groupId: actor.groupId, variant, date: p.date, note: p.note, photoIds, now: receivedAt })
    if (!next)
      throw noTier()
    await trx.updateTable('point_entry').set({
      rule_version_id: next.ruleVersionId,
      category: next.category,
      rule_name: next.ruleName,
      variant: next.variant,
      date: next.date,
      year: yearOf(next.date),
      note: next.note,
      points: next.points,
      status: next.status,
      stage: next.stage,
      revision: next.revision,
      group_approved_by: null,
      group_approved_at: null,
      reviewed_by: null,
      reviewed_at: null,
      return_code: null,
      return_reason: null,
      updated_at: next.updatedAt,
      ...(photoIds ? { photo_ids: JSON.stringify(photoIds) } : {}),
    }).where('id', '=', p.id).execute()
    await addEvent(trx, p.id, actor.id, 'resubmitted', {
      revision: next.revision,
      before: { date: entry.date, note: entry.note, variant: entry.variant, points: entry.points, returnReason: entry.returnReason },
    })
    return publishEntry(trx, p.id)
  },
}
