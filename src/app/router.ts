import type { Role } from '#shared/roles'
import type { Me } from '#shared/schemas/auth'
import type { UpperMe } from '#shared/schemas/upper'
import type { RouteLocationNormalized, RouteLocationRaw, Router, RouteRecordRaw } from 'vue-router'
import { hasRole } from '#shared/roles'
import { createRouter, createWebHistory } from 'vue-router'
import { appraisalYear } from './components/appraisal/appraisal-ui'
import { useSessionStore } from './stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean
    /** Minimum role; members without it are sent home. */
    role?: Role
    /** i18n key of the page title. */
    title?: string
    /** Shown inside the member layout, whose sync status bar tells offline. */
    syncBar?: boolean
    /** 上级党组织管理员's pages: the only ones that account sees, and no member's. */
    upper?: boolean
  }
}

/** 民主评议 screens are about one year: ?year=, this year by default. */
const yearProp = (route: RouteLocationNormalized) => ({ year: appraisalYear(route.query) })

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: 'login.title' } },
  { path: '/setup', name: 'setup', component: () => import('./pages/SetupPage.vue'), meta: { public: true, title: 'setup.title' } },
  { path: '/invite', name: 'invite', component: () => import('./pages/InvitePage.vue'), meta: { public: true, title: 'invite.title' } },
  { path: '/board/:slug', name: 'board', component: () => import('./pages/BoardPage.vue'), props: true, meta: { public: true, title: 'board.pageTitle' } },
  {
    path: '/',
    component: () => import('./components/layout/LayoutMember.vue'),
    // Its sync status bar says 离线 itself; the app-wide offline banner stays away from these screens.
    meta: { syncBar: true },
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'home.title' } },
      { path: 'points', name: 'points', component: () => import('./pages/PointsPage.vue'), meta: { title: 'points.title' } },
      { path: 'points/log', name: 'points-log', component: () => import('./pages/PointsLogPage.vue'), meta: { title: 'points.log' } },
      // The page's old address, kept for home-screen bookmarks and shared links.
      { path: 'points/review', redirect: '/points/approvals' },
      { path: 'points/approvals', name: 'points-approvals', component: () => import('./pages/PointsApprovalPage.vue'), meta: { title: 'points.approvals.title', role: 'group_leader' } },
      { path: 'points/rules', name: 'points-rules', component: () => import('./pages/PointsRulesPage.vue'), meta: { title: 'points.rules.title', role: 'branch_admin' } },
      { path: 'points/sheet', name: 'points-sheet', component: () => import('./pages/PointsSheetPage.vue'), meta: { title: 'points.sheet.title' } },
      { path: 'points/adjust', name: 'points-adjust', component: () => import('./pages/PointsAdjustPage.vue'), meta: { title: 'points.organizer.adjustTitle', role: 'group_leader' } },
      { path: 'points/members', name: 'points-members', component: () => import('./pages/PointsMembersPage.vue'), meta: { title: 'points.organizer.membersTitle', role: 'group_leader' } },
      { path: 'points/members/:id', name: 'points-member', component: () => import('./pages/PointsMemberPage.vue'), props: true, meta: { title: 'points.organizer.membersTitle', role: 'group_leader' } },
      { path: 'points/audit', name: 'points-audit', component: () => import('./pages/PointsAuditPage.vue'), meta: { title: 'points.organizer.auditTitle', role: 'branch_admin' } },
      { path: 'points/settings', name: 'points-settings', component: () => import('./pages/PointsSettingsPage.vue'), meta: { title: 'points.organizer.settingsTitle', role: 'branch_admin' } },
      { path: 'checkin', name: 'checkin', component: () => import('./pages/CheckinPage.vue'), meta: { title: 'checkin.title' } },
      { path: 'pledges', name: 'pledges', component: () => import('./pages/PledgesPage.vue'), meta: { title: 'pledges.title' } },
      { path: 'pledges/new', name: 'pledge-new', component: () => import('./pages/PledgeEditPage.vue'), meta: { title: 'pledges.editor.title' } },
      { path: 'pledges/review', name: 'pledges-review', component: () => import('./pages/PledgesReviewPage.vue'), meta: { title: 'pledges.review.title', role: 'branch_admin' } },
      { path: 'pledges/archive', name: 'pledges-archive', component: () => import('./pages/PledgesArchivePage.vue'), meta: { title: 'pledges.archive.title' } },
      { path: 'pledges/board', name: 'pledges-board-link', component: () => import('./pages/PledgesBoardLinkPage.vue'), meta: { title: 'pledges.boardLink.title' } },
      { path: 'pledges/:id', name: 'pledge', component: () => import('./pages/PledgePage.vue'), props: true, meta: { title: 'pledges.detailTitle' } },
      { path: 'pledges/:id/edit', name: 'pledge-edit', component: () => import('./pages/PledgeEditPage.vue'), props: true, meta: { title: 'pledges.editor.editTitle' } },
      { path: 'me', name: 'me', component: () => import('./pages/MePage.vue'), meta: { title: 'me.title' } },
      { path: 'sync-failed', name: 'sync-failed', component: () => import('./pages/SyncFailedPage.vue'), meta: { title: 'sync.failed.title' } },
      { path: 'me/password', name: 'password', component: () => import('./pages/PasswordPage.vue'), meta: { title: 'password.title' } },
      { path: 'admin', name: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: 'admin.title', role: 'group_leader' } },
      { path: 'admin/groups', name: 'admin-groups', component: () => import('./pages/AdminGroupsPage.vue'), meta: { title: 'admin.groups.title', role: 'branch_admin' } },
      { path: 'admin/members', name: 'admin-members', component: () => import('./pages/AdminMembersPage.vue'), meta: { title: 'admin.members.title', role: 'group_leader' } },
      { path: 'admin/members/import', name: 'admin-roster', component: () => import('./pages/AdminRosterPage.vue'), meta: { title: 'admin.roster.title', role: 'branch_admin' } },
      { path: 'admin/members/invites', name: 'admin-invite-sheet', component: () => import('./pages/AdminInviteSheetPage.vue'), meta: { title: 'admin.inviteSheet.title', role: 'branch_admin' } },
      { path: 'admin/members/new', name: 'admin-member-new', component: () => import('./pages/AdminMemberPage.vue'), meta: { title: 'admin.members.add', role: 'branch_admin' } },
      { path: 'admin/members/:id', name: 'admin-member-edit', component: () => import('./pages/AdminMemberPage.vue'), meta: { title: 'admin.members.editPage', role: 'branch_admin' } },
      { path: 'meetings', name: 'meetings', component: () => import('./pages/MeetingsPage.vue'), meta: { title: 'meetings.title', role: 'group_leader' } },
      { path: 'meetings/rhythm', name: 'meetings-rhythm', component: () => import('./pages/MeetingsRhythmPage.vue'), meta: { title: 'meetings.rhythm.title', role: 'group_leader' } },
      { path: 'meetings/new', name: 'meeting-new', component: () => import('./pages/MeetingEditPage.vue'), meta: { title: 'meetings.new', role: 'group_leader' } },
      { path: 'meetings/:id', name: 'meeting', component: () => import('./pages/MeetingPage.vue'), meta: { title: 'meetings.title', role: 'group_leader' } },
      { path: 'admin/group-reviews', name: 'group-reviews', component: () => import('./pages/GroupReviewsPage.vue'), meta: { title: 'groupReviews.listTitle' } },
      { path: 'admin/group-reviews/:id', name: 'group-review', component: () => import('./pages/GroupReviewPage.vue'), props: true, meta: { title: 'groupReviews.title' } },
      { path: 'reviews/:id/guests', name: 'review-guests', component: () => import('./pages/ReviewGuestsPage.vue'), props: true, meta: { title: 'reviewGuests.title', role: 'group_leader' } },
      { path: 'honours', name: 'honours', component: () => import('./pages/HonoursPage.vue'), meta: { title: 'honours.title', role: 'group_leader' } },
      { path: 'honours/:id', name: 'honour-round', component: () => import('./pages/HonourRoundPage.vue'), props: true, meta: { title: 'honours.title' } },
      // 年度积分与表现记录: ?year=2026&scope=member|group|branch (one A4 page per member when printed).
      { path: 'records', name: 'record-print', component: () => import('./pages/RecordPrintPage.vue'), meta: { title: 'records.title' } },
      { path: 'honours/:id/print', name: 'honour-print', component: () => import('./pages/HonourPrintPage.vue'), props: true, meta: { title: 'honours.listTitle', role: 'group_leader' } },
      { path: 'meetings/:id/edit', name: 'meeting-edit', component: () => import('./pages/MeetingEditPage.vue'), meta: { title: 'meetings.edit', role: 'group_leader' } },
      { path: 'reviews', name: 'reviews', component: () => import('./pages/ReviewsPage.vue'), meta: { title: 'reviews.title' } },
      { path: 'reviews/new', name: 'review-new', component: () => import('./pages/ReviewNewPage.vue'), meta: { title: 'reviews.new', role: 'group_leader' } },
      { path: 'reviews/:id', name: 'review', component: () => import('./pages/ReviewPage.vue'), props: true, meta: { title: 'reviews.title' } },
      { path: 'appraisal', name: 'appraisal', component: () => import('./pages/AppraisalPage.vue'), props: yearProp, meta: { title: 'appraisal.title' } },
      { path: 'appraisal/summary', name: 'appraisal-summary', component: () => import('./pages/AppraisalSummaryPage.vue'), props: yearProp, meta: { title: 'appraisal.summary.short' } },
      { path: 'appraisal/ballot', name: 'appraisal-ballot', component: () => import('./pages/AppraisalBallotPage.vue'), props: yearProp, meta: { title: 'appraisal.ballot.short' } },
      { path: 'appraisal/open', name: 'appraisal-open', component: () => import('./pages/AppraisalOpenPage.vue'), props: yearProp, meta: { title: 'appraisal.open.title', role: 'branch_admin' } },
      { path: 'admin/branch-assessments', name: 'branch-assessments', component: () => import('./pages/BranchAssessmentsPage.vue'), meta: { title: 'upper.mine.title', role: 'branch_admin' } },
      { path: 'appraisal/results', name: 'appraisal-results', component: () => import('./pages/AppraisalResultsPage.vue'), props: yearProp, meta: { title: 'appraisal.results.title', role: 'branch_admin' } },
    ],
  },
  // 上级党组织 (issue 14): outside the member layout — no tabs, no outbox, nothing of a member's.
  { path: '/upper', name: 'upper', component: () => import('./pages/UpperPage.vue'), meta: { title: 'upper.title', upper: true } },
  { path: '/upper/branches/:id', name: 'upper-branch', component: () => import('./pages/UpperBranchPage.vue'), props: true, meta: { title: 'upper.branchTitle', upper: true } },
  { path: '/upper/assessments', name: 'upper-assessments', component: () => import('./pages/UpperAssessmentsPage.vue'), meta: { title: 'upper.assess.title', upper: true } },
  { path: '/upper/password', name: 'upper-password', component: () => import('./pages/PasswordPage.vue'), meta: { title: 'password.title', upper: true } },
  { path: '/upper/assessments/:id', name: 'upper-assessment', component: () => import('./pages/UpperAssessmentPage.vue'), props: true, meta: { title: 'upper.assess.title', upper: true } },
  // Full screen for a projector: outside the tab layout.
  { path: '/meetings/:id/screen', name: 'meeting-screen', component: () => import('./pages/MeetingScreenPage.vue'), meta: { title: 'checkin.title', role: 'group_leader' } },
  // 扫描党员签到码: the camera full screen, as the member's scanner.
  { path: '/meetings/:id/scan', name: 'meeting-scan', component: () => import('./pages/MeetingScanPage.vue'), meta: { title: 'meetings.scan.title', role: 'group_leader' } },
  // The A4 result sheet: outside the tab layout, so nothing of the app's bars is on the page.
  { path: '/reviews/:id/results', name: 'review-results', component: () => import('./pages/ReviewResultsPage.vue'), props: true, meta: { title: 'reviews.result.sheet', role: 'group_leader' } },
  { path: '/reviews/:id/guests/screen', name: 'review-guests-screen', component: () => import('./pages/ReviewGuestScreenPage.vue'), props: true, meta: { title: 'reviewGuests.title', role: 'group_leader' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { public: true, title: 'notFound.title' } },
]

