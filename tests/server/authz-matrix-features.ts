import type { MatrixRole, RouteCase } from './authz-matrix'
import { randomUUID } from 'node:crypto'
import { DEFAULT_RHYTHM } from '#shared/meetings/rhythm'
import { localDate } from '#shared/points/periods'
import { approvedEntry, freshAppraisal, freshEntry, freshFeedback, freshGroupReview, freshHonourFeedback, freshMeeting, freshMember, freshPledge, freshReview, freshReviewPeriod, freshRound, freshVeto, meetingBody, pledgeBody, pledgeContent, publicNominee, roundBody, YEAR } from './authz-fixture'
import { adminOnBranch, adminOnRecord, all, loggedIn } from './authz-matrix'
import { GUEST_MATRIX } from './authz-matrix-guest'
import { pngBytes } from './photo-helper'

/** A record of the group 1 member (their points, sheet): themself, their group leader, the branch admin. */
const memberRecord: Record<MatrixRole, number> = { anonymous: 401, member: 200, leaderOwn: 200, leaderOther: 403, admin: 200, otherAdmin: 404 }
/** An organizer acting on the group 1 member or on a group 1 meeting: its leader and the branch admin. */
const organizerOfGroup1: Record<MatrixRole, number> = { anonymous: 401, member: 403, leaderOwn: 200, leaderOther: 403, admin: 200, otherAdmin: 404 }
/** An organizer's list of their own scope: every leader and admin sees theirs. */
const organizerOnBranch: Record<MatrixRole, number> = { anonymous: 401, member: 403, leaderOwn: 200, leaderOther: 200, admin: 200, otherAdmin: 200 }
/** Something readable only by those who may read it, and hidden (404, not 403) from everyone else. */
const hiddenFromOthers: Record<MatrixRole, number> = { anonymous: 401, member: 200, leaderOwn: 200, leaderOther: 404, admin: 200, otherAdmin: 404 }
/** The author's own pledge: nobody else edits it, not even the branch admin. */
const authorOnly: Record<MatrixRole, number> = { anonymous: 401, member: 200, leaderOwn: 403, leaderOther: 403, admin: 403, otherAdmin: 404 }

const today = () => localDate(new Date())
const sheet = (id: string, xlsx = false) => `/api/points/sheet${xlsx ? '.xlsx' : ''}?scope=member&id=${id}&period=year&year=${YEAR}`

