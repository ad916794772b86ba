import type { DbHandle } from '#server/db/database'
import type { MeetingBody, MeetingScreen } from '#shared/meetings/schemas'
import type { Role } from '#shared/roles'
import type { FastifyInstance } from 'fastify'
import type { TestApp } from './helper'
import { randomUUID } from 'node:crypto'
import { hashPassword } from '#server/auth/password'
import { codeForWindow, importMeetingKey, windowAt } from '#shared/meetings/token'
import { Client, setUpBranch, TEST_PASSWORD_PARAMS } from './helper'

let passwordHash: string | undefined

export interface Person { client: Client, id: string }

/** An active member of a branch (and maybe a group), logged in. */
export async function person(app: FastifyInstance, handle: DbHandle, branchId: string, login: string, role: Role, groupId: string | null): Promise<Person> {
  passwordHash ??= await hashPassword('member-pass-1', TEST_PASSWORD_PARAMS)
  const id = randomUUID()
  const now = new Date().toISOString()
  await handle.db.insertInto('member').values({ id, branch_id: branchId, group_id: groupId, name: login, login, phone: null, role, titles: '[]', password_hash: passwordHash, active: 1, created_at: now, updated_at: now }).execute()
  const client = new Client(app)
  const res = await client.post('/api/auth/login', { login, password: 'member-pass-1' })
  if (res.statusCode !== 200)
    throw new Error(`login failed: ${res.body}`)
  return { client, id }
}

/** A branch with two groups, their leaders and members, and a second branch's member. */
export async function meetingFixture(t: TestApp) {
  const { admin, branchId } = await setUpBranch(t.app, t.handle)
  const group = async (name: string, branch = branchId) => {
    const id = randomUUID()
    await t.handle.db.insertInto('party_group').values({ id, branch_id: branch, name, created_at: new Date().toISOString(), removed_at: null }).execute()
    return id
  }
  const group1 = await group('第一党小组')
  const group2 = await group('第二党小组')
  const otherBranch = randomUUID()
  await t.handle.db.insertInto('branch').values({ id: otherBranch, name: '另一支部', upper_org_id: null, settings: '{}', created_at: new Date().toISOString() }).execute()
  return {
    branchId,
    admin,
    group1,
    group2,
    leader1: await person(t.app, t.handle, branchId, 'leader1', 'group_leader', group1),
    leader2: await person(t.app, t.handle, branchId, 'leader2', 'group_leader', group2),
    m1: await person(t.app, t.handle, branchId, 'm1', 'member', group1),
    m2: await person(t.app, t.handle, branchId, 'm2', 'member', group1),
    g2: await person(t.app, t.handle, branchId, 'g2', 'member', group2),
    outsider: await person(t.app, t.handle, otherBranch, 'outsider', 'member', await group('外支部', otherBranch)),
  }
}

const MIN = 60_000

export function meetingBody(over: Partial<MeetingBody> = {}): MeetingBody {
  const now = Date.now()
  return {
    type: 'branch_assembly',
    groupId: null,
    topic: '学习贯彻会议精神',
    startsAt: new Date(now - 10 * MIN).toISOString(),
    endsAt: new Date(now + 80 * MIN).toISOString(),
    place: '三楼会议室',
    agenda: '一、传达学习\n二、讨论',
    ...over,
  }
}

export async function createMeeting(client: Client, over: Partial<MeetingBody> = {}): Promise<string> {
  const res = await client.post('/api/meetings', meetingBody(over))
  if (res.statusCode !== 200)
    throw new Error(`create failed: ${res.body}`)
  return res.json().id as string
}

/** What the organizer's 签到 screen would show at `atMs`, computed from the key the server handed out. */
export async function screenCode(organizer: Client, meetingId: string, atMs = Date.now()) {
  const res = await organizer.get(`/api/meetings/${meetingId}/screen`)
  if (res.statusCode !== 200)
    throw new Error(`screen failed: ${res.body}`)
  const screen = res.json() as MeetingScreen
  return codeForWindow(await importMeetingKey(screen.key), meetingId, windowAt(atMs))
}
