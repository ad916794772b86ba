import type { Pledge } from '#shared/pledges/schemas'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { group, person, pledgeBody } from '../pledge-helper'
import { op, push } from '../sync-helper'

let t: TestApp
let admin: Client
let admin2: Person
let leader: Person
let alice: Person
let bob: Person
let groupId: string

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = setup.admin
  groupId = await group(t, setup.branchId, '检验一组')
  admin2 = await person(t, setup.branchId, 'wang', 'branch_admin')
  leader = await person(t, setup.branchId, 'lead', 'group_leader', groupId)
  alice = await person(t, setup.branchId, 'alice', 'member', groupId)
  bob = await person(t, setup.branchId, 'bob', 'member', groupId)
})
afterEach(async () => {
  await t.close()
})

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
async function one(client: Client, type: string, payload: unknown): Promise<OpResult> {
  const [result] = results(await push(client, [op(type, payload)]))
  return result!
}
const stored = async (id: string) => (await admin.get(`/api/pledges/${id}`)).json() as Pledge
const pledgeCount = async () => (await t.handle.db.selectFrom('pledge').select('id').execute()).length

/** A member's pledge saved and submitted through the ops, as the phone does it. */
async function submitted(owner: Person = alice): Promise<Pledge> {
  const id = randomUUID()
  expect((await one(owner.client, 'pledge.save', { id, ...pledgeBody() })).status).toBe('applied')
  expect((await one(owner.client, 'pledge.submit', { id })).status).toBe('applied')
  return stored(id)
}

describe('pledge.save: a draft written on the phone', () => {
  it('should create the draft under the phone\'s id, owned by the member, and let their phone pull it (applied)', async () => {
    const id = randomUUID()
    const result = await one(alice.client, 'pledge.save', { id, ...pledgeBody() })
    expect(result).toMatchObject({ status: 'applied', entity: { id, status: 'draft', memberId: alice.id, ownerName: 'alice-name' } })
    const pulled = (await alice.client.get('/api/sync/pull')).json().changes as { entity: string, entityId: string }[]
    expect(pulled).toContainEqual(expect.objectContaining({ entity: 'pledge', entityId: id }))
  })

  it('should rewrite the content when the same pledge is saved again, keeping whose it is (applied)', async () => {
    const id = randomUUID()
    await one(alice.client, 'pledge.save', { id, ...pledgeBody() })
    const again = await one(alice.client, 'pledge.save', { id, ...pledgeBody({ supervisor: '李委员', items: [{ category: 'study', duty: '学习', target: '读书 12 本', dueDate: pledgeBody().items[0]!.dueDate }] }) })
    expect(again.status).toBe('applied')
    const p = await stored(id)
    expect(p).toMatchObject({ supervisor: '李委员', memberId: alice.id, status: 'draft' })
    expect(p.items.map(i => i.target)).toEqual(['读书 12 本'])
  })

  it('should answer the same op pushed twice once, with one pledge stored (duplicate)', async () => {
    const o = op('pledge.save', { id: randomUUID(), ...pledgeBody() })
    await push(alice.client, [o])
    const [again] = results(await push(alice.client, [o]))
    expect(again!.status).toBe('duplicate')
    expect(await pledgeCount()).toBe(1)
  })

  it('should refuse rewriting a pledge already submitted and keep what the branch is reviewing (PLEDGE_LOCKED)', async () => {
    const p = await submitted()
    const result = await one(alice.client, 'pledge.save', { id: p.id, ...pledgeBody({ supervisor: '改过的' }) })
    expect(result).toMatchObject({ status: 'rejected', code: 'PLEDGE_LOCKED' })
    expect((await stored(p.id)).supervisor).toBe('张书记')
  })

  it('should refuse saving over another member\'s pledge and a group pledge from a plain member (OP_NOT_YOURS)', async () => {
    const id = randomUUID()
    await one(alice.client, 'pledge.save', { id, ...pledgeBody() })
    expect(await one(bob.client, 'pledge.save', { id, ...pledgeBody({ supervisor: 'bob' }) })).toMatchObject({ status: 'rejected', code: 'OP_NOT_YOURS' })
    expect((await stored(id)).supervisor).toBe('张书记')
    expect(await one(bob.client, 'pledge.save', { id: randomUUID(), ...pledgeBody({ ownerKind: 'group', groupId }) })).toMatchObject({ status: 'rejected', code: 'OP_NOT_YOURS' })
    expect((await one(leader.client, 'pledge.save', { id: randomUUID(), ...pledgeBody({ ownerKind: 'group', groupId }) })).status).toBe('applied')
  })

  it('should refuse a due date outside the pledge\'s year with the route\'s reason, storing nothing (DUE_DATE_OUT_OF_PERIOD)', async () => {
    const body = pledgeBody()
    const result = await one(alice.client, 'pledge.save', { id: randomUUID(), ...body, items: [{ ...body.items[0], dueDate: '2003-01-01' }] })
    expect(result).toMatchObject({ status: 'rejected', code: 'DUE_DATE_OUT_OF_PERIOD' })
    expect(await pledgeCount()).toBe(0)
  })
})

