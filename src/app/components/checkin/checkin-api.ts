import type { CheckinKeys } from '#shared/meetings/schemas'
import { get } from '../../api/client'

/** The online call of the check-in keys (useCheckinKeys caches the answer for offline use). */
export const checkinApi = {
  keys: () => get<CheckinKeys>('/checkin/keys'),
}