export type RouteName = 'points-log' | 'points-approvals' | 'points-rules' | 'points-sheet' | 'login' | 'setup' | 'invite' | 'home' | 'points' | 'checkin' | 'pledges' | 'me' | 'password' | 'sync-failed' | 'admin' | 'admin-groups' | 'admin-members' | 'admin-member-new' | 'admin-member-edit' | 'admin-roster' | 'admin-invite-sheet' | 'meetings' | 'meeting-new' | 'meeting' | 'meeting-edit' | 'meeting-screen' | 'review-guests' | 'review-guests-screen' | 'not-found' | 'meeting-scan' | 'group-reviews' | 'group-review' | 'meetings-rhythm' | 'upper' | 'upper-branch' | 'upper-assessments' | 'upper-assessment' | 'upper-password' | 'branch-assessments' | PledgeRouteName | PointsOrganizerRouteName | HonourRouteName | AppraisalRouteName
/** The organizer's points screens (issue 4 items 6, 8 and the ranking switch). */
type PointsOrganizerRouteName = 'points-adjust' | 'points-members' | 'points-member' | 'points-audit' | 'points-settings'
/** The 讲评 screens (issue 12). */
type ReviewRouteName = 'reviews' | 'review-new' | 'review' | 'review-results'
/** The pledge screens' routes (issue 6). */
type PledgeRouteName = ReviewRouteName | 'pledge-new' | 'pledges-review' | 'pledges-archive' | 'pledges-board-link' | 'pledge' | 'pledge-edit' | 'board'
/** 评选表彰 (issue 13). */
type HonourRouteName = 'honours' | 'honour-round' | 'honour-print' | 'record-print'
/** 民主评议党员 (issue 13). */
type AppraisalRouteName = 'appraisal' | 'appraisal-summary' | 'appraisal-ballot' | 'appraisal-open' | 'appraisal-results'

