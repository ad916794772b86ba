import type { AdjustmentBody, Entry, PointsSettings, Rule, VetoBody } from '#shared/points/schemas'
import type { Member } from '#shared/schemas/org'
import type { RosterMember } from '../db/rosters'
import type { LocalEntry } from './points'
import { comparePeople } from '#shared/org/order'
import { adjustmentWaits, draftAdjustment } from '#shared/points/entry'
import { POINTS_ENTITY, pointsAdjust } from '#shared/points/ops'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, get } from '../api/client'
import { orgApi } from '../api/org'
import { organizerApi } from '../components/organizer/organizer-api'
import { listRecords } from '../db'
import { getRoster, putRoster } from '../db/rosters'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

export type { AuditItem } from '../components/organizer/organizer-api'
export type { RosterMember } from '../db/rosters'

/** How many of the organizer's own 加分/扣分 the adjust screen lists (newest first). */
const RECENT_ADJUSTMENTS = 20

/** What the organizer chose on 记分/扣分, already checked (adjust-input.ts): the same for every ticked member. */
export interface AdjustChoice {
  memberIds: string[]
  body: Omit<AdjustmentBody, 'id' | 'memberId'>
  /** The rule chosen, as the phone has it; null for free points. */
  rule: Rule | null
}

/**
 * The organizer's data (党小组组长, 支部管理员): the members they act on, kept on the phone so
 * 记分/扣分 works with no signal; their grants and deductions, queued through the outbox like a
 * member's own records; and the online-only views (a member's points, the audit trail, settings).
 */
export const useOrganizerStore = defineStore('organizer', () => {
  const session = useSessionStore()
  /** Everyone in the organizer's scope (a leader's group, an admin's branch), the organizer included. */
  const members = ref<RosterMember[]>([])
  /** When the list was last fetched from the server; null until it was, on this phone. */
  const membersSavedAt = ref<string | null>(null)
  const adjustments = ref<LocalEntry[]>([])

  /** Whom 记分/扣分 offers: never the organizer themself (the server refuses that too). */
  const pickable = computed(() => members.value.filter(m => m.id !== session.me?.id))

  /**
   * The phone's saved list at once, then the server's (saved for next time). With no signal the
   * saved list stands; without one ever saved, the error says so.
   */
  async function loadMembers(): Promise<void> {
    const me = session.me
    if (!me)
      return
    const saved = await getRoster(me.id)
    if (saved) {
      members.value = [...saved.members].sort(comparePeople)
      membersSavedAt.value = saved.savedAt
    }
    try {
      const fresh = await putRoster(me.id, await organizerApi.members())
      members.value = [...fresh.members].sort(comparePeople)
      membersSavedAt.value = fresh.savedAt
    }
    catch (err) {
      if (!(saved && err instanceof ApiError && err.isNetwork))
        throw err
    }
  }

  /** The organizer's own 加分/扣分 kept on this phone: 待同步, as the server answered, or refused (同步失败). */
  async function loadAdjustments(): Promise<void> {
    const me = session.me
    if (!me)
      return
    const records = await listRecords<Entry>(me.id, POINTS_ENTITY.entry)
    adjustments.value = records
      .filter(r => r.data.source === 'organizer' && r.data.memberId !== me.id)
      .map(r => ({ ...r.data, syncPending: r.pendingOps > 0, syncFailed: r.failed }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, RECENT_ADJUSTMENTS)
  }

  /**
   * 记分/扣分 for each ticked member: saved on the phone at once (待同步) and queued for the server,
   * one op per member, each with its own entry id (a resend never grants twice). Returns how many
   * were queued and how many of them will wait for a branch admin.
   */
  async function adjust(choice: AdjustChoice): Promise<{ queued: number, waiting: number }> {
    const me = session.me
    if (!me)
      throw new Error('not logged in')
    let waiting = 0
    for (const memberId of choice.memberIds) {
      const m = members.value.find(x => x.id === memberId)
      const id = crypto.randomUUID()
      const now = new Date().toISOString()
      const { body, rule } = choice
      const local = draftAdjustment({ id, member: { id: memberId, name: m?.name ?? '', groupId: m?.groupId ?? null }, rule, variant: body.variant ?? null, category: body.category, points: body.points, date: body.date, reason: body.reason, now })
      if (!local)
        throw new Error('incomplete adjustment')
      if (adjustmentWaits(me.role, rule, local.points))
        waiting++
      // The points shown go with the op: if the rule's points changed meanwhile the server refuses
      // it (同步失败) instead of recording what the organizer did not choose.
      await queueWrite(pointsAdjust, { id, memberId, ...body, points: local.points }, { entity: POINTS_ENTITY.entry, id, data: local })
    }
    await loadAdjustments()
    return { queued: choice.memberIds.length, waiting }
  }

  // Online-only views: they show the server's current truth (other organizers' decisions included).
  return {
    members,
    membersSavedAt,
    pickable,
    adjustments,
    loadMembers,
    loadAdjustments,
    adjust,
    /** Everyone in the branch, those who left included (the audit trail still names them). */
    allMembers: () => get<Member[]>('/members'),
    groups: () => orgApi.groups(),
    summary: organizerApi.summary,
    entries: organizerApi.entries,
    revoke: organizerApi.revoke,
    veto: (body: VetoBody) => organizerApi.veto(body),
    revokeVeto: organizerApi.revokeVeto,
    audit: organizerApi.audit,
    settings: organizerApi.settings,
    saveSettings: (s: PointsSettings) => organizerApi.saveSettings(s),
  }
})
