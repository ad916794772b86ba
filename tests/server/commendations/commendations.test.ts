import type { Round, Shortlist } from '#shared/commendations/schemas'
import type { OpResult } from '#shared/sync/protocol'
import type { Client, TestApp } from '../helper'
import type { Person } from '../pledge-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../helper'
import { group, person, YEAR } from '../pledge-helper'
import { op, push } from '../sync-helper'

let t: TestApp
let admin: Client
let branchId: string
let groupId: string
let leader: Person
let zhang: Person
let li: Person
let wang: Person
let zhao: Person

/** Ledger rows for the year: the shortlist reads the same totals the points pages show. */
async function points(memberId: string, amount: number) {
  await t.handle.db.insertInto('point_ledger').values({
    id: randomUUID(),
    branch_id: branchId,
    member_id: memberId,
    year: YEAR,
    month: 3,
    date: `${YEAR}-03-01`,
    category: 'excel',
    rule_id: null,
    entry_id: null,
    kind: 'grant',
    amount,
    requested: amount,
    clipped: 0,
    reason: 'fixture',
    reverses_id: null,
    actor_id: null,
    created_at: new Date().toISOString(),
  }).execute()
}

beforeEach(async () => {
  t = await buildTestApp()
  const setup = await setUpBranch(t.app, t.handle)
  admin = setup.admin
  branchId = setup.branchId
  groupId = await group(t, branchId, '检验一组')
  leader = await person(t, branchId, 'lead', 'group_leader', groupId)
  zhang = await person(t, branchId, 'zhang', 'member', groupId)
  li = await person(t, branchId, 'li', 'member', groupId)
  wang = await person(t, branchId, 'wang', 'member', groupId)
  zhao = await person(t, branchId, 'zhao', 'member', groupId)
  for (const [p, name] of [[zhang, '张伟'], [li, '李娜'], [wang, '王芳'], [zhao, '赵强']] as const)
    await t.handle.db.updateTable('member').set({ name }).where('id', '=', p.id).execute()
  await points(zhang.id, 20)
  await points(li.id, 40)
  await points(wang.id, 10)
  await points(zhao.id, 30)
})
afterEach(async () => {
  await t.close()
})

const results = (res: { json: () => unknown }) => (res.json() as { results: OpResult[] }).results
async function one(client: Client, type: string, payload: unknown): Promise<OpResult> {
  const [result] = results(await push(client, [op(type, payload)]))
  return result!
}

async function newRound(titles = [{ name: '优秀共产党员', target: 'member', quota: 2 }, { name: '先进党小组', target: 'group', quota: 1 }]): Promise<Round> {
  const res = await admin.post('/api/commendations/rounds', { kind: 'july1', year: YEAR, titles })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Round
}

async function nominating(): Promise<Round> {
  const round = await newRound()
  expect((await admin.post(`/api/commendations/rounds/${round.id}/step`, { to: 'nominating' })).statusCode).toBe(200)
  return round
}

function nominate(client: Client, round: Round, memberId: string, citation = '全年检验零差错') {
  return one(client, 'commendation.nominate', { id: randomUUID(), roundId: round.id, titleId: round.titles[0]!.id, memberId, citation })
}

/** Moves 公示's start back so it has ended (the decision is refused while it runs). */
async function endPublicity(roundId: string) {
  await t.handle.db.updateTable('commendation_round').set({ published_at: new Date(Date.now() - 30 * 86_400_000).toISOString() }).where('id', '=', roundId).execute()
}

describe('a round and its titles', () => {
  it('should start with the campaign\'s four titles and refuse a quota larger than the eligible members, in words', async () => {
    const res = await admin.post('/api/commendations/rounds', { kind: 'oct1', year: YEAR })
    expect(res.statusCode).toBe(200)
    expect((res.json() as Round).titles.map(x => x.name)).toEqual(['优秀共产党员', '廉洁高效先锋', '转型发展先锋', '先进党小组'])
    const big = await admin.post('/api/commendations/rounds', { kind: 'july1', year: YEAR, titles: [{ name: '优秀共产党员', target: 'member', quota: 7 }] })
    expect(big.statusCode).toBe(400)
    expect(big.json().message).toContain('名额 7 个，多于可评的 6 个党员')
    expect(await t.handle.db.selectFrom('commendation_round').select('id').where('kind', '=', 'july1').execute()).toEqual([])
  })

  it('should refuse a quota for groups larger than the branch\'s groups', async () => {
    const res = await admin.post('/api/commendations/rounds', { kind: 'july1', year: YEAR, titles: [{ name: '先进党小组', target: 'group', quota: 2 }] })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('多于可评的 1 个党小组')
  })

  it('should refuse rounds to members and group leaders', async () => {
    expect((await zhang.client.post('/api/commendations/rounds', { kind: 'july1', year: YEAR })).statusCode).toBe(403)
    expect((await leader.client.post('/api/commendations/rounds', { kind: 'july1', year: YEAR })).statusCode).toBe(403)
  })
})

