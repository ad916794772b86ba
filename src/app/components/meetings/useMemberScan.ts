import type { LocalMeeting } from '../../stores/meetings'
import type { StoredKeys } from '../checkin/useCheckinKeys'
import { PRESENT_STATUSES } from '#shared/meetings/constants'
import { CHECKIN_REJECT } from '#shared/meetings/ops'
import { expectedAt } from '#shared/meetings/rules'
import { importVerifyKey, verifyPersonalToken } from '#shared/meetings/token'
import { ref } from 'vue'
import { wordRefusal } from '../../api/errors'
import { useMeetingsStore } from '../../stores/meetings'
import { useSessionStore } from '../../stores/session'
import { useCheckinKeys } from '../checkin/useCheckinKeys'

/** One scanned code and what became of it: checked in (待同步), or refused with the reason in words. */
export interface ScanResult {
  ok: boolean
  /** The member's name when the code named a member this phone knows. */
  name: string | null
  words: string
  at: number
}

/** Refusals the scanner words from the catalog (the server refuses with the same codes on sync). */
const WORDS = {
  malformed: 'CHECKIN_PERSONAL_MALFORMED',
  forged: CHECKIN_REJECT.forged,
  stale: 'CHECKIN_PERSONAL_STALE',
  future: 'CHECKIN_PERSONAL_FUTURE',
  unknownMember: CHECKIN_REJECT.scanUnknownMember,
} as const

/** How long the camera may keep seeing a code just taken before the same member counts as a second scan. */
const SAME_MEMBER_QUIET_MS = 6000

/**
 * The organizer's 扫描党员签到码 (issue 15 point 2): each personal code is checked on this phone
 * with the members' public keys kept from the last time it was online — signature, freshness,
 * the member expected at the meeting, not already in — and becomes a checkin.scan op at once.
 * Refusals are said in words; scanning goes on either way.
 */
export function useMemberScan(meetingId: string) {
  const store = useMeetingsStore()
  const session = useSessionStore()
  const keys = useCheckinKeys()
  const meeting = ref<LocalMeeting | null>(null)
  const results = ref<ScanResult[]>([])
  const checkedIn = ref(0)
  const missingKeys = ref(false)
  let stored: StoredKeys | null = null
  const imported = new Map<string, Promise<CryptoKey>>()
  /** Members already in: from the attendance list last read, and those scanned here. */
  const present = new Set<string>()
  const taken = new Map<string, number>()
  let last = { text: '', at: 0 }

  async function prepare(): Promise<void> {
    const [m, k, detail] = await Promise.all([store.meeting(meetingId), keys.load(), store.detail(meetingId).catch(() => null)])
    meeting.value = m
    stored = k
    missingKeys.value = !k || k.members.length === 0
    for (const row of detail?.summary?.rows ?? []) {
      if (row.status && PRESENT_STATUSES.includes(row.status))
        present.add(row.memberId)
    }
  }

  async function keyOf(memberId: string): Promise<CryptoKey | null> {
    const member = stored?.members.find(x => x.id === memberId)
    if (!member)
      return null
    if (!imported.has(memberId))
      imported.set(memberId, importVerifyKey(member.verifyKey))
    return imported.get(memberId)!
  }

  function show(result: Omit<ScanResult, 'at'>) {
    results.value = [{ ...result, at: Date.now() }, ...results.value].slice(0, 20)
    // A short buzz for taken, a double one for refused, where the phone has a motor.
    globalThis.navigator?.vibrate?.(result.ok ? 80 : [60, 50, 60])
  }

  /** Judges one QR text; returns false when it was ignored (the code just taken, still in view). */
  async function judge(text: string): Promise<boolean> {
    const m = meeting.value
    // The camera sees the same code many times a second: one result per code.
    if (!m || (text === last.text && Date.now() - last.at < SAME_MEMBER_QUIET_MS))
      return false
    last = { text, at: Date.now() }
    const now = Date.now() + (stored?.clockOffsetMs ?? 0)
    const t0 = performance.now()
    const verdict = await verifyPersonalToken(text, keyOf, now)
    performance.measure('xf-verify-personal', { start: t0, end: performance.now() })
    const member = verdict.memberId ? stored?.members.find(x => x.id === verdict.memberId) ?? null : null
    if (member && (taken.get(member.id) ?? 0) > Date.now() - SAME_MEMBER_QUIET_MS)
      return false
    if (!verdict.ok) {
      show({ ok: false, name: member?.name ?? null, words: wordRefusal(WORDS[verdict.reason as keyof typeof WORDS] ?? CHECKIN_REJECT.malformed, {}, verdict.reason) })
      return true
    }
    const me = session.me!
    if (!expectedAt({ branchId: me.branchId, groupId: member!.groupId }, { branchId: me.branchId, groupId: m.groupId })) {
      show({ ok: false, name: member!.name, words: wordRefusal('CHECKIN_SCAN_OUT_OF_SCOPE_NAMED', { name: member!.name }, '') })
      return true
    }
    if (present.has(member!.id)) {
      show({ ok: false, name: member!.name, words: wordRefusal('CHECKIN_SCAN_ALREADY_NAMED', { name: member!.name }, '') })
      return true
    }
    await store.scanIn(m, member!, text, new Date(now).toISOString())
    present.add(member!.id)
    taken.set(member!.id, Date.now())
    checkedIn.value++
    performance.mark('xf-scan-taken')
    show({ ok: true, name: member!.name, words: '' })
    return true
  }

  return { meeting, results, checkedIn, missingKeys, prepare, judge }
}
