import type { DbHandle } from '#server/db/database'
import type { Role } from '#shared/roles'
import type { Op } from '#shared/sync/protocol'
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { hashPassword } from '#server/auth/password'
import { SYNC_PROTOCOL } from '#shared/sync/protocol'
import { Client, TEST_PASSWORD_PARAMS } from './helper'

let passwordHash: string | undefined

/** Adds an active member with a password to the branch and returns them logged in. */
export async function addMember(app: FastifyInstance, handle: DbHandle, branchId: string, login: string, role: Role = 'member') {
  passwordHash ??= await hashPassword('member-pass-1', TEST_PASSWORD_PARAMS)
  const id = randomUUID()
  const now = new Date().toISOString()
  await handle.db.insertInto('member').values({
    id,
    branch_id: branchId,
    group_id: null,
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
  const res = await client.post('/api/auth/login', { login, password: 'member-pass-1' })
  if (res.statusCode !== 200)
    throw new Error(`login failed: ${res.body}`)
  return { client, id }
}

let seq = 0
export function op(type: string, payload: unknown, extra: Partial<Op> = {}): Op {
  return { opId: randomUUID(), seq: ++seq, type, payload, clientTime: new Date().toISOString(), ...extra }
}

export function push(client: Client, ops: unknown[], deviceId = '00000000-0000-4000-8000-000000000001') {
  return client.post('/api/sync/push', { protocol: SYNC_PROTOCOL, deviceId, ops })
}