describe('the shortlist', () => {
  it('should order members by the record, with vetoed and departed members excluded and said why', async () => {
    await t.handle.db.insertInto('point_veto').values({ id: randomUUID(), branch_id: branchId, member_id: zhao.id, year: YEAR, decision: '支委会决定', decided_on: `${YEAR}-02-01`, reason: '违纪', created_by: null, created_at: new Date().toISOString(), revoked_at: null, revoked_by: null, revoke_reason: null }).execute()
    await t.handle.db.updateTable('member').set({ active: 0 }).where('id', '=', wang.id).execute()
    const round = await newRound()
    const res = await leader.client.get(`/api/commendations/rounds/${round.id}/shortlist`)
    expect(res.statusCode).toBe(200)
    const list = (res.json() as Shortlist).titles[0]!
    expect(list.candidates.slice(0, 2).map(c => c.name)).toEqual(['李娜', '张伟'])
    expect(list.candidates.map(c => c.name)).not.toContain('赵强')
    expect(list.candidates.map(c => c.name)).not.toContain('王芳')
    expect(list.excluded).toEqual(expect.arrayContaining([{ id: zhao.id, name: '赵强', reason: 'vetoed' }, { id: wang.id, name: '王芳', reason: 'departed' }]))
  })

  it('should change the order when the weights change (stored per round)', async () => {
    const round = await newRound()
    // 张伟 kept two pledge items, 李娜 none: with all the weight on pledges 张伟 leads.
    const pledgeId = randomUUID()
    const now = new Date().toISOString()
    await t.handle.db.insertInto('pledge').values({ id: pledgeId, branch_id: branchId, owner_kind: 'member', member_id: zhang.id, group_id: groupId, year: YEAR, stage: null, supervisor: 's', supervisor_contact: 'c', status: 'published', return_reason: null, created_by: zhang.id, submitted_at: now, reviewed_by: null, reviewed_at: null, published_by: null, published_at: now, created_at: now, updated_at: now } as never).execute()
    for (const sort of [0, 1])
      await t.handle.db.insertInto('pledge_item').values({ id: randomUUID(), pledge_id: pledgeId, branch_id: branchId, sort, category: 'excel', duty: 'd', target: 't', due_date: `${YEAR}-06-30`, progress_status: 'done', percent: 100, progress_note: '', progress_at: now, result: 'kept', result_comment: '', excused: 0, points_rule_key: null, points_amount: null, evaluated_by: null, evaluated_at: now } as never).execute()
    const patched = await admin.patch(`/api/commendations/rounds/${round.id}`, { weights: { points: 0, review: 0, pledges: 100, appraisal: 0 } })
    expect(patched.statusCode, patched.body).toBe(200)
    const list = (await admin.get(`/api/commendations/rounds/${round.id}/shortlist`)).json() as Shortlist
    expect(list.weights.pledges).toBe(100)
    expect(list.titles[0]!.candidates[0]!.name).toBe('张伟')
  })
})

describe('nominating (commendation.nominate)', () => {
  it('should nominate up to the quota and refuse one more, saying so', async () => {
    const round = await nominating()
    expect((await nominate(admin, round, li.id)).status).toBe('applied')
    expect((await nominate(leader.client, round, zhang.id)).status).toBe('applied')
    const over = await nominate(admin, round, wang.id)
    expect(over).toMatchObject({ status: 'rejected', code: 'COMMENDATION_QUOTA_FULL' })
    expect(over.message).toContain('名额 2 个已满')
    expect(await t.handle.db.selectFrom('commendation_nominee').select('id').execute()).toHaveLength(2)
  })

  it('should refuse a vetoed or departed member in words, storing nothing', async () => {
    const round = await nominating()
    await t.handle.db.insertInto('point_veto').values({ id: randomUUID(), branch_id: branchId, member_id: zhao.id, year: YEAR, decision: 'x', decided_on: `${YEAR}-02-01`, reason: 'x', created_by: null, created_at: new Date().toISOString(), revoked_at: null, revoked_by: null, revoke_reason: null }).execute()
    await t.handle.db.updateTable('member').set({ active: 0 }).where('id', '=', wang.id).execute()
    expect(await nominate(admin, round, zhao.id)).toMatchObject({ status: 'rejected', code: 'COMMENDATION_VETOED' })
    expect((await nominate(admin, round, wang.id)).message).toContain('王芳 已不在本支部')
    expect(await t.handle.db.selectFrom('commendation_nominee').select('id').execute()).toEqual([])
  })

  it('should refuse nominating before the round opens, and members nominating at all', async () => {
    const round = await newRound()
    expect(await nominate(admin, round, li.id)).toMatchObject({ status: 'rejected', code: 'COMMENDATION_STEP' })
    await admin.post(`/api/commendations/rounds/${round.id}/step`, { to: 'nominating' })
    expect((await nominate(zhang.client, round, li.id)).status).toBe('rejected')
  })
})

