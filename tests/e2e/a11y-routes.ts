import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './harness'

/*
 * Every route of the app, read from src/app/router.ts itself so a route added there is walked or
 * fails the walk: the walk needs a URL for it (its params) below, and the test checks both lists
 * match. Parsed as text because router.ts creates a browser history when imported.
 */

export interface AppRoute {
  name: string
  /** Reachable without logging in. */
  public: boolean
  /** Minimum role, when the route has one. */
  role: string | null
  /** The upper organization admin's page (walked as that admin). */
  upper: boolean
}

export function appRoutes(): AppRoute[] {
  const source = readFileSync(join(ROOT, 'src/app/router.ts'), 'utf8')
  const list = source.slice(source.indexOf('export const routes'), source.indexOf('export type RouteName'))
  const routes: AppRoute[] = []
  for (const line of list.split('\n')) {
    const name = line.match(/\bname: '([\w-]+)'/)?.[1]
    if (!name)
      continue
    routes.push({ name, public: /\bpublic: true\b/.test(line), role: line.match(/\brole: '(\w+)'/)?.[1] ?? null, upper: /\bupper: true\b/.test(line) })
  }
  return routes
}

/** What the walk fills a route's params with: ids of the records the test seeds. */
export interface Seeded {
  pledgeId: string
  meetingId: string
  memberId: string
  boardSlug: string
  inviteToken: string
  groupReviewId: string
  reviewId: string
  roundId: string
  /** The seeded branch, as the upper organization drills into it. */
  branchId: string
  /** A 支部争先 the upper organization opened (seeded once the upper admin exists). */
  assessmentId: string
}

/** The URL the walk opens for each route name. A route missing here fails the walk. */
export function walkUrls(s: Seeded): Record<string, string> {
  return {
    'login': '/login',
    'setup': '/setup',
    'invite': `/invite#${s.inviteToken}`,
    'board': `/board/${s.boardSlug}`,
    'home': '/',
    'points': '/points',
    'points-log': '/points/log',
    'points-approvals': '/points/approvals',
    'points-rules': '/points/rules',
    'points-sheet': '/points/sheet',
    'points-adjust': '/points/adjust',
    'points-members': '/points/members',
    'points-member': `/points/members/${s.memberId}`,
    'points-audit': '/points/audit',
    'points-settings': '/points/settings',
    'checkin': '/checkin',
    'pledges': '/pledges',
    'pledge-new': '/pledges/new',
    'pledges-review': '/pledges/review',
    'pledges-archive': '/pledges/archive',
    'pledges-board-link': '/pledges/board',
    'pledge': `/pledges/${s.pledgeId}`,
    'pledge-edit': `/pledges/${s.pledgeId}/edit`,
    'me': '/me',
    'sync-failed': '/sync-failed',
    'password': '/me/password',
    'admin': '/admin',
    'admin-roster': '/admin/members/import',
    'admin-invite-sheet': '/admin/members/invites',
    'group-reviews': '/admin/group-reviews',
    'group-review': `/admin/group-reviews/${s.groupReviewId}`,
    'admin-groups': '/admin/groups',
    'admin-members': '/admin/members',
    'admin-member-new': '/admin/members/new',
    'admin-member-edit': `/admin/members/${s.memberId}`,
    'meetings': '/meetings',
    'meeting-new': '/meetings/new',
    'meeting': `/meetings/${s.meetingId}`,
    'meeting-edit': `/meetings/${s.meetingId}/edit`,
    'meeting-screen': `/meetings/${s.meetingId}/screen`,
    'reviews': '/reviews',
    'review-new': '/reviews/new',
    'review': `/reviews/${s.reviewId}`,
    'review-results': `/reviews/${s.reviewId}/results`,
    'review-guests': `/reviews/${s.reviewId}/guests`,
    'review-guests-screen': `/reviews/${s.reviewId}/guests/screen`,
    'meeting-scan': `/meetings/${s.meetingId}/scan`,
    'meetings-rhythm': '/meetings/rhythm',
    'honours': '/honours',
    'honour-round': `/honours/${s.roundId}`,
    'honour-print': `/honours/${s.roundId}/print`,
    'appraisal': '/appraisal',
    'appraisal-summary': '/appraisal/summary',
    'appraisal-ballot': '/appraisal/ballot',
    'appraisal-open': '/appraisal/open',
    'appraisal-results': '/appraisal/results',
    'record-print': `/records?year=${new Date().getFullYear()}&scope=member`,
    'not-found': '/no-such-page',
    'upper': '/upper',
    'upper-branch': `/upper/branches/${s.branchId}`,
    'upper-assessments': '/upper/assessments',
    'upper-assessment': `/upper/assessments/${s.assessmentId}`,
    'upper-password': '/upper/password',
    'branch-assessments': '/admin/branch-assessments',
  }
}

/**
 * Words a screen must show before it is audited, so the walk checks screens with the seeded records
 * on them rather than empty or still-loading ones. By persona, then route name.
 */
export const SHOWS: Record<'member' | 'organizer' | 'upper', Record<string, string>> = {
  upper: {
    'upper': '测试党支部',
    'upper-branch': '第一党小组',
    'upper-assessments': '支部争先',
    'upper-assessment': '领导班子好',
  },
  member: {
    // A returned entry says so in words, not only in red.
    points: '已退回',
    pledges: '张测试 · ',
    pledge: '全年完成检验报告 200 份',
    checkin: '学习贯彻会议精神',
  },
  organizer: {
    'admin-members': '张测试',
    'meetings': '学习贯彻会议精神',
    'meeting': '学习贯彻会议精神',
    // The report has loaded: its rows of periods are there.
    'meetings-rhythm': '支部党员大会',
    'pledges-archive': '全年完成检验报告 200 份',
    // The branch's pages once loaded, not the frame before them.
    'record-print': '按五带头',
  },
}
