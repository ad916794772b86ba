import type { HonourFeedbackBody, Round, RoundCreateBody, RoundUpdateBody, Shortlist } from '#shared/commendations/schemas'
import { get, patch, post } from '../../api/client'

type RoundSummary = Omit<Round, 'titles' | 'nominees'>
export interface MyHonour { title: string, roundTitle: string, year: number, decidedAt: string }

/**
 * The online calls of the commendations store (src/app/stores/commendations.ts). Nominating and
 * deciding go through the outbox as ops instead (commendation.nominate, commendation.decide).
 */
export const honoursApi = {
  rounds: () => get<RoundSummary[]>('/commendations/rounds'),
  round: (id: string) => get<Round>(`/commendations/rounds/${id}`),
  create: (body: RoundCreateBody) => post<Round>('/commendations/rounds', body),
  update: (id: string, body: RoundUpdateBody) => patch<Round>(`/commendations/rounds/${id}`, body),
  step: (id: string, to: 'nominating' | 'publicity') => post<Round>(`/commendations/rounds/${id}/step`, { to }),
  shortlist: (id: string) => get<Shortlist>(`/commendations/rounds/${id}/shortlist`),
  moderate: (id: string, decision: 'approve' | 'reject') => post<{ ok: true }>(`/commendations/feedback/${id}/moderate`, { decision }),
  mine: () => get<MyHonour[]>('/commendations/mine'),
  boardFeedback: (slug: string, body: HonourFeedbackBody) => post<{ status: 'pending' }>(`/board/${slug}/honours-feedback`, body),
}
export type { RoundSummary }