describe('公示 and the decision', () => {
  async function published(): Promise<{ round: Round, slug: string }> {
    const round = await nominating()
    expect((await nominate(admin, round, li.id)).status).toBe('applied')
    expect((await admin.post(`/api/commendations/rounds/${round.id}/step`, { to: 'publicity' })).statusCode).toBe(200)
    const slug = (await admin.get('/api/pledges/board-link')).json().slug as string
    return { round: (await admin.get(`/api/commendations/rounds/${round.id}`)).json() as Round, slug }
  }

  it('should show the nominees on the public board, and the public\'s feedback only after moderation', async () => {
    const { round, slug } = await published()
    const board = (await new (admin.constructor as typeof Client)(t.app).get(`/api/board/${slug}`)).json()
    expect(board.honours[0].nominees[0]).toMatchObject({ name: '李娜', title: '优秀共产党员', citation: '全年检验零差错', feedback: [] })
    const nomineeId = round.nominees[0]!.id
    const sent = await admin.post(`/api/board/${slug}/honours-feedback`, { nomineeId, name: '群众', text: '服务热情，名副其实' })
    expect(sent.statusCode, sent.body).toBe(200)
    expect((await admin.get(`/api/board/${slug}`)).json().honours[0].nominees[0].feedback).toEqual([])
    const seen = (await admin.get(`/api/commendations/rounds/${round.id}`)).json() as Round
    const fb = seen.nominees[0]!.feedback[0]!
    expect(fb).toMatchObject({ text: '服务热情，名副其实', status: 'pending' })
    expect((await admin.post(`/api/commendations/feedback/${fb.id}/moderate`, { decision: 'approve' })).statusCode).toBe(200)
    expect((await admin.post(`/api/commendations/feedback/${fb.id}/moderate`, { decision: 'reject' })).statusCode).toBe(409)
    expect((await admin.get(`/api/board/${slug}`)).json().honours[0].nominees[0].feedback[0].text).toBe('服务热情，名副其实')
  })

  it('should refuse deciding while 公示 runs, then grant 所级 +2 once, and refuse deciding twice', async () => {
    const { round } = await published()
    const nomineeId = round.nominees[0]!.id
    expect(await one(admin, 'commendation.decide', { nomineeId, awarded: true })).toMatchObject({ status: 'rejected', code: 'COMMENDATION_PUBLICITY_RUNNING' })
    await endPublicity(round.id)
    const decideOp = op('commendation.decide', { nomineeId, awarded: true })
    expect(results(await push(admin, [decideOp]))[0]!.status).toBe('applied')
    // The same op pushed again is answered once; a new decision is refused in words.
    expect(results(await push(admin, [decideOp]))[0]!.status).toBe('duplicate')
    const again = await one(admin, 'commendation.decide', { nomineeId, awarded: false })
    expect(again).toMatchObject({ status: 'rejected', code: 'COMMENDATION_DECIDED' })
    expect(again.message).toContain('李娜 已决定为「授予」')
    const ledger = await t.handle.db.selectFrom('point_ledger').innerJoin('point_entry', 'point_entry.id', 'point_ledger.entry_id').select(['point_ledger.amount', 'point_entry.variant']).where('point_ledger.member_id', '=', li.id).execute()
    expect(ledger).toEqual([{ amount: 2, variant: 'institute' }])
    const after = (await admin.get(`/api/commendations/rounds/${round.id}`)).json() as Round
    expect(after.status).toBe('decided')
    expect((await li.client.get('/api/commendations/mine')).json()).toEqual([expect.objectContaining({ title: '优秀共产党员', year: YEAR })])
    expect((await zhang.client.get('/api/commendations/mine')).json()).toEqual([])
  })

  it('should grant the round\'s level: 市级 +5', async () => {
    const { round } = await published()
    await admin.patch(`/api/commendations/rounds/${round.id}`, { level: 'city' }).then(r => expect(r.statusCode).toBe(409))
    await t.handle.db.updateTable('commendation_round').set({ level: 'city' }).where('id', '=', round.id).execute()
    await endPublicity(round.id)
    expect((await one(admin, 'commendation.decide', { nomineeId: round.nominees[0]!.id, awarded: true })).status).toBe('applied')
    const sum = await t.handle.db.selectFrom('point_ledger').select('amount').where('member_id', '=', li.id).where('reason', '!=', 'fixture').execute()
    expect(sum).toEqual([{ amount: 5 }])
  })

  it('should refuse a group leader deciding', async () => {
    const { round } = await published()
    await endPublicity(round.id)
    expect((await one(leader.client, 'commendation.decide', { nomineeId: round.nominees[0]!.id, awarded: true })).status).toBe('rejected')
  })
})
