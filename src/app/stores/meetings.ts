import type { AttendanceStatus } from '#shared/meetings/constants'
import type { ClosePlan } from '#shared/meetings/rules'
import type { AttendanceAction, AttendanceRow, AttendanceSummary, Meeting, MeetingBody, MeetingListItem, MeetingScreen } from '#shared/meetings/schemas'
import type { Rule } from '#shared/points/schemas'
import type { Group } from '#shared/schemas/org'
import type { LocalRecord } from '../db'
import type { QueuedPhoto } from '../sync/write'
import { CHECKIN, PRESENT_STATUSES } from '#shared/meetings/constants'
import { attendanceId, checkinScan, MEETING_ENTITY, meetingAttendance, meetingClose, meetingCreate } from '#shared/meetings/ops'
import { mayOrganize, meetingVisibleTo, planClose } from '#shared/meetings/rules'
import { POINTS_ENTITY } from '#shared/points/ops'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, get } from '../api/client'
import { meetingsApi } from '../components/meetings/meetings-api'
import { getRecord, listRecords } from '../db'
import { queueWrite } from '../sync/write'
import { useSessionStore } from './session'

/** A meeting as the organizer's phone shows it: the server's copy, or one changed here and not yet synced (待同步) or refused. */
export interface LocalMeeting extends Meeting {
  canOrganize: boolean
  syncPending: boolean
  syncFailed: boolean
}

/** One attendance row with the organizer's decision still on the phone laid over it. */
export interface ShownRow extends AttendanceRow {
  syncPending: boolean
  syncFailed: boolean
}

export interface ShownSummary extends Omit<AttendanceSummary, 'rows' | 'meeting'> {
  meeting: LocalMeeting
  rows: ShownRow[]
}

/** What the phone stores for a decision it sends (the server answers with the member's attendance record). */
interface Decision {
  meetingId: string
  memberId: string
  status: AttendanceStatus | null
  reason: string | null
  at: string
}

/** The attendance status a decision leads to, as the server's decideAttendance writes it. */
const DECIDED: Record<AttendanceAction['action'], AttendanceStatus | null> = {
  checkin: 'manual',
  leave: 'leave',
  confirm: 'verified',
  reject: 'rejected',
  clear: null,
}

const isOffline = (err: unknown) => err instanceof ApiError && err.isNetwork

/**
 * The organizer's meetings (issue 11): listed from the phone's records — pulled, or created here
 * offline — by the shared visibility rule; creating, closing and attendance decisions are queued
 * as ops (queueWrite), shown at once as 待同步, and a refused one goes to 同步失败. Editing,
 * cancelling, the 签到 screen's key and the attendance list itself are online calls.
 */