export const FEATURE_MATRIX: RouteCase[] = [
  // 定期讲评 (issue 12): a closed session of group 1. Another group's leader and another branch do not see it (404);
  // the branch admin, not in the group, has no result of their own (403).
  { method: 'GET', route: '/api/reviews', url: () => '/api/reviews', expect: loggedIn(200) },
  { method: 'GET', route: '/api/reviews/:id', prepare: async f => ({ id: await freshReview(f) }), url: (_f, p) => `/api/reviews/${p.id}`, expect: hiddenFromOthers },
  { method: 'GET', route: '/api/reviews/:id/my-result', prepare: async f => ({ id: await freshReview(f) }), url: (_f, p) => `/api/reviews/${p.id}/my-result`, expect: { ...hiddenFromOthers, admin: 403 } },
  { method: 'GET', route: '/api/reviews/:id/results', prepare: async f => ({ id: await freshReview(f) }), url: (_f, p) => `/api/reviews/${p.id}/results`, expect: { ...organizerOfGroup1, leaderOther: 404 } },
  { method: 'GET', route: '/api/reviews/:id/results.xlsx', prepare: async f => ({ id: await freshReview(f) }), url: (_f, p) => `/api/reviews/${p.id}/results.xlsx`, expect: { ...organizerOfGroup1, leaderOther: 404 } },

  // 积分 (issue 4)
  { method: 'GET', route: '/api/points/summary', url: f => `/api/points/summary?memberId=${f.member.id}`, expect: memberRecord },
  { method: 'GET', route: '/api/points/entries', url: f => `/api/points/entries?memberId=${f.member.id}`, expect: memberRecord },
  { method: 'GET', route: '/api/points/entries/:id', url: f => `/api/points/entries/${f.entryId}`, expect: memberRecord },
  { method: 'POST', route: '/api/points/entries/:id/revoke', prepare: async f => ({ id: await approvedEntry(f) }), url: (_f, p) => `/api/points/entries/${p.id}/revoke`, body: () => ({ reason: '重复记录' }), expect: adminOnRecord },
  { method: 'GET', route: '/api/points/settings', url: () => '/api/points/settings', expect: loggedIn(200) },
  { method: 'PUT', route: '/api/points/settings', url: () => '/api/points/settings', body: () => ({ baseScore: 60, ranking: false, opensOn: null }), expect: adminOnBranch },
  { method: 'PUT', route: '/api/points/base/:year', url: () => `/api/points/base/${YEAR}`, body: () => ({ baseScore: 60 }), expect: adminOnBranch },
  { method: 'POST', route: '/api/points/vetoes', prepare: async f => ({ memberId: await freshMember(f) }), url: () => '/api/points/vetoes', body: (_f, p) => ({ memberId: p.memberId, year: YEAR, decision: '党内警告', decidedOn: today(), reason: '测试' }), expect: adminOnRecord },
  { method: 'POST', route: '/api/points/vetoes/:id/revoke', prepare: async f => ({ id: await freshVeto(f) }), url: (_f, p) => `/api/points/vetoes/${p.id}/revoke`, body: () => ({ reason: '决定撤销' }), expect: adminOnRecord },
  { method: 'GET', route: '/api/points/audit', url: () => '/api/points/audit', expect: adminOnBranch },
  { method: 'GET', route: '/api/points/sheet', url: f => sheet(f.member.id), expect: memberRecord },
  { method: 'GET', route: '/api/points/sheet.xlsx', url: f => sheet(f.member.id, true), expect: memberRecord },
  { method: 'GET', route: '/api/points/rules', url: () => '/api/points/rules', expect: loggedIn(200) },
  {
    method: 'POST',
    route: '/api/points/rules',
    url: () => '/api/points/rules',
    body: () => ({ category: 'serve', name: `新项目${randomUUID().slice(0, 4)}`, points: 1, variants: [], capPoints: null, capPeriod: null, approval: 'group', evidence: '照片', selfLog: true, active: true, veto: false }),
    expect: adminOnBranch,
  },
  { method: 'PUT', route: '/api/points/rules/:id', url: f => `/api/points/rules/${f.ruleToEdit.id}`, body: f => f.ruleToEdit.body, expect: adminOnRecord },
  { method: 'POST', route: '/api/points/rules/:id/retire', url: f => `/api/points/rules/${f.ruleToRetire}/retire`, expect: adminOnRecord },
  { method: 'GET', route: '/api/points/approvals', url: () => '/api/points/approvals', expect: organizerOnBranch },
  // Approving is a batch: the route answers 200 and refuses per entry; the matrix reads the entry's own answer.
  { method: 'POST', route: '/api/points/approvals/approve', prepare: async f => ({ id: await freshEntry(f) }), url: () => '/api/points/approvals/approve', body: (_f, p) => ({ ids: [p.id] }), expect: organizerOfGroup1 },
  { method: 'POST', route: '/api/points/approvals/:id/return', prepare: async f => ({ id: await freshEntry(f) }), url: (_f, p) => `/api/points/approvals/${p.id}/return`, body: () => ({ reason: 'evidence_missing' }), expect: organizerOfGroup1 },
  { method: 'POST', route: '/api/points/approvals/adjustments', url: () => '/api/points/approvals/adjustments', body: f => ({ memberId: f.member.id, date: today(), reason: '表现突出', category: 'serve', points: 1 }), expect: organizerOfGroup1 },

  // 承诺 (issue 3) and the public board
  { method: 'GET', route: '/api/pledges', url: () => '/api/pledges', expect: loggedIn(200) },
  { method: 'GET', route: '/api/pledges/archive', url: () => '/api/pledges/archive', expect: loggedIn(200) },
  { method: 'GET', route: '/api/pledges/archive.xlsx', url: () => '/api/pledges/archive.xlsx', expect: loggedIn(200) },
  { method: 'GET', route: '/api/pledges/board-link', url: () => '/api/pledges/board-link', expect: loggedIn(200) },
  { method: 'GET', route: '/api/pledges/feedback', url: () => '/api/pledges/feedback', expect: adminOnBranch },
  { method: 'POST', route: '/api/pledges/feedback/:id/moderate', prepare: async f => ({ id: await freshFeedback(f) }), url: (_f, p) => `/api/pledges/feedback/${p.id}/moderate`, body: () => ({ decision: 'approve' }), expect: adminOnRecord },
  { method: 'GET', route: '/api/pledges/:id', url: f => `/api/pledges/${f.pledgeId}`, expect: hiddenFromOthers },
  // Everyone drafts their own pledge, another branch's admin in their own branch.
  { method: 'POST', route: '/api/pledges', url: () => '/api/pledges', body: () => pledgeBody(), expect: loggedIn(200) },
  { method: 'PATCH', route: '/api/pledges/:id', url: f => `/api/pledges/${f.pledgeId}`, body: () => pledgeContent(), expect: authorOnly },
  { method: 'POST', route: '/api/pledges/:id/submit', prepare: async f => ({ id: (await freshPledge(f, 'draft')).id }), url: (_f, p) => `/api/pledges/${p.id}/submit`, expect: authorOnly },
  { method: 'POST', route: '/api/pledges/:id/approve', prepare: async f => ({ id: (await freshPledge(f, 'submitted')).id }), url: (_f, p) => `/api/pledges/${p.id}/approve`, expect: adminOnRecord },
  { method: 'POST', route: '/api/pledges/:id/return', prepare: async f => ({ id: (await freshPledge(f, 'submitted')).id }), url: (_f, p) => `/api/pledges/${p.id}/return`, body: () => ({ reason: '目标不够具体' }), expect: adminOnRecord },
  { method: 'POST', route: '/api/pledges/:id/publish', prepare: async f => ({ id: (await freshPledge(f, 'approved')).id }), url: (_f, p) => `/api/pledges/${p.id}/publish`, expect: adminOnRecord },
  { method: 'POST', route: '/api/pledges/:id/evaluate', prepare: async f => freshPledge(f, 'published'), url: (_f, p) => `/api/pledges/${p.id}/evaluate`, body: (_f, p) => ({ items: (p.itemIds as string[]).map(itemId => ({ itemId, result: 'kept' })) }), expect: adminOnRecord },
  { method: 'GET', route: '/api/board/:slug', url: f => `/api/board/${f.slug}`, expect: all(200) },
  { method: 'POST', route: '/api/board/:slug/feedback', prepare: async f => ({ id: (await freshPledge(f, 'published')).id }), url: f => `/api/board/${f.slug}/feedback`, body: (_f, p) => ({ pledgeId: p.id, name: '群众', text: '请多进社区' }), expect: all(200) },

  // 五个好评议 (issue 12 item 8): the branch admin's; a named rater reads it too (tests/server/reviews).
  { method: 'GET', route: '/api/group-reviews', url: () => '/api/group-reviews', expect: loggedIn(200) },
  { method: 'POST', route: '/api/group-reviews', url: () => '/api/group-reviews', body: () => ({ period: freshReviewPeriod() }), expect: adminOnBranch },
  { method: 'GET', route: '/api/group-reviews/:id', prepare: async f => ({ id: await freshGroupReview(f) }), url: (_f, p) => `/api/group-reviews/${p.id}`, expect: adminOnRecord },
  { method: 'POST', route: '/api/group-reviews/:id/raters', prepare: async f => ({ id: await freshGroupReview(f) }), url: (_f, p) => `/api/group-reviews/${p.id}/raters`, body: f => ({ memberId: f.member.id }), expect: adminOnRecord },
  { method: 'POST', route: '/api/group-reviews/:id/close', prepare: async f => ({ id: await freshGroupReview(f) }), url: (_f, p) => `/api/group-reviews/${p.id}/close`, expect: adminOnRecord },
  { method: 'GET', route: '/api/group-reviews/:id/export.xlsx', prepare: async f => ({ id: await freshGroupReview(f) }), url: (_f, p) => `/api/group-reviews/${p.id}/export.xlsx`, expect: adminOnRecord },

  // 会议与签到 (issue 5)
  { method: 'GET', route: '/api/meetings', url: () => '/api/meetings', expect: loggedIn(200) },
  // Another branch's admin names a group that is not theirs: 400, the group "does not exist" for them.
  { method: 'POST', route: '/api/meetings', url: () => '/api/meetings', body: f => meetingBody(f.group1), expect: { ...organizerOfGroup1, otherAdmin: 400 } },
  { method: 'GET', route: '/api/meetings/:id', url: f => `/api/meetings/${f.meetingId}`, expect: hiddenFromOthers },
  { method: 'PATCH', route: '/api/meetings/:id', url: f => `/api/meetings/${f.meetingId}`, body: f => meetingBody(f.group1), expect: { ...organizerOfGroup1, otherAdmin: 400 } },
  { method: 'POST', route: '/api/meetings/:id/cancel', prepare: async f => ({ id: await freshMeeting(f) }), url: (_f, p) => `/api/meetings/${p.id}/cancel`, expect: organizerOfGroup1 },
  // Everyone gets their own signing key; organizers also the public keys of their scope (an empty list for a member).
  { method: 'GET', route: '/api/checkin/keys', url: () => '/api/checkin/keys', expect: loggedIn(200) },
  { method: 'GET', route: '/api/meetings/:id/screen', url: f => `/api/meetings/${f.meetingId}/screen`, expect: organizerOfGroup1 },
  { method: 'GET', route: '/api/meetings/:id/attendance', url: f => `/api/meetings/${f.meetingId}/attendance`, expect: organizerOfGroup1 },
  { method: 'POST', route: '/api/meetings/:id/attendance/:memberId', url: f => `/api/meetings/${f.meetingId}/attendance/${f.member.id}`, body: () => ({ action: 'leave', reason: '出差' }), expect: organizerOfGroup1 },
  { method: 'PUT', route: '/api/meetings/:id/minutes', url: f => `/api/meetings/${f.meetingId}/minutes`, body: () => ({ minutes: '学习了党章', photoIds: [] }), expect: organizerOfGroup1 },
  { method: 'POST', route: '/api/meetings/:id/close', prepare: async f => ({ id: await freshMeeting(f) }), url: (_f, p) => `/api/meetings/${p.id}/close`, expect: organizerOfGroup1 },

  // 三会一课 执行情况 (issue 14): every organizer sees their own scope (another branch's admin, their own branch).
  { method: 'GET', route: '/api/meetings/rhythm', url: () => `/api/meetings/rhythm?year=${YEAR}`, expect: organizerOnBranch },
  { method: 'GET', route: '/api/meetings/rhythm/settings', url: () => '/api/meetings/rhythm/settings', expect: organizerOnBranch },
  { method: 'PUT', route: '/api/meetings/rhythm/settings', url: () => '/api/meetings/rhythm/settings', body: () => ({ rhythm: DEFAULT_RHYTHM, lateGraceMinutes: 5 }), expect: adminOnBranch },

  // Evidence photos
  { method: 'PUT', route: '/api/photos/:id', prepare: async () => ({ id: randomUUID() }), url: (_f, p) => `/api/photos/${p.id}`, body: () => pngBytes(), expect: loggedIn(201) },
  { method: 'GET', route: '/api/photos/:id', url: f => `/api/photos/${f.photoId}`, expect: hiddenFromOthers },

  // 讲评 guests (issue 12): their own file
  ...GUEST_MATRIX,
  // 民主评议党员 (issue 13): reads only, writes are ops
  { method: 'GET', route: '/api/appraisals/year/:year', url: () => `/api/appraisals/year/${YEAR}`, expect: loggedIn(200) },
  { method: 'GET', route: '/api/records', url: f => `/api/records?year=${YEAR}&scope=member&id=${f.member.id}`, expect: memberRecord },
  { method: 'GET', route: '/api/records/xlsx', url: f => `/api/records/xlsx?year=${YEAR}&scope=member&id=${f.member.id}`, expect: memberRecord },
  { method: 'GET', route: '/api/appraisals/:id/results', prepare: async f => ({ id: await freshAppraisal(f) }), url: (_f, p) => `/api/appraisals/${p.id}/results`, expect: adminOnRecord },
  // 评选表彰 (issue 13): a round is the branch's; organizers read its list and shortlist, branch admins run it.
  { method: 'GET', route: '/api/commendations/rounds', url: () => '/api/commendations/rounds', expect: organizerOnBranch },
  { method: 'POST', route: '/api/commendations/rounds', url: () => '/api/commendations/rounds', body: () => roundBody(), expect: adminOnBranch },
  { method: 'GET', route: '/api/commendations/rounds/:id', prepare: async f => ({ id: await freshRound(f) }), url: (_f, p) => `/api/commendations/rounds/${p.id}`, expect: { ...loggedIn(200), otherAdmin: 404 } },
  { method: 'PATCH', route: '/api/commendations/rounds/:id', prepare: async f => ({ id: await freshRound(f) }), url: (_f, p) => `/api/commendations/rounds/${p.id}`, body: () => ({ weights: { points: 40, review: 20, pledges: 20, appraisal: 20 } }), expect: adminOnRecord },
  { method: 'POST', route: '/api/commendations/rounds/:id/step', prepare: async f => ({ id: await freshRound(f) }), url: (_f, p) => `/api/commendations/rounds/${p.id}/step`, body: () => ({ to: 'nominating' }), expect: adminOnRecord },
  { method: 'GET', route: '/api/commendations/rounds/:id/shortlist', prepare: async f => ({ id: await freshRound(f) }), url: (_f, p) => `/api/commendations/rounds/${p.id}/shortlist`, expect: { ...organizerOnBranch, otherAdmin: 404 } },
  { method: 'POST', route: '/api/commendations/feedback/:id/moderate', prepare: async f => ({ id: await freshHonourFeedback(f) }), url: (_f, p) => `/api/commendations/feedback/${p.id}/moderate`, body: () => ({ decision: 'approve' }), expect: adminOnRecord },
  { method: 'GET', route: '/api/commendations/mine', url: () => '/api/commendations/mine', expect: loggedIn(200) },
  { method: 'POST', route: '/api/board/:slug/honours-feedback', prepare: async f => publicNominee(f), url: f => `/api/board/${f.slug}/honours-feedback`, body: (_f, p) => ({ nomineeId: p.nomineeId, name: '群众', text: '名副其实' }), expect: all(200) },
]

/** For a batch route that answers 200 and refuses item by item: the first item's own status. */
export function itemStatus(route: string, statusCode: number, json: () => any): number {
  if (route !== '/api/points/approvals/approve' || statusCode !== 200)
    return statusCode
  const first = json().results[0] as { ok: boolean, code?: string }
  if (first.ok)
    return 200
  return first.code === 'NOT_FOUND' ? 404 : first.code === 'FORBIDDEN' || first.code === 'OWN_ENTRY' ? 403 : 409
}
