import type { DbHandle } from '#server/db/database'
import type { Role } from '#shared/roles'
import type { FastifyInstance } from 'fastify'
import type { TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { hashPassword } from '#server/auth/password'
import { Client, setUpBranch, TEST_PASSWORD_PARAMS } from './helper'

export const MEMBER_PASSWORD = 'member-pass-1'
let passwordHash: string | undefined

export interface Person { client: Client, id: string, login: string }

/** Inserts an active member with a password straight into the database and logs them in. */
export async function addPerson(app: FastifyInstance, handle: DbHandle, branchId: string, login: string, role: Role, groupId: string | null): Promise<Person> {
  passwordHash ??= await hashPassword(MEMBER_PASSWORD, TEST_PASSWORD_PARAMS)
  const id = randomUUID()
  const now = new Date().toISOString()
  await handle.db.insertInto('member').values({
    id,
    branch_id: branchId,
    group_id: groupId,
    name: login,
    login,
    phone: null,
    role,
    titles: '[]',
    password_hash: passwordHash,
    active: 1,
    created_at: now,
    updated_at: now,
  }).execute()
  const client = new Client(app)
  const res = await client.post('/api/auth/login', { login, password: MEMBER_PASSWORD })
  if (res.statusCode !== 200)
    throw new Error(`login failed: ${res.body}`)
  return { client, id, login }
}

async function insertGroup(handle: DbHandle, branchId: string, name: string): Promise<string> {
  const id = randomUUID()
  await handle.db.insertInto('party_group').values({ id, branch_id: branchId, name, created_at: new Date().toISOString(), removed_at: null }).execute()
  return id
}

/**
 * The cast of the organization tests: a branch with two groups, its admin, a leader and a member
 * in group 1, a member in group 2, and a second branch (inserted directly) with its own admin,
 * group and member, for the "another branch" cases.
 */
export async function orgFixture(t: TestApp) {
  const { admin, branchId, me } = await setUpBranch(t.app, t.handle)
  const group1 = await insertGroup(t.handle, branchId, '第一党小组')
  const group2 = await insertGroup(t.handle, branchId, '第二党小组')
  const leader = await addPerson(t.app, t.handle, branchId, 'leader1', 'group_leader', group1)
  const member = await addPerson(t.app, t.handle, branchId, 'member1', 'member', group1)
  const member2 = await addPerson(t.app, t.handle, branchId, 'member2', 'member', group2)

  const otherBranchId = randomUUID()
  await t.handle.db.insertInto('branch').values({ id: otherBranchId, name: '另一支部', upper_org_id: null, settings: '{}', created_at: new Date().toISOString() }).execute()
  const otherGroup = await insertGroup(t.handle, otherBranchId, '外支部小组')
  const otherAdmin = await addPerson(t.app, t.handle, otherBranchId, 'otheradmin', 'branch_admin', null)
  const otherMember = await addPerson(t.app, t.handle, otherBranchId, 'othermember', 'member', otherGroup)

  return {
    branchId,
    admin: { client: admin, id: me.id as string, login: 'admin' },
    group1,
    group2,
    leader,
    member,
    member2,
    otherBranchId,
    otherGroup,
    otherAdmin,
    otherMember,
    anonymous: new Client(t.app),
  }
}
export type OrgFixture = Awaited<ReturnType<typeof orgFixture>>

export async function countRows(handle: DbHandle, table: 'member' | 'party_group' | 'audit_log' | 'invite' | 'change_log'): Promise<number> {
  const row = await handle.db.selectFrom(table).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function memberRow(handle: DbHandle, id: string) {
  return handle.db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The token from an invite URL's fragment. */
export function tokenOf(url: string): string {
  return url.split('#')[1] ?? ''
}
