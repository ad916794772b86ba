import type { DbHandle } from '#server/db/database'
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { hashPassword } from '#server/auth/password'
import { Client, TEST_PASSWORD_PARAMS } from './helper'

export const UPPER_PASSWORD = 'upper-pass-1'

export interface UpperPerson { client: Client, id: string, upperOrgId: string, login: string }

/**
 * An upper organization with one admin, written straight into the database as `npm run upper-admin`
 * does, over `branchIds` (already made), and that admin logged in through the login page's API.
 */
export async function addUpperAdmin(app: FastifyInstance, handle: DbHandle, orgName: string, login: string, branchIds: string[]): Promise<UpperPerson> {
  const upperOrgId = randomUUID()
  const id = randomUUID()
  const now = new Date().toISOString()
  await handle.db.insertInto('upper_org').values({ id: upperOrgId, name: orgName, created_at: now }).execute()
  await handle.db.insertInto('upper_org_admin').values({ id, upper_org_id: upperOrgId, name: `${orgName}管理员`, login, password_hash: await hashPassword(UPPER_PASSWORD, TEST_PASSWORD_PARAMS), created_at: now }).execute()
  for (const branchId of branchIds)
    await handle.db.updateTable('branch').set({ upper_org_id: upperOrgId }).where('id', '=', branchId).execute()
  const client = new Client(app)
  const res = await client.post('/api/auth/login', { login, password: UPPER_PASSWORD })
  if (res.statusCode !== 200)
    throw new Error(`upper login failed: ${res.body}`)
  return { client, id, upperOrgId, login }
}