export const useMeetingsStore = defineStore('meetings', () => {
  const session = useSessionStore()
  const meetings = ref<LocalMeeting[]>([])
  /** The last attendance list the server gave for each meeting opened, kept in memory for when the signal goes. */
  const summaries = new Map<string, AttendanceSummary>()

  function toLocal(m: Meeting, record?: Pick<LocalRecord, 'pendingOps' | 'failed'>): LocalMeeting {
    const me = session.me!
    const scope = { branchId: me.branchId, groupId: m.groupId, createdBy: m.createdBy }
    return { ...m, canOrganize: mayOrganize(me, scope), syncPending: (record?.pendingOps ?? 0) > 0, syncFailed: record?.failed ?? false }
  }

  /** The meetings this member may see, from the phone's records (the pulled ones are all of the branch they may see). */
  async function localMeetings(): Promise<LocalMeeting[]> {
    const me = session.me
    if (!me)
      return []
    const records = await listRecords<Meeting>(me.id, MEETING_ENTITY.meeting)
    return records
      .filter(r => meetingVisibleTo({ branchId: me.branchId, groupId: r.data.groupId, createdBy: r.data.createdBy }, me))
      .map(r => toLocal(r.data, r))
  }

  /**
   * 会议管理's list: the phone's records, with what the server lists added when online (a meeting
   * made on another phone that was not pulled yet). A meeting changed here and not yet synced
   * keeps the phone's version.
   */
  async function load(): Promise<void> {
    const local = await localMeetings()
    const byId = new Map(local.map(m => [m.id, m]))
    try {
      for (const m of await meetingsApi.list('all')) {
        const mine = byId.get(m.id)
        if (!mine || (!mine.syncPending && !mine.syncFailed))
          byId.set(m.id, toLocal(m))
      }
    }
    catch (err) {
      if (!isOffline(err))
        throw err
    }
    meetings.value = [...byId.values()].sort((a, b) => b.startsAt.localeCompare(a.startsAt))
  }

  const organized = computed(() => meetings.value.filter(m => m.canOrganize))

  /** A member's 签到 list: upcoming meetings from the server, or from the phone's records when offline. */
  async function upcoming(): Promise<{ meetings: MeetingListItem[], offline: boolean }> {
    try {
      return { meetings: await meetingsApi.list('upcoming'), offline: false }
    }
    catch (err) {
      if (!isOffline(err))
        throw err
    }
    const cutoff = Date.now() - CHECKIN.graceMs
    const list = (await localMeetings())
      .filter(m => m.status === 'scheduled' && Date.parse(m.endsAt) > cutoff)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map(({ syncPending: _p, syncFailed: _f, ...m }) => ({ ...m, myStatus: null }))
    return { meetings: list, offline: true }
  }

  /** This member's record of a meeting (another member who used this phone has records of their own). */
  async function ownRecord(id: string) {
    const record = await getRecord<Meeting>(MEETING_ENTITY.meeting, id)
    return record?.owner === session.me?.id ? record : undefined
  }

  /** One meeting: the phone's record (so one created offline opens at once), else the server's. */
  async function meeting(id: string): Promise<LocalMeeting | null> {
    const record = await ownRecord(id)
    if (record)
      return toLocal(record.data, record)
    try {
      return toLocal(await meetingsApi.one(id))
    }
    catch (err) {
      if (isOffline(err))
        return null
      throw err
    }
  }

  /**
   * The organizer's page of one meeting: the attendance list from the server (or the one last
   * read, offline), the decisions still on the phone laid over it. `list` is null when the phone
   * never read it: the names come only from the server.
   */
  async function detail(id: string): Promise<{ meeting: LocalMeeting | null, summary: ShownSummary | null, offline: boolean }> {
    let offline = false
    const local = await meeting(id)
    try {
      summaries.set(id, await meetingsApi.attendance(id))
    }
    catch (err) {
      // A meeting created on this phone is unknown to the server until its op arrives.
      const notThereYet = local?.syncPending && err instanceof ApiError && err.status === 404
      if (!isOffline(err) && !notThereYet)
        throw err
      offline = isOffline(err)
    }
    const server = summaries.get(id)
    const shown = local ?? (server ? toLocal(server.meeting) : null)
    if (!server || !shown)
      return { meeting: shown, summary: null, offline }
    const me = session.me!
    const decisions = (await listRecords<Decision>(me.id, MEETING_ENTITY.decision)).filter(r => r.data.meetingId === id && (r.pendingOps > 0 || r.failed))
    const byMember = new Map(decisions.map(r => [r.data.memberId, r]))
    const rows = server.rows.map((row): ShownRow => {
      const d = byMember.get(row.memberId)
      if (!d)
        return { ...row, syncPending: false, syncFailed: false }
      // A refused decision shows the server's state, marked 同步失败; a waiting one shows what it will record.
      return d.failed
        ? { ...row, syncPending: false, syncFailed: true }
        : { ...row, status: d.data.status, reason: d.data.reason ?? row.reason, syncPending: true, syncFailed: false }
    })
    const count = (pred: (s: AttendanceStatus | null) => boolean) => rows.filter(r => pred(r.status)).length
    const counts = {
      expected: server.counts.expected,
      present: count(s => s !== null && PRESENT_STATUSES.includes(s)),
      pending: count(s => s === 'pending'),
      leave: count(s => s === 'leave'),
    }
    return { meeting: shown, summary: { ...server, meeting: shown, rows, counts }, offline }
  }

  /** The points of each rule the branch switched on, by key, from the pulled rules (null: unknown or off). */
  async function rulePoints(): Promise<(key: string) => number | null> {
    const me = session.me!
    const rules = (await listRecords<Rule>(me.id, POINTS_ENTITY.rule)).map(r => r.data)
    return (key) => {
      const rule = rules.find(r => r.key === key && r.active && !r.retired)
      return rule ? rule.points : null
    }
  }

  /**
   * What closing will record for each member, by the same rule the server's close applies; the
   * first `counts.expected` rows of a summary are the members expected at the meeting.
   */
  async function closePlan(summary: ShownSummary): Promise<ClosePlan> {
    return planClose({
      type: summary.meeting.type,
      expected: summary.rows.slice(0, summary.counts.expected).map(r => r.memberId),
      rows: summary.rows.flatMap(r => r.status ? [{ memberId: r.memberId, status: r.status, flag: r.flag }] : []),
      closerId: session.me!.id,
      rulePoints: await rulePoints(),
    })
  }

  /** 新建会议: the id is made here, so the meeting's page opens before it reaches the server. */
  async function create(body: MeetingBody, groupName: string | null): Promise<string> {
    const me = session.me!
    const id = crypto.randomUUID()
    const now = new Date().toISOString()
    const local: Meeting = { id, ...body, groupName, status: 'scheduled', createdBy: me.id, updatedAt: now, minutes: '', minutesPhotoIds: [] }
    await queueWrite(meetingCreate, { id, ...body }, { entity: MEETING_ENTITY.meeting, id, data: local })
    await load()
    return id
  }

  /** 结束会议: shown closed at once (待同步); the server counts the attendance when it arrives. */
  async function close(m: LocalMeeting): Promise<void> {
    const { canOrganize: _c, syncPending: _p, syncFailed: _f, ...data } = m
    await queueWrite(meetingClose, { meetingId: m.id, topic: m.topic }, { entity: MEETING_ENTITY.meeting, id: m.id, data: { ...data, status: 'closed', updatedAt: new Date().toISOString() } })
    await load()
  }

  /** 代签到, 请假, confirming or refusing a late scan: queued, shown on the row at once. */
  async function decide(m: Pick<Meeting, 'id' | 'topic'>, row: Pick<AttendanceRow, 'memberId' | 'name'>, action: AttendanceAction['action'], reason?: string): Promise<void> {
    const data: Decision = { meetingId: m.id, memberId: row.memberId, status: DECIDED[action], reason: reason ?? null, at: new Date().toISOString() }
    await queueWrite(meetingAttendance, { meetingId: m.id, memberId: row.memberId, action, ...(reason ? { reason } : {}), topic: m.topic, memberName: row.name }, { entity: MEETING_ENTITY.decision, id: attendanceId(m.id, row.memberId), data })
  }

  /**
   * 反向扫码: a member's personal code the organizer's phone verified (offline) becomes a check-in
   * op on the member's behalf, shown on their row at once (待同步) like any decision.
   */
  async function scanIn(m: Pick<Meeting, 'id' | 'topic'>, member: { id: string, name: string }, token: string, scannedAt: string): Promise<void> {
    const data: Decision = { meetingId: m.id, memberId: member.id, status: 'verified', reason: null, at: scannedAt }
    await queueWrite(checkinScan, { meetingId: m.id, memberId: member.id, token, scannedAt, topic: m.topic, memberName: member.name }, { entity: MEETING_ENTITY.decision, id: attendanceId(m.id, member.id), data })
  }

  // Online only: editing and cancelling change what members were told; the 签到 screen needs the server's key.
  const update = (id: string, body: MeetingBody) => meetingsApi.update(id, body)
  const cancel = (id: string) => meetingsApi.cancel(id)

  /**
   * The 签到 screen's key and the server's clock, online. A meeting created offline has no key
   * until its op reached the server (needsSync); offline, the screen cannot start (offline).
   */
  async function screen(id: string): Promise<{ screen: MeetingScreen } | { problem: 'needsSync' | 'offline' }> {
    try {
      return { screen: await meetingsApi.screen(id) }
    }
    catch (err) {
      const record = await ownRecord(id)
      // Made on this phone and never answered by the server: it has no key to hand out yet.
      const unsent = record !== undefined && record.server === undefined
      if (unsent && (isOffline(err) || (err instanceof ApiError && err.status === 404)))
        return { problem: 'needsSync' }
      if (isOffline(err))
        return { problem: 'offline' }
      throw err
    }
  }
  const attendance = (id: string) => meetingsApi.attendance(id)

  /** The groups a meeting may be for: the server's list, or the organizer's own group when offline. */
  async function groups(): Promise<Pick<Group, 'id' | 'name'>[]> {
    try {
      return await get<Group[]>('/groups')
    }
    catch (err) {
      const me = session.me
      if (isOffline(err) && me?.groupId)
        return [{ id: me.groupId, name: me.groupName ?? '' }]
      if (isOffline(err))
        return []
      throw err
    }
  }

  /** 会议记录: photos first (uploading one again is harmless), then the minutes. Online. */
  async function saveMinutes(id: string, minutes: string, keptPhotoIds: string[], photos: QueuedPhoto[]): Promise<Meeting> {
    for (const p of photos)
      await meetingsApi.uploadPhoto(p)
    return meetingsApi.minutes(id, { minutes, photoIds: [...keptPhotoIds, ...photos.map(p => p.id)] })
  }

  return { meetings, organized, load, upcoming, meeting, detail, closePlan, create, close, decide, scanIn, update, cancel, screen, attendance, groups, saveMinutes }
})
