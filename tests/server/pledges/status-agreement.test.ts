import type { PledgeStatus } from '#shared/pledges/constants'
import type { Pledge } from '#shared/pledges/schemas'
import type { PledgeMove } from '#shared/pledges/status'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { applyEvaluation, applyMove, isEditable, mayMove, shownStatus, todayIn } from '#shared/pledges/status'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { person, pledgeBody, YEAR } from '../pledge-helper'
import { op, push } from '../sync-helper'

/**
 * One truth: the phone shows a pledge after a move by the shared rules (applyMove, shownStatus)
 * before the server has answered; the server's workflow decides by the same rules. For every
 * status a pledge can be in and every move, both sides must give the same answer.
 */
let t: TestApp
let admin: Client
let alice: Person

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = setup.admin
  alice = await person(t, setup.branchId, 'alice')
})
afterEach(async () => {
  await t.close()
})

async function send(client: Client, type: string, payload: unknown): Promise<OpResult> {
  return (await push(client, [op(type, payload)])).json().results[0] as OpResult
}
const get = async (id: string) => (await admin.get(`/api/pledges/${id}`)).json() as Pledge

/** The moves that bring a fresh draft to each status. */
const PATHS: Record<PledgeStatus, PledgeMove[]> = {
  draft: [],
  submitted: ['submit'],
  approved: ['submit', 'approve'],
  published: ['submit', 'approve', 'publish'],
  returned: ['submit', 'return'],
}

async function move(p: Pledge, m: PledgeMove): Promise<OpResult> {
  if (m === 'submit')
    return send(alice.client, 'pledge.submit', { id: p.id })
  return send(admin, 'pledge.review', { id: p.id, move: m, submittedAt: p.submittedAt ?? new Date().toISOString(), ...(m === 'return' ? { reason: '请量化目标' } : {}) })
}

async function pledgeIn(status: PledgeStatus, body = pledgeBody()): Promise<Pledge> {
  const id = randomUUID()
  await send(alice.client, 'pledge.save', { id, ...body })
  for (const m of PATHS[status])
    expect((await move(await get(id), m)).status).toBe('applied')
  return get(id)
}

const workflow = (p: Pledge) => ({ status: p.status, returnReason: p.returnReason, submitted: p.submittedAt !== null, reviewed: p.reviewedAt !== null, published: p.publishedAt !== null })

describe('the shared pledge rules and the server\'s workflow agree', () => {
  for (const status of Object.keys(PATHS) as PledgeStatus[]) {
    it(`should move a ${status} pledge exactly as the phone shows it, or refuse exactly what the phone refuses`, async () => {
      for (const m of ['submit', 'approve', 'return', 'publish'] as PledgeMove[]) {
        const before = await pledgeIn(status)
        const phone = applyMove(before, m, new Date().toISOString(), m === 'return' ? '请量化目标' : undefined)
        const result = await move(before, m)
        expect(result.status, `${status} → ${m}`).toBe(phone ? 'applied' : 'rejected')
        expect(mayMove(before.status, m)).toBe(phone !== null)
        if (phone)
          expect(workflow(result.entity as Pledge), `${status} → ${m}`).toEqual(workflow(phone))
        else
          expect(await get(before.id)).toEqual(before)
      }
    })
  }

  it('should let the member rewrite exactly the pledges the phone offers to edit', async () => {
    for (const status of Object.keys(PATHS) as PledgeStatus[]) {
      const before = await pledgeIn(status)
      const result = await send(alice.client, 'pledge.save', { id: before.id, ...pledgeBody({ supervisor: '新监督人' }) })
      expect(result.status, status).toBe(isEditable(status) ? 'applied' : 'rejected')
    }
  })

  it('should show the same live status, overdue and kept counts on the phone as the server computes', async () => {
    const last = YEAR - 1
    const overdue = await pledgeIn('published', pledgeBody({ year: last, items: [
      { category: 'excel', duty: '检验', target: '去年的目标', dueDate: `${last}-01-31` },
      { category: 'serve', duty: '服务', target: '今年的目标', dueDate: `${YEAR}-12-31` },
    ] }))
    const kept = await pledgeIn('published')
    await admin.post(`/api/pledges/${kept.id}/evaluate`, { items: kept.items.map((i, n) => ({ itemId: i.id, result: n === 0 ? 'kept' : 'broken', excused: true })) })
    const today = todayIn()
    for (const id of [overdue.id, kept.id]) {
      const server = await get(id)
      expect(shownStatus(server, today).live).toBe(server.liveStatus)
    }
    expect(shownStatus(await get(overdue.id), today)).toMatchObject({ live: 'overdue', overdue: 1 })
    expect(shownStatus(await get(kept.id), today)).toMatchObject({ live: 'unfulfilled', kept: 1 })
  })

  it('should evaluate exactly as the phone shows it, and refuse exactly what the phone refuses', async () => {
    const draft = await pledgeIn('approved')
    const tooEarly = [{ itemId: draft.items[0]!.id, result: 'kept' as const }]
    expect(applyEvaluation(draft, tooEarly, new Date().toISOString(), todayIn())).toBeNull()
    expect((await send(admin, 'pledge.evaluate', { id: draft.id, items: tooEarly })).status).toBe('rejected')

    const p = await pledgeIn('published')
    const evaluations = [{ itemId: p.items[0]!.id, result: 'kept' as const, comment: ' 按期 ' }, { itemId: p.items[1]!.id, result: 'broken' as const, excused: true }]
    const phone = applyEvaluation(p, evaluations, new Date().toISOString(), todayIn())!
    const result = await send(admin, 'pledge.evaluate', { id: p.id, items: evaluations })
    const server = result.entity as Pledge
    const shown = (x: Pledge) => ({ live: x.liveStatus, items: x.items.map(i => ({ result: i.result, comment: i.resultComment, excused: i.excused })) })
    expect(shown(server)).toEqual(shown(phone))
    expect(applyEvaluation(server, [evaluations[0]!], new Date().toISOString(), todayIn())).toBeNull()
    expect((await send(admin, 'pledge.evaluate', { id: p.id, items: [evaluations[0]] })).status).toBe('rejected')
  })
})