describe('pledge ops with characters no field accepts', () => {
  it('should refuse a NUL or a lone surrogate in any text before it reaches the pledge, storing nothing (OP_INVALID_PAYLOAD)', async () => {
    const body = pledgeBody()
    expect(await one(alice.client, 'pledge.save', { id: randomUUID(), ...body, supervisor: '张\u0000书记' })).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    expect(await one(alice.client, 'pledge.save', { id: randomUUID(), ...body, items: [{ ...body.items[0], target: 'a\uD800b' }] })).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    expect(await pledgeCount()).toBe(0)
    const p = await submitted()
    expect(await one(admin, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '请\u0000改' })).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    expect((await stored(p.id)).status).toBe('submitted')
  })
})

describe('pledge.submit', () => {
  it('should send the draft to the branch (applied) and answer a repeat of the same op once (duplicate)', async () => {
    const id = randomUUID()
    await one(alice.client, 'pledge.save', { id, ...pledgeBody() })
    const o = op('pledge.submit', { id })
    const [first] = results(await push(alice.client, [o]))
    expect(first).toMatchObject({ status: 'applied', entity: { id, status: 'submitted' } })
    const [again] = results(await push(alice.client, [o]))
    expect(again!.status).toBe('duplicate')
  })

  it('should refuse a second submit from another phone, and another member\'s submit (PLEDGE_LOCKED, OP_NOT_YOURS)', async () => {
    const p = await submitted()
    expect(await one(alice.client, 'pledge.submit', { id: p.id })).toMatchObject({ status: 'rejected', code: 'PLEDGE_LOCKED' })
    const id = randomUUID()
    await one(alice.client, 'pledge.save', { id, ...pledgeBody() })
    expect(await one(bob.client, 'pledge.submit', { id })).toMatchObject({ status: 'rejected', code: 'OP_NOT_YOURS' })
    expect((await stored(id)).status).toBe('draft')
  })

  it('should refuse a pledge that does not exist (PLEDGE_NOT_FOUND)', async () => {
    expect(await one(alice.client, 'pledge.submit', { id: randomUUID() })).toMatchObject({ status: 'rejected', code: 'PLEDGE_NOT_FOUND' })
  })
})

describe('pledge.review: the branch decides offline', () => {
  it('should approve, then publish the submission the organizer saw (applied)', async () => {
    const p = await submitted()
    expect(await one(admin, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })).toMatchObject({ status: 'applied', entity: { status: 'approved' } })
    expect(await one(admin, 'pledge.review', { id: p.id, move: 'publish', submittedAt: p.submittedAt })).toMatchObject({ status: 'applied', entity: { status: 'published' } })
    expect((await stored(p.id)).publishedAt).not.toBeNull()
  })

  it('should return with the reason, which the member then sees (applied)', async () => {
    const p = await submitted()
    await one(admin, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '目标请量化' })
    expect((await alice.client.get(`/api/pledges/${p.id}`)).json()).toMatchObject({ status: 'returned', returnReason: '目标请量化' })
  })

  it('should answer the same decision pushed twice once (duplicate)', async () => {
    const p = await submitted()
    const o = op('pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })
    await push(admin, [o])
    const [again] = results(await push(admin, [o]))
    expect(again!.status).toBe('duplicate')
    expect((await stored(p.id)).status).toBe('approved')
  })

  it('should refuse approving what another organizer already returned, saying who and why, and keep the return (PLEDGE_DECIDED)', async () => {
    const p = await submitted()
    await one(admin2.client, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '缺少完成时限' })
    const result = await one(admin, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })
    expect(result).toMatchObject({ status: 'rejected', code: 'PLEDGE_DECIDED' })
    expect(result.message).toContain('wang-name')
    expect(result.message).toContain('退回')
    expect(result.message).toContain('缺少完成时限')
    expect(await stored(p.id)).toMatchObject({ status: 'returned', returnReason: '缺少完成时限' })
  })

  it('should refuse publishing what another organizer already published, naming them (PLEDGE_DECIDED)', async () => {
    const p = await submitted()
    await one(admin2.client, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })
    await one(admin2.client, 'pledge.review', { id: p.id, move: 'publish', submittedAt: p.submittedAt })
    const result = await one(admin, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '再改改' })
    expect(result).toMatchObject({ status: 'rejected', code: 'PLEDGE_DECIDED' })
    expect(result.message).toContain('wang-name')
    expect((await stored(p.id)).status).toBe('published')
  })

  it('should refuse approving a pledge the member rewrote and sent again since the organizer\'s copy (PLEDGE_CHANGED)', async () => {
    const p = await submitted()
    await one(admin2.client, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '请补充' })
    await one(alice.client, 'pledge.save', { id: p.id, ...pledgeBody({ supervisor: '新的监督人' }) })
    await new Promise(r => setTimeout(r, 5))
    await one(alice.client, 'pledge.submit', { id: p.id })
    const result = await one(admin, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })
    expect(result).toMatchObject({ status: 'rejected', code: 'PLEDGE_CHANGED' })
    expect(await stored(p.id)).toMatchObject({ status: 'submitted', supervisor: '新的监督人' })
  })

  it('should refuse members and group leaders, who do not review, changing nothing (OP_FORBIDDEN)', async () => {
    const p = await submitted()
    for (const who of [alice.client, leader.client])
      expect(await one(who, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
    expect((await stored(p.id)).status).toBe('submitted')
  })

  it('should refuse a return without a reason before it reaches the pledge (OP_INVALID_PAYLOAD)', async () => {
    const p = await submitted()
    expect(await one(admin, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt, reason: '  ' })).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
    expect(await one(admin, 'pledge.review', { id: p.id, move: 'return', submittedAt: p.submittedAt })).toMatchObject({ status: 'rejected', code: 'OP_INVALID_PAYLOAD' })
  })
})

