import type { HonourFeedbackBody } from '#shared/commendations/schemas'
import { honoursApi } from './honours-api'

/** The public's word on a nominee in 公示: a guest has no outbox, so it is sent at once and waits for moderation. */
export function useHonourFeedback(slug: string) {
  return { send: (body: HonourFeedbackBody) => honoursApi.boardFeedback(slug, body) }
}