export const router = createRouter({
  history: createWebHistory(),
  routes,
  // Each screen opens at its top. Not on the app's first screen, which is at its top already:
  // scrolling there forced a layout in the middle of the first render.
  scrollBehavior: (_to, from) => from.matched.length ? { top: 0 } : false,
})

/** Where a member, an upper-organization admin (or nobody) may go: true, or where to send them instead. */
function access(to: RouteLocationNormalized, me: Me | null, upper: UpperMe | null = null): true | RouteLocationRaw {
  if (to.meta.public)
    return true
  // 上级党组织管理员: only its own read-only pages; members never reach those.
  if (upper)
    return to.meta.upper ? true : { name: 'upper' }
  if (!me)
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (to.meta.upper)
    return { name: 'home' }
  if (to.meta.role && !hasRole(me.role, to.meta.role))
    return { name: 'home' }
  return true
}

/**
 * Starts fetching a route's lazy screens, which vue-router only asks for after the guards; it then
 * finds them loaded (a dynamic import runs once). A function with a component's marks is a
 * functional component, not a loader (vue-router's own test).
 */
function preload(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    for (const component of Object.values(record.components ?? {})) {
      if (typeof component === 'function' && !('displayName' in component) && !('props' in component) && !('__vccOpts' in component))
        void Promise.resolve((component as () => unknown)()).catch(() => {})
    }
  }
}

