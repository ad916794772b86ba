import type { Board, FeedbackBody } from '#shared/pledges/schemas'
import { ref } from 'vue'
import { pledgesApi } from '../pledges/pledges-api'

/**
 * 承诺公示 for guests: always the server's current board, never kept on the phone (a guest has
 * no account and no outbox), so it is online only. Feedback is sent at once and waits for moderation.
 */
export function useBoard(slug: string) {
  const board = ref<Board | null>(null)

  async function load(): Promise<void> {
    board.value = await pledgesApi.board(slug)
  }

  async function sendFeedback(body: FeedbackBody): Promise<void> {
    await pledgesApi.sendFeedback(slug, body)
  }

  return { board, load, sendFeedback }
}