describe('pledge.evaluate: 评诺 offline', () => {
  async function published(): Promise<Pledge> {
    const p = await submitted()
    await one(admin, 'pledge.review', { id: p.id, move: 'approve', submittedAt: p.submittedAt })
    await one(admin, 'pledge.review', { id: p.id, move: 'publish', submittedAt: p.submittedAt })
    return stored(p.id)
  }
  const points = async () => t.handle.db.selectFrom('point_entry').select(['member_id', 'points']).where('member_id', '=', alice.id).execute()

  it('should record the results and grant the member the pledge points, as the route does (applied)', async () => {
    const p = await published()
    const result = await one(admin, 'pledge.evaluate', { id: p.id, items: [{ itemId: p.items[0]!.id, result: 'kept', comment: '按期完成' }] })
    expect(result).toMatchObject({ status: 'applied', entity: { id: p.id, items: [{ result: 'kept', resultComment: '按期完成', pointsAmount: 5 }, { result: null }] } })
    expect((await points()).map(r => r.points)).toEqual([5])
  })

  it('should answer the same 评诺 pushed twice once, granting the points once (duplicate)', async () => {
    const p = await published()
    const o = op('pledge.evaluate', { id: p.id, items: [{ itemId: p.items[0]!.id, result: 'kept' }] })
    await push(admin, [o])
    const [again] = results(await push(admin, [o]))
    expect(again!.status).toBe('duplicate')
    expect(await points()).toHaveLength(1)
  })

  it('should refuse an item another organizer evaluated first, naming them and their result, and keep theirs (PLEDGE_DECIDED)', async () => {
    const p = await published()
    await one(admin2.client, 'pledge.evaluate', { id: p.id, items: [{ itemId: p.items[0]!.id, result: 'partial' }] })
    const result = await one(admin, 'pledge.evaluate', { id: p.id, items: [{ itemId: p.items[0]!.id, result: 'kept' }, { itemId: p.items[1]!.id, result: 'kept' }] })
    expect(result).toMatchObject({ status: 'rejected', code: 'PLEDGE_DECIDED' })
    expect(result.message).toContain('wang-name')
    expect(result.message).toContain('部分兑现')
    expect((await stored(p.id)).items.map(i => i.result)).toEqual(['partial', null])
    expect(await points()).toHaveLength(0)
  })

  it('should refuse 评诺 before publication, and from members and group leaders (PLEDGE_NOT_PUBLISHED, OP_FORBIDDEN)', async () => {
    const p = await submitted()
    expect(await one(admin, 'pledge.evaluate', { id: p.id, items: [{ itemId: p.items[0]!.id, result: 'kept' }] })).toMatchObject({ status: 'rejected', code: 'PLEDGE_NOT_PUBLISHED' })
    const pub = await published()
    for (const who of [alice.client, leader.client])
      expect(await one(who, 'pledge.evaluate', { id: pub.id, items: [{ itemId: pub.items[0]!.id, result: 'kept' }] })).toMatchObject({ status: 'rejected', code: 'OP_FORBIDDEN' })
    expect((await stored(pub.id)).items[0]!.result).toBeNull()
  })
})
