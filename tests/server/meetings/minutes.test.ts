import type { TestApp } from '../helper'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'
import { createMeeting, meetingFixture, person } from '../meeting-helper'
import { photoCount, pngBytes, upload } from '../photo-helper'

let t: TestApp
let f: Awaited<ReturnType<typeof meetingFixture>>
let meetingId: string
beforeEach(async () => {
  t = await buildTestApp()
  f = await meetingFixture(t)
  meetingId = await createMeeting(f.leader1.client, { type: 'group_meeting', groupId: f.group1 })
})
afterEach(async () => {
  await t.close()
})

async function photo(who = f.leader1, colour: [number, number, number] = [10, 10, 10]) {
  const id = randomUUID()
  expect((await upload(t, who, id, pngBytes(16, 16, colour))).statusCode).toBe(201)
  return id
}
const minutes = (who = f.leader1, body: unknown = {}) => who.client.request('PUT', `/api/meetings/${meetingId}/minutes`, body)

describe('pUT /api/meetings/:id/minutes', () => {
  it('should save the organizer\'s minutes with photos, readable by the meeting\'s group and no one else (200 / 404)', async () => {
    const [p1, p2] = [await photo(), await photo(f.leader1, [0, 200, 0])]
    const res = await minutes(f.leader1, { minutes: '  传达了上级会议精神，6 人发言。 ', photoIds: [p1, p2] })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: meetingId, minutes: '传达了上级会议精神，6 人发言。', minutesPhotoIds: [p1, p2] })
    expect((await f.m1.client.get(`/api/meetings/${meetingId}`)).json()).toMatchObject({ minutes: '传达了上级会议精神，6 人发言。', minutesPhotoIds: [p1, p2] })
    for (const who of [f.m1, f.m2, f.leader1])
      expect((await who.client.get(`/api/photos/${p1}`)).statusCode).toBe(200)
    for (const who of [f.g2, f.leader2, f.outsider])
      expect((await who.client.get(`/api/photos/${p1}`)).statusCode).toBe(404)
  })

  it('should stop showing a photo taken out of the minutes to the members (200, then 404)', async () => {
    const [p1, p2] = [await photo(), await photo(f.leader1, [0, 0, 200])]
    await minutes(f.leader1, { minutes: '第一稿', photoIds: [p1, p2] })
    const res = await minutes(f.leader1, { minutes: '第二稿', photoIds: [p2] })
    expect(res.json()).toMatchObject({ minutes: '第二稿', minutesPhotoIds: [p2] })
    expect((await f.m1.client.get(`/api/photos/${p1}`)).statusCode).toBe(404)
    expect((await f.m1.client.get(`/api/photos/${p2}`)).statusCode).toBe(200)
    expect((await f.leader1.client.get(`/api/photos/${p1}`)).statusCode).toBe(200)
  })

  it('should refuse a member, another group\'s leader, someone else\'s photo and an unknown photo, and change nothing (403 / 400)', async () => {
    const own = await photo()
    expect((await minutes(f.m1, { minutes: 'x', photoIds: [] })).statusCode).toBe(403)
    expect((await minutes(f.leader2, { minutes: 'x', photoIds: [] })).statusCode).toBe(403)
    const foreign = await photo(f.m1)
    const notYours = await minutes(f.leader1, { minutes: 'x', photoIds: [own, foreign] })
    expect(notYours.statusCode).toBe(403)
    expect(notYours.json()).toMatchObject({ code: 'PHOTO_NOT_YOURS' })
    const missing = await minutes(f.leader1, { minutes: 'x', photoIds: [randomUUID()] })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toMatchObject({ code: 'PHOTO_MISSING' })
    expect((await minutes(f.leader1, { minutes: 'x'.repeat(5001), photoIds: [] })).statusCode).toBe(400)
    const row = await t.handle.db.selectFrom('meeting').select(['minutes', 'minutes_photo_ids']).where('id', '=', meetingId).executeTakeFirstOrThrow()
    expect(row).toEqual({ minutes: '', minutes_photo_ids: '[]' })
    expect(await t.handle.db.selectFrom('photo').select('id').where('owner_id', '=', meetingId).execute()).toEqual([])
    expect(await photoCount(t)).toBe(2)
  })

  it('should let a second organizer re-save the minutes keeping the first one\'s photos and adding their own (200)', async () => {
    const first = await photo()
    expect((await minutes(f.leader1, { minutes: '初稿', photoIds: [first] })).statusCode).toBe(200)
    // 副组长: a second organizer of the same group.
    const deputy = await person(t.app, t.handle, f.branchId, 'deputy1', 'group_leader', f.group1)
    const second = await photo(deputy, [0, 90, 90])
    const res = await minutes(deputy, { minutes: '支部补充', photoIds: [first, second] })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ minutes: '支部补充', minutesPhotoIds: [first, second] })
    expect((await f.m1.client.get(`/api/photos/${second}`)).statusCode).toBe(200)
  })
})
