import type { Words } from '../errors/words'

/** 讲评 guest link and guest-comment refusals, merged into the shared catalog (src/shared/errors/catalog.ts). */
export const REVIEW_GUEST_ERRORS = {
  REVIEW_GUEST_LINK_INVALID: { zh: '链接无效：请向组织者索取新的评分二维码', en: 'This link is not valid; ask the organizer for the current rating QR code' },
  REVIEW_GUEST_ALREADY: { zh: '您已经评过分了，每部手机只能评一次', en: 'You have already rated; one rating per phone' },
  REVIEW_GUEST_FULL: { zh: '评分人数已满（{cap} 人）', en: 'The guest places are all taken ({cap})' },
  REVIEW_GUEST_TOO_MANY: { zh: '此网络地址提交评分太频繁，请 {wait:duration}后再试', en: 'Too many ratings from your network address; try again in {wait:duration}' },
  REVIEW_COMMENT_MODERATED: { zh: '这条评价已经审核过了（{status}）', en: 'This comment has already been decided ({status})' },
  REVIEW_ORGANIZERS_ONLY: { zh: '只有本党小组组长或支部管理员可以操作', en: 'Only the group\'s leader or a branch admin may do this' },
} as const satisfies Record<string, Words>
