import type { Client, TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { todayIn } from '#shared/pledges/status'
import { addMember } from './sync-helper'

export const YEAR = Number(todayIn().slice(0, 4))

export interface Person { client: Client, id: string }

/** A member (or organizer) of the branch in a group, logged in. */
export async function person(t: TestApp, branchId: string, login: string, role: 'member' | 'group_leader' | 'branch_admin' = 'member', groupId: string | null = null): Promise<Person> {
  const p = await addMember(t.app, t.handle, branchId, login, role)
  await t.handle.db.updateTable('member').set({ group_id: groupId, name: `${login}-name`, phone: '13800001111' }).where('id', '=', p.id).execute()
  return p
}

export async function group(t: TestApp, branchId: string, name: string): Promise<string> {
  const id = randomUUID()
  await t.handle.db.insertInto('party_group').values({ id, branch_id: branchId, name, created_at: new Date().toISOString(), removed_at: null }).execute()
  return id
}

export function pledgeBody(extra: Record<string, unknown> = {}) {
  return {
    ownerKind: 'member',
    year: YEAR,
    supervisor: '张书记',
    supervisorContact: '支部办公室 0351-1234567',
    items: [
      { category: 'excel', duty: '食品检验', target: '全年完成检验报告 200 份，差错率为零', dueDate: `${YEAR}-12-31` },
      { category: 'serve', duty: '窗口服务', target: '进社区宣传食品安全 4 次', dueDate: `${YEAR}-12-20` },
    ],
    ...extra,
  }
}

/** The same content for PATCH, which cannot change whose pledge it is. */
export function contentBody(extra: Record<string, unknown> = {}) {
  const { ownerKind: _ownerKind, ...content } = pledgeBody(extra)
  return content
}

/** Drafts, submits, approves and publishes a member's pledge; returns it. */
export async function publishedPledge(owner: Person, admin: Client, extra: Record<string, unknown> = {}) {
  const created = await owner.client.post('/api/pledges', pledgeBody(extra))
  if (created.statusCode !== 200)
    throw new Error(created.body)
  const id = created.json().id as string
  for (const [who, step] of [[owner.client, 'submit'], [admin, 'approve'], [admin, 'publish']] as const) {
    const res = await who.post(`/api/pledges/${id}/${step}`)
    if (res.statusCode !== 200)
      throw new Error(`${step}: ${res.body}`)
  }
  return (await admin.get(`/api/pledges/${id}`)).json() as { id: string, items: { id: string }[] }
}
