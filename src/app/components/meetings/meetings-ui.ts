import { router } from '../../router'

/** "11/28 14:30" in the phone's zone. */
export function formatWhen(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}/${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Navigates to one of the meeting routes that take the meeting id. */
export function goMeeting(name: 'meeting' | 'meeting-edit' | 'meeting-screen' | 'meeting-scan', id: string, replace = false) {
  return router.push({ name, params: { id }, replace })
}
