import type { Board, EvaluateBody, EvaluateResponse, FeedbackBody, Pledge, PledgeDetail, PledgeQuery, Progress } from '#shared/pledges/schemas'
import type { Group } from '#shared/schemas/org'
import type { LocalRecord } from '../../db'
import type { QueuedPhoto } from '../../sync/write'
import { PLEDGE_ENTITY, pledgeProgress } from '#shared/pledges/ops'
import { isAuthor } from '#shared/pledges/status'
import { get, post, queryString as qs } from '../../api/client'
import { listRecords } from '../../db'
import { queueWrite } from '../../sync/write'

/**
 * The pledges API module, reached by components only through the pledges store (and useBoard).
 * The phone's writes (drafts, submissions, review decisions, 践诺) go through the outbox; these
 * calls read, and do what stays online (评诺, moderation).
 */
export const pledgesApi = {
  list: (q?: PledgeQuery) => get<Pledge[]>(`/pledges${qs(q)}`),
  detail: (id: string) => get<PledgeDetail>(`/pledges/${id}`),
  evaluate: (id: string, body: EvaluateBody) => post<EvaluateResponse>(`/pledges/${id}/evaluate`, body),
  archive: (q?: PledgeQuery) => get<PledgeDetail[]>(`/pledges/archive${qs(q)}`),
  archiveXlsxUrl: (q?: PledgeQuery) => `/api/pledges/archive.xlsx${qs(q)}`,
  boardLink: () => get<{ slug: string }>('/pledges/board-link'),
  feedback: () => get<(PledgeDetail['feedback'][number] & { ownerName: string })[]>('/pledges/feedback'),
  moderate: (id: string, decision: 'approve' | 'reject') => post<{ ok: true }>(`/pledges/feedback/${id}/moderate`, { decision }),
  groups: () => get<Group[]>('/groups'),
  board: (slug: string) => get<Board>(`/board/${slug}`),
  sendFeedback: (slug: string, body: FeedbackBody) => post<{ status: 'pending' }>(`/board/${slug}/feedback`, body),
}

/** A progress record on this phone, maybe not yet synced. */
export type LocalProgress = Progress & { pending: boolean }

/** Records progress on the phone at once (待同步) and queues the op; works offline. */
export async function recordProgress(memberId: string, itemId: string, status: Progress['status'], percent: number, note: string, photos: QueuedPhoto[] = []): Promise<void> {
  const id = crypto.randomUUID()
  const now = new Date().toISOString()
  const p = status === 'done' ? 100 : status === 'not_started' ? 0 : percent
  const photoIds = photos.map(ph => ph.id)
  const data: Progress = { id, itemId, status, percent: p, note, recordedBy: memberId, clientTime: now, createdAt: now, photoIds }
  await queueWrite(pledgeProgress, { id, itemId, status, percent: p, note, ...(photoIds.length ? { photoIds } : {}) }, { entity: PLEDGE_ENTITY.progress, id, data }, { photos })
}

/**
 * The member's own pledges (theirs, or written by them) as last pulled to this phone, with progress
 * recorded here but not yet pulled back laid over them. An organizer's decisions on others'
 * pledges are records on this phone too, and are left out.
 */
export async function localPledges(memberId: string): Promise<Pledge[]> {
  const pledges = (await listRecords<Pledge>(memberId, PLEDGE_ENTITY.pledge)).map(r => r.data).filter(p => isAuthor(p, memberId))
  return withLocalProgress(memberId, pledges)
}

/** A 践诺 record as the detail page lists it: the server's, or this phone's not yet synced (待同步). */
export type LogRecord = Progress & { pending?: boolean }
export type DetailWithLog = Omit<PledgeDetail, 'progress'> & { progress: LogRecord[] }

/**
 * The pledge's 践诺 log with the records made on this phone laid over it, so a record (and its
 * photos, read from the phone's copy) shows at once, offline too, before the server has it.
 */
export async function withLocalLog(memberId: string, pledge: DetailWithLog): Promise<DetailWithLog> {
  const itemIds = new Set(pledge.items.map(i => i.id))
  const fromServer = new Set(pledge.progress.map(p => p.id))
  const local = (await listRecords<Progress>(memberId, PLEDGE_ENTITY.progress))
    .filter(r => itemIds.has(r.data.itemId) && !fromServer.has(r.data.id))
    .map(r => ({ ...r.data, pending: r.pendingOps > 0 }))
  const progress = [...pledge.progress, ...local].sort((a, b) => b.clientTime.localeCompare(a.clientTime))
  return { ...pledge, progress }
}

export async function withLocalProgress<T extends Pledge>(memberId: string, pledges: T[]): Promise<T[]> {
  const records: LocalRecord<Progress>[] = await listRecords<Progress>(memberId, PLEDGE_ENTITY.progress)
  return pledges.map(p => ({
    ...p,
    items: p.items.map((item) => {
      const newest = records.filter(r => r.data.itemId === item.id && (!item.progressAt || r.data.clientTime > item.progressAt))
        .sort((a, b) => b.data.clientTime.localeCompare(a.data.clientTime))[0]
      return newest ? { ...item, progressStatus: newest.data.status, percent: newest.data.percent, progressNote: newest.data.note, progressAt: newest.data.clientTime, pending: newest.pendingOps > 0 } : item
    }),
  }) as T)
}
