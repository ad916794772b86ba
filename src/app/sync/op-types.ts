import type { RouteLocationRaw } from 'vue-router'
import type { RejectedOp } from '../db'
import { profileUpdate } from '#shared/sync/ops'

/** How the app shows an op type in the 同步失败 list, and where the member fixes one. */
export interface AppOpType {
  /** i18n key of a short label, e.g. 修改联系电话. */
  label: string
  /** One line about the content, in the member's words. */
  summary?: (payload: unknown) => string
  /** The form that edits it: it saves with queueWrite(…, { replacesRejected: op.opId }). */
  edit?: (op: RejectedOp) => RouteLocationRaw
}

const types = new Map<string, AppOpType>()

/** Each feature registers its op types here once, next to its queueWrite calls. */
export function registerAppOp(type: string, info: AppOpType): void {
  types.set(type, info)
}

export function appOp(type: string): AppOpType | undefined {
  return types.get(type)
}

registerAppOp(profileUpdate.type, {
  label: 'sync.ops.profileUpdate',
  summary: payload => (payload as { phone: string | null }).phone ?? '—',
  edit: op => ({ name: 'me', query: { editPhone: op.opId } }),
})
