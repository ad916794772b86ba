import type { Role } from '../roles'
import type { LiveStatus, OwnerKind, PledgeResult, PledgeStatus, ProgressStatus } from './constants'
import { hasRole } from '../roles'
import { DUE_SOON_DAYS, PLEDGE_TIME_ZONE } from './constants'

/** Today's calendar date (YYYY-MM-DD) in the branch's time zone. */
export function todayIn(now: Date = new Date(), timeZone: string = PLEDGE_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export type DueFlag = 'overdue' | 'due_soon' | null

export interface ItemState {
  dueDate: string
  progressStatus: ProgressStatus
  result: PledgeResult | null
}

/** An item not done and not yet evaluated is 逾期 past its due date and 即将到期 within DUE_SOON_DAYS of it. */
export function dueFlag(item: ItemState, today: string): DueFlag {
  if (item.progressStatus === 'done' || item.result)
    return null
  if (item.dueDate < today)
    return 'overdue'
  if (item.dueDate <= addDays(today, DUE_SOON_DAYS))
    return 'due_soon'
  return null
}

/**
 * A pledge's live status in the archive. Evaluated (every item has a result): 已完成 when every
 * item was kept, else 未兑现. Otherwise from the progress: 已完成 when every item is done, 逾期
 * when any item is past its due date, else 进行中.
 */
export function liveStatus(items: ItemState[], today: string): LiveStatus {
  if (items.length > 0 && items.every(i => i.result))
    return items.every(i => i.result === 'kept') ? 'completed' : 'unfulfilled'
  if (items.length > 0 && items.every(i => i.progressStatus === 'done'))
    return 'completed'
  if (items.some(i => dueFlag(i, today) === 'overdue'))
    return 'overdue'
  return 'in_progress'
}

/* ---------- the workflow: one set of rules for the server's writes and the phone's copy ---------- */

/** draft → submitted → approved → published; submitted or approved → returned → (edited) → submitted. */
export type PledgeMove = 'submit' | 'approve' | 'return' | 'publish'
export const REVIEW_MOVES = ['approve', 'return', 'publish'] as const
export type ReviewMove = (typeof REVIEW_MOVES)[number]

export const PLEDGE_MOVES: Record<PledgeMove, { from: readonly PledgeStatus[], to: PledgeStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted', 'approved'], to: 'returned' },
  publish: { from: ['approved'], to: 'published' },
}

/** Only a draft or a returned pledge is written to; once submitted it is the branch's to decide. */
export function isEditable(status: PledgeStatus): boolean {
  return status === 'draft' || status === 'returned'
}

export function mayMove(status: PledgeStatus, move: PledgeMove): boolean {
  return PLEDGE_MOVES[move].from.includes(status)
}

/** Its author (or, for a member's pledge, the member) changes and submits a pledge. */
export function isAuthor(pledge: { createdBy: string, memberId: string | null }, memberId: string): boolean {
  return pledge.createdBy === memberId || pledge.memberId === memberId
}

/** Who may write a pledge for an owner: every member their own; a group leader their group's; a branch admin the branch's and any group's. */
export function mayDraft(actor: { role: Role, groupId: string | null }, ownerKind: OwnerKind, groupId: string | null): boolean {
  if (ownerKind === 'member')
    return true
  if (ownerKind === 'branch')
    return actor.role === 'branch_admin'
  return actor.role === 'branch_admin' || (actor.role === 'group_leader' && !!groupId && actor.groupId === groupId)
}

/** The branch reviews (approve, return, publish) and evaluates: branch admins only. */
export function mayReview(role: Role): boolean {
  return hasRole(role, 'branch_admin')
}

/** The workflow fields a move changes. */
export interface WorkflowState {
  status: PledgeStatus
  returnReason: string | null
  submittedAt: string | null
  reviewedAt: string | null
  publishedAt: string | null
  updatedAt: string
}

/**
 * A pledge after a move made at `at`, or null when its status does not allow it. The server
 * writes exactly these fields; the phone shows its copy with them before the server has answered.
 */
export function applyMove<T extends WorkflowState>(pledge: T, move: PledgeMove, at: string, reason?: string): T | null {
  if (!mayMove(pledge.status, move))
    return null
  const next: T = { ...pledge, status: PLEDGE_MOVES[move].to, updatedAt: at }
  if (move === 'submit')
    next.submittedAt = at
  if (move === 'approve' || move === 'return')
    next.reviewedAt = at
  if (move === 'publish')
    next.publishedAt = at
  if (move === 'return')
    next.returnReason = reason?.trim() ?? ''
  if (move === 'approve')
    next.returnReason = null
  return next
}

/** Whether an item's result keeps the pledge: 已兑现. */
export function isKept(result: PledgeResult | null): boolean {
  return result === 'kept'
}

/** What a pledge's card shows: where it stands in the workflow and, once approved, how it is kept (live status). */
export interface ShownStatus {
  status: PledgeStatus
  live: LiveStatus
  overdue: number
  dueSoon: number
  /** Items evaluated 已兑现. */
  kept: number
}

export function shownStatus(pledge: { status: PledgeStatus, items: ItemState[] }, today: string): ShownStatus {
  const flags = pledge.items.map(i => dueFlag(i, today))
  return {
    status: pledge.status,
    live: liveStatus(pledge.items, today),
    overdue: flags.filter(f => f === 'overdue').length,
    dueSoon: flags.filter(f => f === 'due_soon').length,
    kept: pledge.items.filter(i => isKept(i.result)).length,
  }
}

/**
 * Why an item's due date cannot stand: not a calendar day, or outside the pledge's year (the
 * next year is allowed, for a period running over New Year). The server refuses it with this
 * answer; the editor tells the member before anything is queued.
 */
export function dueDateProblem(dueDate: string, year: number): 'invalid' | 'out_of_period' | null {
  const d = new Date(`${dueDate}T00:00:00Z`)
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== dueDate)
    return 'invalid'
  const dueYear = Number(dueDate.slice(0, 4))
  return dueYear < year || dueYear > year + 1 ? 'out_of_period' : null
}

/** What 评诺 writes on an item; the points it asks for are the server's to grant. */
export interface ItemEvaluation {
  itemId: string
  result: PledgeResult
  comment?: string
  excused?: boolean
}

/**
 * 评诺 on a published pledge, each item once: the pledge as evaluated at `at`, or null when it is
 * not published, an item is not its own, listed twice, or already evaluated.
 */
export function applyEvaluation<T extends { status: PledgeStatus, items: (ItemState & { id: string, resultComment: string, excused: boolean, evaluatedAt: string | null })[], liveStatus: LiveStatus }>(pledge: T, evaluations: ItemEvaluation[], at: string, today: string): T | null {
  if (pledge.status !== 'published' || evaluations.length === 0)
    return null
  const ids = new Set(evaluations.map(e => e.itemId))
  if (ids.size !== evaluations.length || evaluations.some(e => pledge.items.find(i => i.id === e.itemId)?.result !== null))
    return null
  const items = pledge.items.map((item) => {
    const e = evaluations.find(x => x.itemId === item.id)
    return e ? { ...item, result: e.result, resultComment: (e.comment ?? '').trim(), excused: e.result === 'broken' && e.excused === true, evaluatedAt: at } : item
  })
  return { ...pledge, items, liveStatus: liveStatus(items, today) }
}
