import type { Words } from '../errors/words'
import { CHECKIN_REJECT, MEETING_REJECT } from './ops'

/**
 * 会议 and 签到 refusals, merged into the shared catalog (src/shared/errors/catalog.ts). Keys are
 * the codes the server answers, or reasons it names in `params.reason` under a general code.
 */
export const MEETING_ERRORS = {
  // Organizing (REST routes and meeting.* ops).
  [MEETING_REJECT.notFound]: { zh: '会议不存在（可能已被删除，或不在您的支部）', en: 'The meeting does not exist' },
  [MEETING_REJECT.notOrganizer]: { zh: '只有这场会议的组织者可以操作', en: 'Only this meeting\'s organizers may do this' },
  MEETING_ORGANIZERS_ONLY: { zh: '只有这场会议的组织者可以操作', en: 'Only this meeting\'s organizers may do this' },
  MEETING_OWN_GROUP_ONLY: { zh: '党小组长只能组织本小组的会议', en: 'A group leader can only organize their own group\'s meetings' },
  [MEETING_REJECT.idTaken]: { zh: '这场会议的编号已被占用，请重新创建', en: 'This meeting id is taken; create the meeting again' },
  [MEETING_REJECT.cancelled]: { zh: '这场会议已取消', en: 'This meeting was cancelled' },
  [MEETING_REJECT.closed]: { zh: '这场会议已结束并统计考勤', en: 'This meeting is already closed' },
  MEETING_CLOSED_BY: { zh: '会议已由{name}结束并统计考勤', en: 'This meeting was already closed by {name}' },
  MEETING_TIMES: { zh: '结束时间必须晚于开始时间', en: 'The end must be after the start' },
  MEETING_GROUP: { zh: '所选党小组不存在', en: 'The chosen group does not exist' },
  MEETING_MEMBER_OUT_OF_SCOPE: { zh: '此人不在这场会议的参会范围内', en: 'This person is not expected at this meeting' },
  MEETING_ALREADY_IN: { zh: '此人已签到', en: 'Already checked in' },
  MEETING_LEAVE_REASON: { zh: '请填写请假事由', en: 'Give the reason for the leave' },
  MEETING_NOT_PENDING: { zh: '这条签到不在待确认状态', en: 'This check-in is not waiting for confirmation' },
  MEETING_NOT_STARTED: { zh: '会议尚未开始，不能结束', en: 'The meeting has not started yet' },
  MEETING_HAS_PENDING: { zh: '还有 {count} 条补传的签到等待确认，请先确认或驳回', en: '{count} late check-ins still wait for confirmation' },
  // A member's check-in and leave (meeting.checkin / meeting.leave ops).
  [CHECKIN_REJECT.malformed]: { zh: '这不是本系统的签到码，请扫描会场屏幕上的二维码', en: 'This is not a check-in QR of this app; scan the code on the meeting screen' },
  [CHECKIN_REJECT.wrongMeeting]: { zh: '不是这个会议的签到码（这是另一场会议的签到码）', en: 'Not this meeting\'s check-in code (it belongs to another meeting)' },
  [CHECKIN_REJECT.forged]: { zh: '无效的签到码（签名不符）', en: 'Invalid check-in code (the signature does not match)' },
  [CHECKIN_REJECT.stale]: { zh: '签到码已过期，请扫描屏幕上的新码', en: 'This check-in code has expired; scan the new code on the screen' },
  [CHECKIN_REJECT.wrongCode]: { zh: '签到码不正确或已过期，请输入屏幕上最新的 6 位数字', en: 'Wrong or expired code; type the 6 digits now on the screen' },
  [CHECKIN_REJECT.noToken]: { zh: '缺少签到码', en: 'No QR text or code was sent' },
  [CHECKIN_REJECT.future]: { zh: '签到码的时间还没到（组织者设备的时钟超前，或签到码是提前生成的），请扫描现场屏幕上的二维码', en: 'This code is for a time that has not come yet on the server\'s clock; scan the live screen' },
  [CHECKIN_REJECT.outsideMeeting]: { zh: '签到码不在会议时间内（已过期或尚未开始）', en: 'This code is from outside the meeting\'s time' },
  [CHECKIN_REJECT.replayed]: { zh: '签到码已过期（可能是转发的旧截图），请扫描现场屏幕上的二维码', en: 'This code is old (a forwarded photo?); scan the live screen' },
  [CHECKIN_REJECT.meetingNotFound]: { zh: '找不到这场会议，请同步后再试', en: 'No such meeting; sync and try again' },
  [CHECKIN_REJECT.meetingCancelled]: { zh: '这场会议已取消', en: 'This meeting was cancelled' },
  [CHECKIN_REJECT.meetingClosed]: { zh: '这场会议已结束并统计考勤，请联系组织者', en: 'The meeting is closed; ask its organizer' },
  [CHECKIN_REJECT.outOfScope]: { zh: '这场会议只面向本支部的党员', en: 'This meeting is for another branch\'s members' },
  CHECKIN_OUT_OF_GROUP: { zh: '这场会议只面向{group}的党员', en: 'This meeting is for the members of {group}' },
  [CHECKIN_REJECT.already]: { zh: '您已签到，无需重复扫码', en: 'You are already checked in to this meeting' },
  [CHECKIN_REJECT.rateLimited]: { zh: '签到失败次数过多，请 10 分钟后再试或请组织者代签', en: 'Too many failed check-ins; wait 10 minutes or ask the organizer' },
  [CHECKIN_REJECT.leaveStarted]: { zh: '会议已开始，请直接联系组织者请假', en: 'The meeting has started; ask its organizer for leave' },
  [CHECKIN_REJECT.leaveAlreadyIn]: { zh: '您已签到，不能再请假', en: 'You are already checked in' },
  // 签退 (checkin.checkout).
  [CHECKIN_REJECT.checkoutOff]: { zh: '这场会议不需要签退', en: 'This meeting has no check-out' },
  [CHECKIN_REJECT.checkoutNotIn]: { zh: '您还没有签到，不能签退', en: 'You have not checked in, so you cannot check out' },
  [CHECKIN_REJECT.checkoutAlready]: { zh: '您已签退', en: 'You have already checked out' },
  // 反向扫码: an organizer scans members' personal codes (checkin.scan), and what the scanning phone says.
  [CHECKIN_REJECT.scanNotOrganizer]: { zh: '只有这场会议的组织者可以扫码代签到', en: 'Only this meeting\'s organizers may scan members in' },
  [CHECKIN_REJECT.scanUnknownMember]: { zh: '不是本支部（或本小组）党员的签到码', en: 'Not the code of a member of this branch (or group)' },
  [CHECKIN_REJECT.scanOtherMember]: { zh: '签到码与党员不符', en: 'The code does not belong to this member' },
  [CHECKIN_REJECT.scanMemberOutOfScope]: { zh: '此人不在这场会议的参会范围内', en: 'This member is not expected at this meeting' },
  CHECKIN_SCAN_OUT_OF_SCOPE_NAMED: { zh: '{name}不在这场会议的参会范围内', en: '{name} is not expected at this meeting' },
  [CHECKIN_REJECT.scanAlready]: { zh: '此人已签到', en: 'Already checked in' },
  CHECKIN_SCAN_ALREADY_NAMED: { zh: '{name}已签到，无需重复扫码', en: '{name} is already checked in' },
  CHECKIN_PERSONAL_STALE: { zh: '党员签到码已过期（可能是截图），请对方打开手机上的签到码', en: 'This personal code has expired (a screenshot?); ask the member to open the code on their phone' },
  CHECKIN_PERSONAL_FUTURE: { zh: '党员签到码的时间还没到（对方手机时间不准）', en: 'This personal code is from the future (the member\'s phone clock is wrong)' },
  CHECKIN_PERSONAL_MALFORMED: { zh: '这不是党员签到码，请对方打开“出示我的签到码”', en: 'Not a member\'s personal code; ask them to open "Show my check-in code"' },
  CHECKIN_CODE_UNVERIFIABLE: { zh: '这台手机还没有这场会议的验证信息，签到已保存，联网后由服务器核验', en: 'This phone has no key for this meeting yet; the check-in is kept and the server checks it once online' },
} as const satisfies Record<string, Words>
