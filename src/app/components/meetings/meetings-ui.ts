import { router } from '../../router'

/** "11/28 14:30" in the phone's zone. */
export function formatWhen(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}/${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "12/1 15:10–17:10", or both dates in full when the meeting runs past midnight. */
export function formatSpan(startIso: string, endIso: string): string {
  const start = formatWhen(startIso)
  const end = formatWhen(endIso)
  const [startDay] = start.split(' ')
  const [endDay, endTime] = end.split(' ')
  return startDay === endDay ? `${start}–${endTime}` : `${start}–${end}`
}

/** Facts joined by " · ", leaving out the empty ones: a meeting with no place has no stray separator. */
export function metaLine(...parts: (string | null | undefined)[]): string {
  return parts.map(p => p?.trim()).filter(Boolean).join(' · ')
}

/** Navigates to one of the meeting routes that take the meeting id. */
export function goMeeting(name: 'meeting' | 'meeting-edit' | 'meeting-screen' | 'meeting-scan', id: string, replace = false) {
  return router.push({ name, params: { id }, replace })
}
