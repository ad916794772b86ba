import type { AuditItem } from './organizer-api'

/** The points audit actions the app can put in words; anything newer shows its raw name. */
export const AUDIT_ACTIONS = ['points.adjust', 'points.approve', 'points.approve_group', 'points.return', 'points.revoke', 'points.veto', 'points.veto_revoke', 'points.settings', 'points.base', 'points.rule.create', 'points.rule.edit', 'points.rule.retire'] as const

interface AuditData {
  memberId?: string
  points?: number
  granted?: number
  clipped?: number
  amount?: number
  reason?: string
  decision?: string
  decidedOn?: string
  year?: number
  baseScore?: number
  ranking?: boolean
  name?: string
  to?: { name?: string }
  version?: number
}

export interface AuditLine {
  /** Locale key under points.organizer.auditAction, or null for an action the app does not know. */
  actionKey: string | null
  action: string
  memberName: string | null
  /** The points it moved, signed, when it moved any. */
  points: number | null
  /** Why: the reason, the decision, or what was changed. */
  why: string
}

/** One audit row as a person reads it: who (the actor), what, to whom, how many points, and why. */
export function auditLine(item: AuditItem, memberName: (id: string) => string | null): AuditLine {
  const d = (item.data ?? {}) as AuditData
  const known = (AUDIT_ACTIONS as readonly string[]).includes(item.action)
  const points = item.action === 'points.revoke' ? d.amount ?? null : item.action === 'points.approve' ? d.granted ?? null : item.action === 'points.adjust' ? d.points ?? null : null
  const why = [
    d.decision,
    d.decidedOn,
    d.reason,
    d.name ?? d.to?.name,
    item.action === 'points.settings' || item.action === 'points.base' ? [d.year, d.baseScore === undefined ? null : `${d.baseScore}`, d.ranking === undefined ? null : (d.ranking ? '✓' : '✗')].filter(x => x !== null && x !== undefined).join(' / ') : null,
    d.clipped ? `−${d.clipped}` : null,
  ].filter(Boolean).join(' · ')
  return {
    actionKey: known ? item.action.replace(/^points\./, '').replace('.', '_') : null,
    action: item.action,
    memberName: d.memberId ? memberName(d.memberId) : null,
    points,
    why,
  }
}
