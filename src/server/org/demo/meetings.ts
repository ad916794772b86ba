import type { MeetingType } from '#shared/meetings/constants'
import type { Actor } from '../../plugins/auth'
import type { DemoContext } from './context'
import { codeForWindow, importSigningKey, windowAt } from '#shared/meetings/token'
import { checkinHandler, leaveHandler } from '../../meetings/checkin'
import { newKeyPair } from '../../meetings/keys'
import { ensureMeetingKeys } from '../../meetings/repository'
import { closeOrganized, createMeeting } from '../../meetings/service'
import { DAY, HOUR } from '../../util/clock'
import { newId } from '../../util/ids'
import { asOp, instantAt } from './context'

const MINUTE = 60_000

/** One meeting of the demo year: who asked for 请假 the day before and who simply did not come. */
interface Held {
  type: MeetingType
  /** null: the whole branch; else the group's index. */
  group: number | null
  topic: string
  at: number
  place: string
  /** Members as [group index, index among its plain members] (-1: the group's leader). */
  leave?: [number, number][]
  absent?: [number, number][]
}

const HELD: Held[] = [
  { type: 'theme_day', group: null, topic: '主题党日：重温入党誓词', at: 0.12, place: '三楼党员活动室', leave: [[1, 1]], absent: [[2, 2]] },
  { type: 'group_meeting', group: 0, topic: '党小组会：学习新修订的党纪处分条例', at: 0.22, place: '一楼小会议室' },
  { type: 'group_meeting', group: 1, topic: '党小组会：学习新修订的党纪处分条例', at: 0.23, place: '二楼会议室', absent: [[1, 0]] },
  { type: 'group_meeting', group: 2, topic: '党小组会：学习新修订的党纪处分条例', at: 0.24, place: '三楼会议室', leave: [[2, 0]] },
  { type: 'party_lecture', group: null, topic: '党课：践行全心全意为人民服务的宗旨', at: 0.38, place: '大会议室', absent: [[0, 2]] },
  { type: 'branch_assembly', group: null, topic: '支部党员大会：半年工作总结', at: 0.5, place: '大会议室', leave: [[0, 1]] },
  { type: 'life_meeting', group: 0, topic: '专题组织生活会（上半年讲评）', at: 0.52, place: '一楼小会议室' },
  { type: 'life_meeting', group: 1, topic: '专题组织生活会（上半年讲评）', at: 0.53, place: '二楼会议室', leave: [[1, 1]] },
  { type: 'life_meeting', group: 2, topic: '专题组织生活会（上半年讲评）', at: 0.54, place: '三楼会议室', absent: [[2, 1]] },
  { type: 'theme_day', group: null, topic: '主题党日：走进社区志愿服务', at: 0.72, place: '幸福里社区', absent: [[2, 2]] },
  { type: 'group_meeting', group: 0, topic: '党小组会：交流践诺情况', at: 0.85, place: '一楼小会议室', leave: [[0, 2]] },
  { type: 'group_meeting', group: 1, topic: '党小组会：交流践诺情况', at: 0.86, place: '二楼会议室' },
  { type: 'group_meeting', group: 2, topic: '党小组会：交流践诺情况', at: 0.87, place: '三楼会议室' },
]

/**
 * 会议: a year of closed meetings — branch-wide and per group — where members checked in by
 * scanning the organizer's rotating QR code at the meeting, one asked for 请假 the day before,
 * one stayed away (无故缺席, the deduction posted at close); and one meeting still ahead, for
 * 请假 and the check-in screen to try.
 */
export async function seedMeetings(c: DemoContext): Promise<void> {
  const person = ([g, i]: [number, number]) => i < 0 ? c.leaders[g]! : c.members[g]![i]!
  for (const m of HELD) {
    const startsAt = instantAt(c, m.at)
    const organizer = m.group === null ? c.admin : c.leaders[m.group]!
    const id = newId()
    await c.db.transaction().execute(trx => createMeeting(trx, organizer, id, body(m, startsAt)))
    const leave = new Set((m.leave ?? []).map(p => person(p).id))
    const absent = new Set((m.absent ?? []).map(p => person(p).id))
    const expected = m.group === null ? [c.admin, ...c.leaders, ...c.members.flat()] : [c.leaders[m.group]!, ...c.members[m.group]!]
    for (const [n, who] of expected.entries()) {
      if (absent.has(who.id))
        continue
      if (leave.has(who.id)) {
        await asOp(c, who, leaveHandler, { meetingId: id, reason: '出差在外，无法参加' }, new Date(startsAt.getTime() - DAY))
        continue
      }
      await scan(c, who, id, new Date(startsAt.getTime() + (2 + n) * MINUTE))
    }
    await c.db.transaction().execute(trx => closeOrganized(trx, organizer, id))
  }
  // Next week's 党小组会 of the first group: 请假 and the 签到 screen have something to act on.
  const next = new Date(c.now.getTime() + 7 * DAY)
  await c.db.transaction().execute(trx => createMeeting(trx, c.leaders[0]!, newId(), body({ type: 'group_meeting', group: 0, topic: '党小组会：年度讲评准备', at: 0, place: '一楼小会议室' }, next)))

  function body(m: Held, startsAt: Date) {
    return {
      type: m.type,
      groupId: m.group === null ? null : c.leaders[m.group]!.groupId,
      topic: m.topic,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
      place: m.place,
      agenda: '一、集中学习\n二、交流发言\n三、小结',
    }
  }
}

/** A member scans the QR on the organizer's screen at `at`: the code of that 10-second window, sent at once. */
async function scan(c: DemoContext, who: Actor, meetingId: string, at: Date): Promise<void> {
  const key = await importSigningKey(await ensureMeetingKeys(c.db, meetingId, newKeyPair))
  const { token } = await codeForWindow(key, meetingId, windowAt(at.getTime()))
  await asOp(c, who, checkinHandler(c.secret), { meetingId, token, scannedAt: at.toISOString() }, at)
}
