import type { Role } from '#shared/roles'
import type { RouteName } from '../../router'

/** One screen 组织管理 lists: its title and hint (i18n keys), where it goes, who may open it. */
export interface HubEntry {
  to: RouteName
  title: string
  /** Hint under the title; a leader may see another hint than a branch admin. */
  hint?: string | { leader: string, admin: string }
  /** The lowest role that may open it (the route's own `role`). */
  role: Role
  testid?: string
}

export interface HubSection {
  /** i18n key of the section heading; none for the first. */
  title?: string
  entries: HubEntry[]
}

/**
 * 组织管理: every organizer screen, in sections. A list, not markup, so a new organizer screen is one
 * line here; the hub shows each entry to those whose role reaches its `role`.
 */
export const HUB_SECTIONS: HubSection[] = [
  {
    entries: [
      { to: 'admin-groups', title: 'admin.groups.title', hint: 'admin.groups.hint', role: 'branch_admin' },
      { to: 'admin-members', title: 'admin.members.title', hint: { leader: 'admin.members.readOnly', admin: 'admin.members.hint' }, role: 'group_leader', testid: 'hub-admin-members' },
      { to: 'admin-roster', title: 'admin.roster.title', hint: 'admin.roster.hint', role: 'branch_admin', testid: 'hub-roster' },
    ],
  },
  {
    title: 'admin.hub.meetings',
    entries: [
      { to: 'meetings', title: 'meetings.title', hint: 'admin.hub.meetingsHint', role: 'group_leader', testid: 'hub-meetings' },
      { to: 'meetings-rhythm', title: 'meetings.rhythm.title', hint: { leader: 'meetings.rhythm.hubLeader', admin: 'meetings.rhythm.hubAdmin' }, role: 'group_leader', testid: 'hub-rhythm' },
    ],
  },
  {
    title: 'points.organizer.hubTitle',
    entries: [
      { to: 'points-approvals', title: 'points.approvals.title', hint: 'admin.hub.approvalsHint', role: 'group_leader', testid: 'hub-points-approvals' },
      { to: 'points-adjust', title: 'points.organizer.adjustTitle', hint: 'points.organizer.adjustHub', role: 'group_leader', testid: 'hub-points-adjust' },
      { to: 'points-members', title: 'points.organizer.membersTitle', hint: { leader: 'points.organizer.membersHub', admin: 'points.organizer.membersHubAdmin' }, role: 'group_leader', testid: 'hub-points-members' },
      { to: 'points-sheet', title: 'points.sheet.title', hint: 'points.organizer.sheetHub', role: 'group_leader' },
      { to: 'points-rules', title: 'points.rules.title', role: 'branch_admin' },
      { to: 'points-audit', title: 'points.organizer.auditTitle', hint: 'points.organizer.auditHub', role: 'branch_admin' },
      { to: 'points-settings', title: 'points.organizer.settingsTitle', hint: 'points.organizer.settingsHub', role: 'branch_admin' },
    ],
  },
  {
    title: 'admin.hub.pledges',
    entries: [
      { to: 'pledges-review', title: 'pledges.review.title', hint: 'admin.hub.pledgesReviewHint', role: 'branch_admin', testid: 'hub-pledges-review' },
    ],
  },
  {
    title: 'admin.hub.campaign',
    entries: [
      { to: 'reviews', title: 'reviews.title', hint: 'reviews.hubHint', role: 'group_leader', testid: 'hub-reviews' },
      { to: 'honours', title: 'honours.title', hint: 'honours.hub', role: 'group_leader', testid: 'hub-honours' },
      { to: 'appraisal', title: 'appraisal.title', hint: 'appraisal.hubHint', role: 'branch_admin', testid: 'hub-appraisal' },
      { to: 'record-print', title: 'records.title', hint: { leader: 'records.hubLeader', admin: 'records.hubAdmin' }, role: 'group_leader', testid: 'hub-records' },
      { to: 'group-reviews', title: 'groupReviews.listTitle', hint: 'groupReviews.hubHint', role: 'branch_admin', testid: 'hub-group-reviews' },
      { to: 'branch-assessments', title: 'upper.mine.title', hint: 'upper.mine.hub', role: 'branch_admin', testid: 'hub-branch-assessments' },
    ],
  },
]
