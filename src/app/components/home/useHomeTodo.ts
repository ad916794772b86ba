import type { MeetingListItem } from '#shared/meetings/schemas'
import { computed, ref } from 'vue'
import { useApprovalsStore } from '../../stores/approvals'
import { useMeetingsStore } from '../../stores/meetings'
import { usePledgesStore } from '../../stores/pledges'
import { useSessionStore } from '../../stores/session'

/** How far ahead home looks for the member's next meeting. */
export const NEXT_MEETING_DAYS = 7
const DAY_MS = 24 * 60 * 60 * 1000

/** What waits for an organizer; null where it could not be learned (no network and nothing kept). */
export interface OrganizerTodo {
  /** 待审核: entries the server has waiting for this organizer (decisions made here and not yet synced left out). */
  approvals: number | null
  /** Late scans (补传的签到) in the organizer's open meetings, waiting to be confirmed or refused. */
  lateScans: number | null
  /** Submitted pledges waiting for the branch's review (branch admin only). */
  pledgesToReview: number | null
  /** The organizer's meetings whose end has passed and that are not closed yet. */
  meetingsToClose: number | null
}

/**
 * 待办 on home (issue 16 item 1, issue 15 item 4): the member's next meeting within a week, with
 * place and time, and for an organizer the counts of what waits for them. Counts come from the
 * server's lists (what the phone kept when offline), so nothing still waiting on a phone is counted.
 * Nothing here nags: no daily check-in, no streaks (减负).
 */
export function useHomeTodo() {
  const session = useSessionStore()
  const meetings = useMeetingsStore()
  const approvals = useApprovalsStore()
  const pledges = usePledgesStore()

  const nextMeeting = ref<MeetingListItem | null>(null)
  const organizer = ref<OrganizerTodo>({ approvals: null, lateScans: null, pledgesToReview: null, meetingsToClose: null })
  /** The organizer's counts are the phone's kept copies: the server could not be asked. */
  const offline = ref(false)
  const loaded = ref(false)

  async function loadNextMeeting(now: number): Promise<void> {
    try {
      const { meetings: list } = await meetings.upcoming()
      nextMeeting.value = list
        .filter(m => m.status === 'scheduled' && Date.parse(m.endsAt) > now && Date.parse(m.startsAt) < now + NEXT_MEETING_DAYS * DAY_MS)
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0] ?? null
    }
    catch {
      nextMeeting.value = null
    }
  }

  async function countApprovals(): Promise<number | null> {
    try {
      await approvals.refresh()
    }
    catch {
      offline.value = true
    }
    return approvals.loaded ? approvals.items.length : null
  }

  async function countPledges(): Promise<number | null> {
    if (!session.isBranchAdmin)
      return null
    try {
      await pledges.loadQueue()
      offline.value ||= pledges.offline
      return pledges.queue.filter(p => p.status === 'submitted' && !p.syncPending).length
    }
    catch {
      return null
    }
  }

  /** Meetings to close, and the late scans in those already begun (each needs its attendance list: online only). */
  async function countMeetings(now: number): Promise<Pick<OrganizerTodo, 'lateScans' | 'meetingsToClose'>> {
    try {
      await meetings.load()
    }
    catch {
      return { lateScans: null, meetingsToClose: null }
    }
    const open = meetings.organized.filter(m => m.status === 'scheduled' && Date.parse(m.startsAt) <= now)
    const meetingsToClose = open.filter(m => Date.parse(m.endsAt) < now).length
    try {
      const lists = await Promise.all(open.filter(m => !m.syncPending).map(m => meetings.attendance(m.id)))
      return { meetingsToClose, lateScans: lists.reduce((n, s) => n + s.counts.pending, 0) }
    }
    catch {
      offline.value = true
      return { meetingsToClose, lateScans: null }
    }
  }

  async function load(): Promise<void> {
    const now = Date.now()
    offline.value = false
    const jobs: Promise<unknown>[] = [loadNextMeeting(now)]
    if (session.isOrganizer) {
      jobs.push((async () => {
        const [a, p, m] = await Promise.all([countApprovals(), countPledges(), countMeetings(now)])
        organizer.value = { approvals: a, pledgesToReview: p, ...m }
      })())
    }
    await Promise.all(jobs)
    loaded.value = true
  }

  /** Whether anything waits for the organizer at all (for "暂无待办"). */
  const organizerBusy = computed(() => Object.values(organizer.value).some(n => (n ?? 0) > 0))

  return { nextMeeting, organizer, organizerBusy, offline, loaded, load }
}
