import type { PointsBranch } from '../points-helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { approve, logEntry, pointsBranch, resubmit, summaryOf, today } from '../points-helper'
import { phoneOf } from '../points-phone'
import { op, push } from '../sync-helper'

/* One truth on the phone and the server: the phone computes 我的积分 and 记积分 by the server's own rules. */
let b: PointsBranch
const year = Number(today().slice(0, 4))

beforeEach(async () => {
  b = await pointsBranch()
})
afterEach(async () => {
  await b.t.close()
})

describe('the year\'s own base score', () => {
  it('should show 82 on the phone as on the server after the admin sets the year\'s base to 80 (200)', async () => {
    const phone = await phoneOf(b, b.amy, b.groupA)
    await phone.sync()
    const logged = await logEntry(b.t, b.amy, 'volunteer')
    expect((await approve(b.lee, logged.id)).results[0]).toMatchObject({ ok: true })
    expect((await b.admin.client.request('PUT', `/api/points/base/${year}`, { baseScore: 80 })).statusCode).toBe(200)

    const server = (await summaryOf(b.amy)).json()
    expect(server).toMatchObject({ base: 80, total: 82 })
    await phone.sync()
    expect(phone.points.summaryFor(year)).toMatchObject({ base: 80, total: 82 })
    // Another year keeps the branch's default.
    expect(phone.points.summaryFor(year - 1)).toMatchObject({ base: 60, total: 60 })
  })
})

describe('which rules a member may log', () => {
  it('should not offer in 记积分 a self-logged rule with a deduction tier, which the server refuses (ENTRY_NOT_SELF_LOG)', async () => {
    const res = await b.admin.client.post('/api/points/rules', {
      category: 'serve',
      name: '社区服务',
      points: 2,
      variants: [{ key: 'good', label: '完成', points: 2 }, { key: 'bad', label: '未完成', points: -1 }],
      capPoints: null,
      capPeriod: null,
      approval: 'group',
      evidence: '',
      selfLog: true,
      active: true,
      veto: false,
    })
    expect(res.statusCode).toBe(200)
    const ruleId = res.json().id as string

    const phone = await phoneOf(b, b.amy, b.groupA)
    await phone.sync()
    expect(phone.points.rules.map(r => r.id)).toContain(ruleId)
    expect(phone.points.loggable.map(r => r.id)).not.toContain(ruleId)
    expect(phone.points.loggable.map(r => r.key)).toContain('volunteer')

    const pushed = await push(b.amy.client, [op('entry.create', { id: randomUUID(), ruleId, date: today(), note: '', variant: 'good' })])
    expect(pushed.json().results[0]).toMatchObject({ status: 'rejected', code: 'ENTRY_NOT_SELF_LOG' })
  })
})

describe('an entry the server refused a change to', () => {
  it('should count as the server has it: corrected on another phone first and approved (ENTRY_NOT_RETURNED)', async () => {
    const phone = await phoneOf(b, b.amy, b.groupA)
    const logged = await logEntry(b.t, b.amy, 'volunteer')
    expect((await b.lee.client.post(`/api/points/approvals/${logged.id}/return`, { reason: 'wrong_date' })).statusCode).toBe(200)
    await phone.sync()
    const returned = phone.points.entries.find(e => e.id === logged.id)!
    expect(returned.status).toBe('returned')
    // Her other phone sends the correction first, and the leader approves it.
    expect(await resubmit(b.amy, { id: logged.id, date: today(), note: '另一部手机更正' })).toMatchObject({ status: 'applied' })
    expect((await approve(b.lee, logged.id)).results[0]).toMatchObject({ ok: true })

    await phone.points.resubmit(returned, { date: today(), note: '这部手机更正', variant: null })
    expect(await phone.sync()).toMatchObject({ rejected: 1 })
    expect(phone.points.entries.find(e => e.id === logged.id)).toMatchObject({ syncFailed: true, status: 'pending' })
    expect((await summaryOf(b.amy)).json()).toMatchObject({ total: 62, pending: 0 })
    expect(phone.points.summaryFor(year)).toMatchObject({ total: 62, pending: 0, pendingCount: 0 })
  })
})