/*
 * First paint never waits for the network: the session check runs beside the route's code. The
 * member cached on this device answers at once, online and offline; the server's answer then
 * corrects it (a revoked session goes to the login page, a lowered role home). Only a device with
 * no member cached waits for the answer before a members' screen, fetching that screen meanwhile.
 * A public screen (the login page) on a device with nobody cached asks nothing: whatever the
 * answer, that screen stays as it is; the check runs when a members' screen is opened, and logging
 * in answers it.
 */
export function guardSession(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (!session.checked && (session.me || session.upper || !to.meta.public)) {
      const checking = session.check()
      if (!session.me && !session.upper && !to.meta.public) {
        preload(to)
        await checking
      }
      else {
        // After the first navigation settles, so a public screen opened meanwhile is judged as itself.
        void Promise.all([checking, router.isReady()]).then(() => {
          const current = router.currentRoute.value
          const verdict = access(current, session.me, session.upper)
          if (verdict !== true)
            void router.replace(verdict)
        })
      }
    }
    return access(to, session.me, session.upper)
  })
}
guardSession(router)

/** Typed navigation: a misspelt route name fails type-checking, not at run time. */
export function go(name: RouteName, extra: Omit<Exclude<RouteLocationRaw, string>, 'name'> = {}) {
  return router.push({ name, ...extra } as RouteLocationRaw)
}
