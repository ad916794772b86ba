import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { localDate } from '#shared/points/periods'
import { buildTestApp, setUpBranch } from './helper'
import { addMember, op, push } from './sync-helper'

export interface Person { client: Client, id: string }

/**
 * A branch with two groups: 一组 (leader lee, members amy and ben) and 二组 (leader kay, member cat),
 * plus the admin who set it up and has no group.
 */
export async function pointsBranch() {
  const t = await buildTestApp()
  const { admin, branchId, me } = await setUpBranch(t.app, t.handle)
  const now = new Date().toISOString()
  const groupA = randomUUID()
  const groupB = randomUUID()
  await t.handle.db.insertInto('party_group').values([
    { id: groupA, branch_id: branchId, name: '一组', created_at: now, removed_at: null },
    { id: groupB, branch_id: branchId, name: '二组', created_at: now, removed_at: null },
  ]).execute()
  const inGroup = async (login: string, group: string, role: 'member' | 'group_leader' = 'member') => {
    const p = await addMember(t.app, t.handle, branchId, login, role)
    await t.handle.db.updateTable('member').set({ group_id: group }).where('id', '=', p.id).execute()
    return p
  }
  return {
    t,
    branchId,
    groupA,
    groupB,
    admin: { client: admin, id: me.id as string },
    lee: await inGroup('lee', groupA, 'group_leader'),
    amy: await inGroup('amy', groupA),
    ben: await inGroup('ben', groupA),
    kay: await inGroup('kay', groupB, 'group_leader'),
    cat: await inGroup('cat', groupB),
  }
}

export type PointsBranch = Awaited<ReturnType<typeof pointsBranch>>

export const today = () => localDate(new Date())

export async function ruleId(t: TestApp, key: string): Promise<string> {
  return (await t.handle.db.selectFrom('point_rule').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id
}

/** Logs an entry through the outbox's push, as the phone does; returns the op result. */
export async function logEntry(t: TestApp, who: Person, key: string, more: { date?: string, note?: string, variant?: string | null, points?: number, id?: string } = {}): Promise<OpResult & { id: string }> {
  const id = more.id ?? randomUUID()
  const payload: Record<string, unknown> = { id, ruleId: await ruleId(t, key), date: more.date ?? today(), note: more.note ?? '参加活动' }
  if (more.variant !== undefined)
    payload.variant = more.variant
  if (more.points !== undefined)
    payload.points = more.points
  const res = await push(who.client, [op('entry.create', payload)])
  return { ...(res.json() as { results: OpResult[] }).results[0]!, id }
}

export async function resubmit(who: Person, payload: Record<string, unknown>): Promise<OpResult> {
  const res = await push(who.client, [op('entry.resubmit', payload)])
  return (res.json() as { results: OpResult[] }).results[0]!
}

export async function approve(who: Person, ...ids: string[]) {
  const res = await who.client.post('/api/points/approvals/approve', { ids })
  return res.json() as { results: { id: string, ok: boolean, code?: string, entry?: { status: string, stage: string | null, granted: number | null, clipped: number } }[] }
}

export async function entryRow(t: TestApp, id: string) {
  return t.handle.db.selectFrom('point_entry').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

export async function ledgerOf(t: TestApp, memberId: string) {
  return t.handle.db.selectFrom('point_ledger').selectAll().where('member_id', '=', memberId).orderBy('created_at').execute()
}

export async function summaryOf(who: Person, memberId?: string, year?: number) {
  const q = new URLSearchParams()
  if (memberId)
    q.set('memberId', memberId)
  if (year)
    q.set('year', String(year))
  return who.client.get(`/api/points/summary?${q}`)
}
